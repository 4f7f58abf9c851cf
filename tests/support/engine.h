#pragma once

#include "core/db/connectparams.h"
#include "core/db/pgconnection.h"
#include "core/migrate/migrator.h"

#include <QString>

namespace dbops::test
{
    // The migration engine run in process, as the engine tests drive it (the CLI tests drive the
    // same code as processes). Each call runs one Migrator entry point as a Job on this thread and
    // throws the job's error.

    /// Options for `dir` with a short retry backoff (tests do not wait out production backoffs).
    MigrateOptions options(const QString &dir);
    MigrateResult migrate(const ConnectParams &db, const MigrateOptions &o);
    Timeline info(const ConnectParams &db, const QString &dir);
    ValidateResult validate(const ConnectParams &db, const QString &dir);

    /// Rows of dbops_schema_history matching `where`.
    int historyRows(PgConnection &conn, const QString &where = QStringLiteral("true"));
    /// The timeline entry of `version`, or null.
    const TimelineEntry *entry(const Timeline &t, const QString &version);
}
