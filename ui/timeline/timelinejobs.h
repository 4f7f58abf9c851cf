#pragma once

#include "core/db/profile.h"
#include "core/ops/migrateops.h"

#include <QString>

namespace dbops
{
    class JobContext;
    class ProfileStore;
    class Store;
    struct TimelineSnapshot;

    /// What every timeline job needs: the profile, the password that worked (never stored),
    /// the migrations folder, and the stores (profiles for the sandbox, the audit log).
    struct TimelineTarget
    {
        ConnectionProfile profile;
        QString password;
        QString migrationsDir;
        ProfileStore *profiles = nullptr;
        Store *store = nullptr; ///< the audit log and the pre-change backup rule (mutating actions need it)
    };
}

/// The console's side of the migration operations (core/ops/migrateops.h): the request a timeline
/// action sends, and the snapshot it loads. The workflow and its rules are all in the ops.
namespace dbops::timelinejobs
{
    /// The backend pid of this console's own lock session, from the line a mutating job logs when
    /// it takes the migration lock ("migration lock taken by backend pid N", core/migrate), so the
    /// lock indicator can say "held by us" for that pid and no other; 0 for any other line.
    int parseOurBackend(const QString &logLine);

    /// The operation request of a console action (call in the job: reading the environment's
    /// settings may throw BadInput). `typed` is what the plan dialog's confirmation field held.
    /// The console's Apply is an explicit action: RUN_MIGRATIONS=false, a deployment switch for
    /// `dbops migrate`, does not switch it off (MigrationSettings::runMigrations).
    ops::MigrationRequest request(const TimelineTarget &target, const QString &typed = {});

    /// The timeline joined with its files, as the view shows it (a job body).
    TimelineSnapshot load(const TimelineTarget &target, JobContext &jc);
}
