#pragma once

#include "core/backup/premigrationbackup.h"
#include "core/migrate/migrationlock.h"
#include "core/migrate/migrator.h"
#include "core/ops/operation.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>

#include <memory>
#include <optional>

namespace dbops
{
    class PgConnection;

    /// The migration lock as the console's indicator shows it.
    struct LockStatus
    {
        qint64 key = 0;
        QString historyTable;
        std::optional<LockHolder> holder;
        QDateTime checkedAt;
    };
    // jobFailure(const MigrateResult &) is declared next to MigrateResult (core/migrate/migrator.h).
}

Q_DECLARE_METATYPE(dbops::LockStatus)

/// The migration operations, one job body each, shared by the console and the CLI. Each mutating
/// operation does the whole workflow in this order, and the faces do none of it themselves:
///   1. validate the request (Usage/BadInput: nothing connects);
///   2. resolve the target (ops::resolve; the password given, else libpq's own sources);
///   3. load the migration files (bad files are BadInput before any connection);
///   4. the production typed confirmation (ops::requireConfirmed), before any connection that changes;
///   5. the pre-change backup rule (preChangeBackupHook; installed on every non-dry run, the
///      migrator calls it under the lock just before its first change);
///   6. run (core/migrate's Migrator);
///   7. audit (one record per operation, with the same action, details and outcome text whichever
///      face started it).
/// Read-only operations (info, load, validate, the plan* calls, lockStatus, a dry run) do 1-3 and 6
/// and are not audited. All are blocking job bodies: call them on a worker (JobContext).
namespace dbops::ops
{
    /// One migration operation's input, as a face gathered it.
    struct MigrationRequest
    {
        /// Who and what: profile, password, store (required: the audit log and the backup rule), profiles.
        Target target;
        /// The folder (absolute; see resolveMigrationsDir), settings (history table included), history
        /// format (empty: detect), --target version and targetGiven, dryRun, allowOutOfOrder,
        /// approvalId. `beforeChange` and `backupId` are the operation's own: whatever a face put
        /// there is replaced by the pre-change backup rule.
        MigrateOptions options;
        /// What the person typed for a production target (--confirm, a prompt, the plan dialog's field).
        Confirmation confirmation;
        /// Receives what the pre-change backup rule did (read it after the job finished).
        std::shared_ptr<PreChangeOutcome> preChange = std::make_shared<PreChangeOutcome>();
    };

    /// The migrations folder, in one place for both faces: `given` (--migrations, the console's
    /// field), else $MIGRATIONS_DIR, else the profile's folder, else ./migrations; made absolute.
    QString resolveMigrationsDir(const QString &given, const ConnectionProfile &profile);

    /// The settings' defaults and the environment (MIGRATION_*, RUN_MIGRATIONS): BadInput names a
    /// malformed variable. The one place both faces take their defaults from.
    Expected<MigrationSettings> settingsFromEnvironment();

    /// BadInput when `format` is not empty and not one of historyFormats() (the console's choice and
    /// --history-format are checked by the same rule).
    void requireHistoryFormat(const QString &format);

    /// The timeline with the files it was computed from (the console's snapshot joins the two).
    struct LoadedTimeline
    {
        Timeline timeline;
        MigrationSet files;
    };

    /// The timeline (read-only, not audited).
    Timeline info(const MigrationRequest &request, JobContext &jc);
    /// The timeline and the files it was computed from (read-only, not audited).
    LoadedTimeline load(const MigrationRequest &request, JobContext &jc);
    /// The history against the files (read-only, not audited); problems are in the result, not thrown.
    ValidateResult validate(const MigrationRequest &request, JobContext &jc);

    /// Applies pending migrations (or, with options.dryRun, only plans them: no confirmation, no
    /// backup, not audited; the plan says up front when the real run would be refused and why:
    /// MigrateResult::refusal and blockers, the faces offer the fix: repair, adopt, out of order). With options.settings.runMigrations
    /// false it returns at once with MigrateResult::skipped set: nothing connects, nothing is audited. Otherwise every run is audited once,
    /// action "migrate", details migrateAuditDetails(), outcome "ok", "ok: nothing to apply", the failure's text or the cancel text (the
    /// job fails for the last two: jobFailure). Throws Usage (production, not confirmed: nothing connected), BadInput, LockTimeout,
    /// ProblemsFound, Connect as Migrator::migrate does (each audited).
    MigrateResult migrate(const MigrationRequest &request, JobContext &jc);
    /// The audit details of a migrate, whichever face started it: "apply pending from DIR" or
    /// "apply up to V from DIR", then, when it ran, "; N applied" and the versions.
    QString migrateAuditDetails(const MigrationRequest &request, const MigrateResult *result);

    /// What repair would change (read-only, not audited).
    RepairPlan planRepair(const MigrationRequest &request, const RepairOptions &options, JobContext &jc);
    /// Applies `shown` (the plan the person saw) as Migrator::repair does. Audited: action "repair",
    /// details shown.toText(). Production: the typed confirmation first.
    RepairPlan repair(const MigrationRequest &request, const RepairPlan &shown, const RepairOptions &options, JobContext &jc);

    /// What marking `version` applied by hand would record; `reason` may still be empty (the console
    /// asks for it in the dialog showing this plan). Read-only, not audited.
    MarkAppliedPlan planMarkApplied(const MigrationRequest &request, const QString &version, const QString &reason, JobContext &jc);
    /// Records `shown` (its reason given: Usage otherwise, nothing connected). Audited: action
    /// "mark-applied", details shown.toText(). Production: the typed confirmation first.
    MarkAppliedPlan markApplied(const MigrationRequest &request, const MarkAppliedPlan &shown, JobContext &jc);

    /// Baselines the history at `version` (Usage when empty); returns the version. Audited: action
    /// "baseline", details the version. Production: the typed confirmation first.
    QString baseline(const MigrationRequest &request, const QString &version, const QString &description, JobContext &jc);

    /// What down(toVersion) would revert, newest first, with the data loss of each down file
    /// (read-only, not audited; refuses as down does).
    DownPlan planDown(const MigrationRequest &request, const QString &toVersion, JobContext &jc);
    /// Reverts every applied migration above `toVersion` ("0": all; Usage when empty). Audited:
    /// action "down", details "to V". Production: the typed confirmation first.
    DownResult down(const MigrationRequest &request, const QString &toVersion, JobContext &jc);

    /// Takes another tool's history over into dbops'. Audited: action "adopt", details the folder
    /// and " (checksums recorded from the files)" when asked. Production: the typed confirmation first.
    AdoptResult adopt(const MigrationRequest &request, const AdoptOptions &options, JobContext &jc);

    /// Who holds the target's migration lock (the key of the history format it uses), on a new
    /// connection (5 s connect timeout, no retry). Read-only.
    LockStatus lockStatus(const MigrationRequest &request, JobContext &jc);

    /// The console's repeated lock probe: one leased connection reused across probes, reopened only
    /// when it broke. Use from one job at a time (any worker thread, never two at once).
    class LockProbe final
    {
    public:
        explicit LockProbe(MigrationRequest request);
        ~LockProbe();
        LockProbe(const LockProbe &) = delete;
        LockProbe &operator=(const LockProbe &) = delete;

        LockStatus probe(JobContext &jc);
        /// How many connections the probe opened so far (1 while the first one lives).
        int connectionsOpened() const { return m_opened; }

    private:
        MigrationRequest m_request;
        std::unique_ptr<PgConnection> m_conn;
        std::shared_ptr<HistoryAdapter> m_history;
        int m_opened = 0;
    };
}
