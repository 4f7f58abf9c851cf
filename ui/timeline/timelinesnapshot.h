#pragma once

#include "core/migrate/timeline.h"
#include "core/sql/sqlsplitter.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace dbops
{
    /// One timeline row as the view shows it: the engine's entry plus what the detail pane needs
    /// from the file (path, SQL, statements as libpg_query split them). Plain value, built on a worker.
    struct TimelineRow
    {
        TimelineEntry entry;
        QString path;
        QString sql;
        QList<SqlStatement> statements;
        bool hasFile = false;
        bool hasDownFile = false;
        QString downSql;
        QString historyFormat; ///< the format the history row came from ("dbops", "sqlx", ...)
    };

    /// The timeline of one profile at one moment (STYLE C6: crosses threads as a value).
    struct TimelineSnapshot
    {
        QString profileName;
        QString migrationsDir;
        QString historyFormat;
        QString historyTable;
        bool historyExists = false;
        QString currentVersion;
        QString baselineVersion;
        QStringList warnings;
        QList<TimelineRow> rows;
        QDateTime loadedAt;

        /// Joins the engine's timeline with the files it was computed from.
        static TimelineSnapshot from(const Timeline &timeline, const MigrationSet &set);
    };
}

Q_DECLARE_METATYPE(dbops::TimelineSnapshot)
