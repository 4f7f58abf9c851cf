#include "core/ops/migrateops.h"

#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/migrate/historyformats.h"

#include <QDir>

using namespace Qt::Literals::StringLiterals;

namespace dbops::ops
{
    namespace
    {
        /// Step 1 for a mutating operation: what no face may leave out.
        void requireStore(const MigrationRequest &request, const QString &action)
        {
            if (!request.target.store)
                throw Exception(ErrorCode::Internal, u"%1: no store for the audit log and the pre-change backup rule"_s.arg(action));
        }

        void requireNotEmpty(const QString &value, const QString &message)
        {
            if (value.trimmed().isEmpty())
                throw Exception(ErrorCode::Usage, message);
        }

        /// Steps 2 to 5: resolve the target, load the files (bad files fail before anything
        /// connects), the typed confirmation of a change (`confirmWhat` empty: read-only), and the
        /// pre-change backup rule (every mutating run; the migrator calls it only when something
        /// will change, under the lock).
        std::unique_ptr<Migrator> prepare(const MigrationRequest &request, JobContext &jc, const QString &confirmWhat = {})
        {
            const bool changes = !confirmWhat.isEmpty();
            requireHistoryFormat(request.options.historyFormat);
            const ConnectParams params = resolve(request.target, jc.token());
            MigrateOptions options = request.options;
            options.beforeChange = {};
            options.backupId.clear();
            // The hook only runs when the migrator calls it, under the lock, before its first change.
            if (changes)
                options.beforeChange = preChangeBackupHook(*request.target.store, request.target.profile, params,
                                                           {options.historyFormat, options.settings.historyTable, {}, request.preChange});
            auto migrator = std::make_unique<Migrator>(params, options);
            migrator->load();
            if (changes)
                requireConfirmed(request.target.profile, request.confirmation, confirmWhat);
            return migrator;
        }

        /// The switch as the deployment typed it ("0", "no", "FALSE"); "false" when the face set it.
        QString runMigrationsValue()
        {
            const QString typed = qEnvironmentVariable("RUN_MIGRATIONS");
            return typed.isEmpty() ? u"false"_s : typed;
        }
    }

    QString resolveMigrationsDir(const QString &given, const ConnectionProfile &profile)
    {
        QString dir = given;
        if (dir.isEmpty())
            dir = qEnvironmentVariable("MIGRATIONS_DIR");
        if (dir.isEmpty())
            dir = profile.migrationsDir;
        if (dir.isEmpty())
            dir = u"migrations"_s;
        return QDir(dir).absolutePath();
    }

    Expected<MigrationSettings> settingsFromEnvironment()
    {
        return MigrationSettings::fromEnvironment();
    }

    void requireHistoryFormat(const QString &format)
    {
        if (!format.isEmpty() && !historyFormats().contains(format))
            throw Exception(ErrorCode::BadInput, u"history format '%1' is not one of %2"_s.arg(format, historyFormats().join(u", "_s)));
    }

    Timeline info(const MigrationRequest &request, JobContext &jc)
    {
        return prepare(request, jc)->info(jc);
    }

    LoadedTimeline load(const MigrationRequest &request, JobContext &jc)
    {
        auto migrator = prepare(request, jc);
        LoadedTimeline loaded;
        loaded.timeline = migrator->info(jc);
        loaded.files = migrator->migrations();
        return loaded;
    }

    ValidateResult validate(const MigrationRequest &request, JobContext &jc)
    {
        return prepare(request, jc)->validate(jc);
    }

    QString migrateAuditDetails(const MigrationRequest &request, const MigrateResult *result)
    {
        const MigrateOptions &o = request.options;
        QString details = o.targetGiven || !o.target.isEmpty() ? u"apply up to %1 from %2"_s.arg(o.target, o.migrationsDir)
                                                               : u"apply pending from %1"_s.arg(o.migrationsDir);
        if (result)
        {
            QStringList versions;
            for (const AppliedMigration &a : result->applied)
                versions << (a.version.isEmpty() ? a.description : a.version);
            details += u"; %1 applied"_s.arg(result->applied.size());
            if (!versions.isEmpty())
                details += u" ("_s + versions.join(u", "_s) + u')';
        }
        return details;
    }

    MigrateResult migrate(const MigrationRequest &request, JobContext &jc)
    {
        const MigrateOptions &o = request.options;
        if (!o.settings.runMigrations)
        {
            // Seed 000: the deployment switched migrations off. Nothing connects, nothing changes.
            MigrateResult skipped;
            skipped.dryRun = o.dryRun;
            skipped.skipped = u"migrations are switched off by RUN_MIGRATIONS=%1; nothing was applied and no connection was made"_s.arg(
                runMigrationsValue());
            jc.log(skipped.skipped);
            return skipped;
        }
        if (o.dryRun)
            return prepare(request, jc)->migrate(jc);

        requireStore(request, u"migrate"_s);
        try
        {
            const MigrateResult result = prepare(request, jc, u"apply pending migrations"_s)->migrate(jc);
            QString outcome;
            if (const std::optional<Error> failure = jobFailure(result))
                outcome = failure->toString();
            else
                outcome = result.applied.isEmpty() ? u"ok: nothing to apply"_s : u"ok"_s;
            audit(request.target, u"migrate"_s, migrateAuditDetails(request, &result), outcome);
            return result;
        }
        catch (const Exception &e)
        {
            audit(request.target, u"migrate"_s, migrateAuditDetails(request, nullptr), e.error().toString());
            throw;
        }
    }

    RepairPlan planRepair(const MigrationRequest &request, const RepairOptions &options, JobContext &jc)
    {
        return prepare(request, jc)->planRepair(options, jc);
    }

    RepairPlan repair(const MigrationRequest &request, const RepairPlan &shown, const RepairOptions &options, JobContext &jc)
    {
        requireStore(request, u"repair"_s);
        return audited<RepairPlan>(
            request.target, u"repair"_s, [&](const RepairPlan *) -> QString { return shown.toText(); },
            [&] { return prepare(request, jc, u"repair the migration history"_s)->repair(shown, options, jc); });
    }

    MarkAppliedPlan planMarkApplied(const MigrationRequest &request, const QString &version, const QString &reason, JobContext &jc)
    {
        requireNotEmpty(version, u"mark-applied needs the version of the migration that was run by hand"_s);
        return prepare(request, jc)->planMarkApplied(version, reason, jc);
    }

    MarkAppliedPlan markApplied(const MigrationRequest &request, const MarkAppliedPlan &shown, JobContext &jc)
    {
        requireStore(request, u"mark-applied"_s);
        requireNotEmpty(shown.reason, u"--mark-applied needs --reason TEXT: why it was run by hand (it is recorded)"_s);
        return audited<MarkAppliedPlan>(
            request.target, u"mark-applied"_s, [&](const MarkAppliedPlan *) -> QString { return shown.toText(); },
            [&] { return prepare(request, jc, u"mark %1 as applied by hand"_s.arg(shown.version))->markApplied(shown, jc); });
    }

    QString baseline(const MigrationRequest &request, const QString &version, const QString &description, JobContext &jc)
    {
        requireStore(request, u"baseline"_s);
        requireNotEmpty(version, u"baseline needs --version V"_s);
        return audited<QString>(
            request.target, u"baseline"_s, [&](const QString *) -> QString { return version; },
            [&] {
                prepare(request, jc, u"baseline the migration history at "_s + version)->baseline(version, description, jc);
                return version;
            });
    }

    DownPlan planDown(const MigrationRequest &request, const QString &toVersion, JobContext &jc)
    {
        // An empty target is refused by the engine, naming the known versions ("the target version
        // is empty; known: 3 version(s), 0001 to 0003"): test_migrate_cli asserts that message.
        return prepare(request, jc)->planDown(toVersion, jc);
    }

    DownResult down(const MigrationRequest &request, const QString &toVersion, JobContext &jc)
    {
        requireStore(request, u"down"_s);
        requireNotEmpty(toVersion, u"down needs --target V (use 0 to revert everything)"_s);
        return audited<DownResult>(
            request.target, u"down"_s, [&](const DownResult *) -> QString { return u"to "_s + toVersion; },
            [&] { return prepare(request, jc, u"revert migrations above "_s + toVersion)->down(toVersion, jc); });
    }

    AdoptResult adopt(const MigrationRequest &request, const AdoptOptions &options, JobContext &jc)
    {
        requireStore(request, u"adopt"_s);
        const QString details =
            request.options.migrationsDir + (options.recordChecksums ? u" (checksums recorded from the files)"_s : QString());
        return audited<AdoptResult>(
            request.target, u"adopt"_s, [&](const AdoptResult *) -> QString { return details; },
            [&] { return prepare(request, jc, u"adopt the migration history"_s)->adopt(jc, options); });
    }

    namespace
    {
        std::unique_ptr<PgConnection> openLockConnection(const MigrationRequest &request, JobContext &jc)
        {
            ConnectParams params = resolve(request.target, jc.token());
            params.set(u"application_name"_s, u"dbops lock monitor"_s);
            ConnectOptions options;
            options.connectTimeoutSec = 5;
            options.retry.maxRetries = 0;
            return PgConnection::open(params, options, jc.token());
        }

        LockStatus readLock(PgConnection &conn, const MigrationRequest &request, std::shared_ptr<HistoryAdapter> &history, JobContext &jc)
        {
            if (!history)
                history = resolveHistory(conn, request.options.historyFormat, request.options.settings.historyTable, jc.token());
            LockStatus status;
            status.key = history->lockKey(conn, jc.token());
            status.historyTable = history->table();
            status.holder = MigrationLock::holder(conn, status.key, jc.token());
            status.checkedAt = QDateTime::currentDateTimeUtc();
            return status;
        }
    }

    LockStatus lockStatus(const MigrationRequest &request, JobContext &jc)
    {
        auto conn = openLockConnection(request, jc);
        std::shared_ptr<HistoryAdapter> history;
        return readLock(*conn, request, history, jc);
    }

    LockProbe::LockProbe(MigrationRequest request)
        : m_request(std::move(request))
    {
    }

    LockProbe::~LockProbe() = default;

    LockStatus LockProbe::probe(JobContext &jc)
    {
        if (m_conn && !m_conn->isOk())
        {
            m_conn.reset();
            m_history.reset();
        }
        if (!m_conn)
        {
            m_conn = openLockConnection(m_request, jc);
            ++m_opened;
        }
        try
        {
            return readLock(*m_conn, m_request, m_history, jc);
        }
        catch (const Exception &)
        {
            // A broken lease is reopened on the next probe; an error on a live one keeps it.
            if (!m_conn->isOk())
            {
                m_conn.reset();
                m_history.reset();
            }
            throw;
        }
    }
}
