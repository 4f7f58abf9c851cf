#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace dbops
{
    /// A query's result as plain data: crosses threads by value (STYLE C6).
    /// Values are converted from text by type: int2/4/8 -> qlonglong, bool, float4/8/numeric ->
    /// double (numeric keeps its text in textValue), everything else QString. NULL -> invalid QVariant.
    struct QueryResult
    {
        QStringList columns;
        QList<quint32> typeOids;
        QList<QList<QVariant>> rows;
        qint64 affectedRows = 0;
        QString commandTag;

        /// columns' positions by name, made by indexColumns() (readers look a column up per row).
        QHash<QString, int> columnPositions;

        int rowCount() const { return int(rows.size()); }
        /// The position of column `name`, or -1.
        int columnIndex(const QString &name) const
        {
            if (columnPositions.size() == columns.size())
                return columnPositions.value(name, -1);
            return int(columns.indexOf(name));
        }
        /// Fills columnPositions from columns (the first of two equal names wins, as indexOf).
        void indexColumns();
        QVariant value(int row, int column) const;
        QVariant value(int row, const QString &column) const;
        QString text(int row, const QString &column) const;
        bool isNull(int row, const QString &column) const;
        bool isEmpty() const { return rows.isEmpty(); }
    };
}
