#include "core/db/queryresult.h"

namespace dbops
{
    void QueryResult::indexColumns()
    {
        columnPositions.clear();
        for (int c = int(columns.size()) - 1; c >= 0; --c)
            columnPositions.insert(columns[c], c);
        if (columnPositions.size() != columns.size()) // duplicate names: indexOf keeps the first
            columnPositions.clear();
    }

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
        const int c = columnIndex(column);
        if (row < 0 || row >= rows.size() || c < 0 || c >= rows[row].size())
            return {};
        return rows[row][c].toString();
    }

    bool QueryResult::isNull(int row, const QString &column) const
    {
        return !value(row, column).isValid();
    }
}
