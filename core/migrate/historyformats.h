#pragma once

#include "core/migrate/history.h"

#include <QList>
#include <QString>

#include <memory>

namespace dbops
{
    /// A history table found in a database, and the format its columns say it is.
    struct HistoryCandidate
    {
        QString format; ///< dbops, sqlx, flyway, golang-migrate, plain, node-pg-migrate
        QString schema;
        QString table;
        QString keyColumn, descriptionColumn, appliedAtColumn; ///< plain only
        QString checksumColumn;     ///< plain only: a home-grown checksum (seed 002), algorithm found against the files
        QStringList ignoredColumns; ///< plain only: columns dbops does not interpret, said in a warning
        QString qualified() const { return schema + u'.' + table; }
    };

    /// The formats dbops reads, for --history-format.
    QStringList historyFormats();

    /// Every table whose name says "migration" or "schema_history" and whose columns match a known
    /// format. Detection lives here and only here.
    QList<HistoryCandidate> detectHistories(PgConnection &conn, CancelToken *token);

    std::shared_ptr<HistoryAdapter> makeHistory(const HistoryCandidate &candidate);

    /// The history to use: `forced` (--history-format, optionally with `table`) or what detection
    /// finds. None found: dbops' own. Two or more: BadInput naming them all (not guessed), unless
    /// the dbops history records that it adopted the others. `notes` receives what else was seen.
    std::shared_ptr<HistoryAdapter> resolveHistory(PgConnection &conn, const QString &forced, const QString &table, CancelToken *token,
                                                   QStringList *notes = nullptr);
}
