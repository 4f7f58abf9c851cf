#include "core/backup/premigrationbackup.h"

#include "core/backup/backupservice.h"
#include "core/backup/toollocator.h"
#include "core/jobs/job.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    bool needsPreMigrationBackup(Store &store, const ConnectionProfile &profile)
    {
        return profile.isProduction() && !profile.isSqlite() && BackupCatalog(store).policy(profile.name).preMigrationBackup;
    }

    qint64 takePreMigrationBackup(Store &store, const ConnectionProfile &profile, const ConnectParams &connection, JobContext &jc)
    {
        if (!needsPreMigrationBackup(store, profile))
            return 0;
        jc.log(u"production profile %1: taking a verified backup before migrating"_s.arg(profile.name));
        BackupRequest request;
        request.profile = profile;
        request.connection = connection;
        request.kind = u"pre-migration"_s;
        request.label = u"before migrating"_s;
        request.toolsDir = configuredToolDir(&store);
        const BackupEntry entry = BackupService(store).backup(request, jc);
        return entry.id;
    }
}
