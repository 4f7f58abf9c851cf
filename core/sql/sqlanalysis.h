#pragma once

#include "core/sql/sqlsplitter.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace dbops
{
    /// A statement that destroys data, as PostgreSQL's own parser reads it: DROP TABLE / SCHEMA /
    /// TYPE / DOMAIN / SEQUENCE / MATERIALIZED VIEW, ALTER TABLE … DROP COLUMN, TRUNCATE, and
    /// DELETE without WHERE.
    struct DataLossFinding
    {
        int statement = 0; ///< 1-based statement number in its script
        int line = 0;      ///< the statement's line in the file
        QString action;    ///< "drops table", "drops column", "truncates", "deletes every row of"…
        QString object;    ///< the object as written: "public.users", "users.email"
        /// "drops column users.email (statement 2, line 3)"
        QString toText() const;
        QJsonObject toJson() const;
    };

    /// Every data-loss finding of the statements, in order. A statement that does not parse is
    /// skipped (the splitter already refused files that do not). Thread-safe; no I/O.
    QList<DataLossFinding> findDataLoss(const QList<SqlStatement> &statements);
}
