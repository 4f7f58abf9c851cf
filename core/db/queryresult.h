#pragma once

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

        int rowCount() const { return int(rows.size()); }
        int columnIndex(const QString &name) const { return int(columns.indexOf(name)); }
        QVariant value(int row, int column) const;
        QVariant value(int row, const QString &column) const;
        QString text(int row, const QString &column) const;
        bool isNull(int row, const QString &column) const;
        bool isEmpty() const { return rows.isEmpty(); }
    };
}
