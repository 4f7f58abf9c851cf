#pragma once

#include "core/backup/backupcatalog.h"
#include "core/db/connectparams.h"
#include "core/db/profile.h"

namespace dbops
{
    class JobContext;
    class Store;

    /// Whether migrating this profile needs a verified backup first: production profiles, unless
    /// the DBA turned the profile's switch off (BackupPolicy::preMigrationBackup, default on).
    bool needsPreMigrationBackup(Store &store, const ConnectionProfile &profile);

    /// Called by the timeline (GUI) and `dbops migrate` before applying migrations. When the
    /// profile needs it, takes a verified backup (kind "pre-migration") and returns its catalog id
    /// for MigrateOptions::backupId; otherwise returns 0. Throws when the backup fails or does not
    /// verify: the migration must not start then. Blocking, for a job body.
    qint64 takePreMigrationBackup(Store &store, const ConnectionProfile &profile, const ConnectParams &connection, JobContext &jc);
}
