#include "core/db/queryresult.h"

namespace dbops
{
    QVariant QueryResult::value(int row, int column) const
    {
        if (row < 0 || row >= rows.size() || column < 0 || column >= rows[row].size())
            return {};
        return rows[row][column];
    }

    QVariant QueryResult::value(int row, const QString &column) const
    {
        return value(row, columnIndex(column));
    }

    QString QueryResult::text(int row, const QString &column) const
    {
        return value(row, column).toString();
    }

    bool QueryResult::isNull(int row, const QString &column) const
    {
        return !value(row, column).isValid();
    }
}
