#pragma once

#include "core/db/connectparams.h"
#include "core/db/retry.h"
#include "core/migrate/history.h"
#include "core/migrate/migrationcatalog.h"
#include "core/migrate/migrationlock.h"
#include "core/migrate/settings.h"
#include "core/migrate/timeline.h"
#include "core/sql/sqlanalysis.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace dbops
{
    class JobContext;

    struct MigrateOptions
    {
        QString migrationsDir;
        MigrationSettings settings;
        /// Stop at this version (inclusive); empty = all. A target that is not a known version
        /// (a file's or a history row's) is BadInput before anything changes.
        QString target;
        bool targetGiven = false; ///< the face was given a target: an empty one is then bad input too
        bool dryRun = false;
        bool allowOutOfOrder = false;
        QString approvalId; ///< recorded on each history row
        QString backupId;   ///< the verified backup taken before (production)
        /// The history format: empty = detect (a database without one gets dbops' own).
        QString historyFormat;
        /// An explicit history adapter (tests); overrides historyFormat and detection.
        std::shared_ptr<HistoryAdapter> history;
        /// The pre-change rule (a verified backup before production changes), in one place for
        /// every mutating operation. Called on the job's thread, under the exclusive migration lock,
        /// at most once per operation, just before its first change, and only when something will
        /// change: a migrator that waited and finds nothing left never calls it. `what` says what is
        /// about to change ("apply 3 migration(s): 0004..0006"). Returns the id of the verified
        /// backup taken or reused (empty: none needed), recorded on the history rows. Throwing stops
        /// the operation before anything changed. Unset: no pre-change step.
        std::function<QString(const QString &what, JobContext &)> beforeChange;
    };

    struct AppliedMigration
    {
        QString version;
        QString description;
        QString script;
        qint64 ms = 0;
        int statements = 0;
        bool outOfOrder = false;
        bool noTransaction = false;
        QJsonObject toJson() const;
    };

    /// Where and why a migration failed.
    struct MigrationFailure
    {
        QString version;
        QString description;
        QString script;
        int statement = 0; ///< 1-based statement number, 0 when the failure is not in a statement
        int line = 0;      ///< the statement's line in the file
        Error error;
        bool rolledBack = true;
        int statementsDone = 0;      ///< non-transactional: statements that ran before the failure
        bool outcomeUnknown = false; ///< cancelled: whether it committed could not be checked
        QString toText() const;
        QJsonObject toJson() const;
    };

    struct PlannedMigration
    {
        QString version;
        QString description;
        QString script;
        bool noTransaction = false;
        bool outOfOrder = false;
        bool repeatable = false;
        int resumeFrom = 0;
        QStringList statements;
    };

    /// What migrate found before it changed anything, and the lock it took (seed 000's log).
    struct MigrateReport
    {
        QString historyFormat;
        QString historyTable;
        bool historyExisted = false; ///< false: dbops created it in this run (or, dry run: would)
        int appliedCount = 0;        ///< versioned migrations applied (or baselined) when the run began
        int pendingCount = 0;        ///< what this run was to apply
        bool lockTaken = false;
        bool lockShared = false; ///< only the shared lock: another migrator had done the work
        qint64 lockKey = 0;
        int lockWaitedMs = 0;
        bool lockReleased = false;
        QJsonObject historyJson() const;
        QJsonObject lockJson() const; ///< empty when no lock was taken (dry run)
    };

    struct MigrateResult
    {
        bool dryRun = false;
        MigrateReport report;
        QList<PlannedMigration> plan;
        QList<AppliedMigration> applied;
        std::optional<MigrationFailure> failure;
        std::optional<LockHolder> waitedFor;
        int lockWaitMs = 0;
        QString currentVersion; ///< after the run
        QStringList warnings;
        /// Dry run only: the problems that make the real run refuse (migrate throws `refusal` for
        /// them: "the history disagrees with the migration files; nothing was applied"). Empty: it
        /// would run. Faces show them before they offer to apply, with the fix for each.
        QList<TimelineProblem> blockers;
        /// Dry run only: the error the real run would be refused with (set when blockers is not empty).
        std::optional<Error> refusal;
        /// The run was cancelled: `applied` is what this run applied, `failure` (if set) the migration
        /// in flight and how far it got; the rest of `plan` stays pending. Faces exit with the cancel code.
        bool cancelled = false;
        /// RUN_MIGRATIONS=false: why nothing ran ("migrations are switched off by RUN_MIGRATIONS=…;
        /// nothing was applied and no connection was made"). Empty: the run happened.
        QString skipped;
        /// The versions (or repeatable names) of `plan` that stay pending after this run.
        QStringList stillPending() const;
        /// "cancelled: 1 migration(s) applied in this run (0001); 0002 (…) was in flight and was rolled back; …"
        QString cancelText() const;
        QJsonObject toJson() const;
        /// The plan as one SQL script, in order, as --dry-run prints it.
        QString planSql() const;
    };

    /// A migrate that stopped at a failing migration, or was cancelled, is a failed job (its
    /// result still says what was applied before): OperationFailed with the failure's text, or
    /// Cancelled with MigrateResult::cancelText(). A skipped, dry or complete run is no failure.
    /// (Next to the type, so that every TypedJob<MigrateResult> finds it.)
    std::optional<Error> jobFailure(const MigrateResult &result);

    struct ValidateResult
    {
        Timeline timeline;
        QList<TimelineProblem> problems;
        QMap<QString, QString> diffs; ///< version -> unified diff of applied SQL vs file
        QJsonObject toJson() const;
    };

    struct RepairAction
    {
        enum class Kind
        {
            RealignChecksum,
            RemoveFailed,
            MarkResumable,
            MarkMissing,
            ClearDirty,
            DropInvalidIndexes, ///< DROP INDEX CONCURRENTLY IF EXISTS each of `indexes`, outside a transaction
            Rerun               ///< the row says applied but its index was left invalid: run it again
        };
        Kind kind;
        QString version;
        QString text; ///< what it will do, in words
        HistoryRow row;
        QByteArray checksum;
        bool effectsComplete = false;
        QString previousVersion;
        QStringList indexes; ///< DropInvalidIndexes: the invalid indexes, as regclass prints them
        /// RealignChecksum of a real change: the unified diff from the SQL the history recorded to
        /// the file's SQL (empty when the history keeps no SQL). What the DBA accepts.
        QString diff;
    };

    /// What repair may do beyond the safe defaults.
    struct RepairOptions
    {
        bool acceptChanged = false; ///< re-stamp checksums even when the SQL really changed
        enum class Dirty
        {
            Ask,      ///< leave dirty versions alone and say how to resolve them
            Complete, ///< the DBA confirmed the dirty migration's effects are complete
            Reverted  ///< the DBA confirmed they were reverted
        } dirty = Dirty::Ask;
    };

    struct RepairPlan
    {
        QList<RepairAction> actions;
        QString historyFormat;
        QString historyTable;
        /// The history itself keeps a record of the repair (a REPAIR row). Otherwise (sqlx, plain,
        /// golang-migrate, Flyway) only dbops' audit log does.
        bool recordedInHistory = false;
        /// "recorded in the dbops history public.dbops_schema_history and in dbops' audit log", or
        /// "the sqlx history _sqlx_migrations keeps no record of repairs: recorded only in dbops' audit log".
        QString recordedIn() const;
        QStringList refused; ///< problems repair will not touch (e.g. SQL changed without --accept-changed)
        bool isEmpty() const { return actions.isEmpty(); }
        QString toText() const;
        QJsonObject toJson() const;
        bool sameAs(const RepairPlan &other) const;
    };

    struct AdoptOptions
    {
        /// Rows the old history keeps no checksum for (a plain table) get the checksum of their file
        /// as it is now, the row noting "checksum adopted from the file on DATE, not verified".
        bool recordChecksums = false;
    };

    /// `repair --mark-applied V --reason TEXT`: a migration the DBA ran by hand (seed 001's 0011),
    /// recorded as applied without running it. What will be recorded, then what was.
    struct MarkAppliedPlan
    {
        QString version;
        QString description;
        QString script;
        QString reason;
        QString osUser; ///< who, on this machine
        QString dbRole; ///< who, in the database (current_user)
        QString clientHost;
        QString historyFormat;
        QString historyTable;
        /// The history row itself says "marked by hand", by whom, when and why (dbops' history).
        /// Otherwise the format can only hold an applied row; the rest is in dbops' audit log alone.
        bool notedInHistory = false;
        QDateTime recordedAt; ///< set once recorded (the server's clock)
        QString backupId;     ///< the pre-change backup, when one was needed
        /// Where and how it is (or will be) recorded, in words.
        QString recordedIn() const;
        QString toText() const;
        QJsonObject toJson() const;
    };

    struct AdoptResult
    {
        QString fromFormat;
        QString fromTable;
        int rows = 0;
        int withChecksum = 0; ///< rows whose file still matched the old checksum: validated from now on
        bool recordChecksums = false;
        int recordedChecksums = 0;   ///< checksums taken from the files as they are (AdoptOptions::recordChecksums)
        QString checksumNote;        ///< the note those rows carry
        QStringList withoutChecksum; ///< applied versions adopted without any checksum
        QJsonObject toJson() const;
    };

    /// One migration a down would revert, with what its down file destroys.
    struct DownStep
    {
        QString version;
        QString description;
        QString script; ///< the down/undo file
        int statements = 0;
        QList<DataLossFinding> dataLoss;
    };

    /// What `down --target V` would do, computed without the lock and changing nothing; shown
    /// before the confirmation (the data loss first of all).
    struct DownPlan
    {
        QString target;
        QString currentVersion;
        QList<DownStep> steps; ///< newest first, the order they run in
        bool isEmpty() const { return steps.isEmpty(); }
        bool hasDataLoss() const;
        /// "  - 3 add_email (3_add_email.down.sql, 2 statement(s))" and under it
        /// "      data loss: drops column users.email (statement 1, line 1)".
        QString toText() const;
        /// Every "data loss: …" line, with its file.
        QStringList dataLossLines() const;
        QJsonObject toJson() const;
    };

    struct DownResult
    {
        QList<AppliedMigration> reverted;
        QString currentVersion;
        QJsonObject toJson() const;
    };

    /// Why down(target) would be refused for these timeline entries (version order), the same rule
    /// down and planDown apply: a baseline above the target (it has no down scripts), or an applied
    /// migration above it without a down/undo file. nullopt: the engine would run it. Plain
    /// computation (the console disables "Down to here" with it, before any plan is asked for).
    std::optional<Error> downRefusal(const QList<TimelineEntry> &entries, const QString &baselineVersion, const QString &target);

    /// The error migrate refuses to run with when the history disagrees with the files (`blocking`:
    /// the problems' messages), ProblemsFound; the dry run reports the same (MigrateResult::refusal).
    Error migrateRefusal(const QStringList &blocking);

    /// The migration engine: one instance per request, used on one worker thread (a Job).
    /// Every mutating operation takes the migration lock on a dedicated connection, recomputes
    /// the timeline under it, and releases it on every exit path.
    class Migrator final
    {
    public:
        Migrator(ConnectParams params, MigrateOptions options);
        ~Migrator();

        /// Reads the folder (BadInput on bad files, before any connection is made).
        const MigrationSet &load();
        const MigrationSet &migrations() const { return m_set; }

        Timeline info(JobContext &ctx);
        ValidateResult validate(JobContext &ctx);
        /// Applies pending migrations (or only plans them with dryRun). A failing migration is
        /// reported in MigrateResult::failure (the caller exits 5); earlier ones stay applied.
        /// Throws LockTimeout (exit 4), ProblemsFound (exit 1) when validation fails, Connect (3).
        MigrateResult migrate(JobContext &ctx);
        /// Reverts every applied migration above `target` (a known version, or "0": everything),
        /// newest first. An unknown target is BadInput before anything changes.
        DownResult down(const QString &target, JobContext &ctx);
        /// What down(target) would revert, newest first, each with its data-loss findings (DROP
        /// TABLE, DROP COLUMN, TRUNCATE, DELETE without WHERE…). Refuses as down() does (unknown
        /// target, a missing down file, a baseline in the way). Changes nothing; takes no lock.
        DownPlan planDown(const QString &target, JobContext &ctx);
        void baseline(const QString &version, const QString &description, JobContext &ctx);
        RepairPlan planRepair(const RepairOptions &options, JobContext &ctx);
        /// Applies `shown` in one transaction after checking, under the lock, that the history
        /// still yields the same plan (else OperationFailed: nothing changed).
        RepairPlan repair(const RepairPlan &shown, const RepairOptions &options, JobContext &ctx);
        /// What `repair --mark-applied` would record. BadInput when `version` is not a known pending
        /// (or out-of-order) migration (naming the nearby versions). `reason` may still be empty here
        /// (the GUI asks for it in the dialog that shows this plan); markApplied refuses it empty.
        MarkAppliedPlan planMarkApplied(const QString &version, const QString &reason, JobContext &ctx);
        /// Records `shown` under the lock after checking that the version is still pending (else
        /// OperationFailed: nothing changed); calls MigrateOptions::beforeChange before writing.
        /// Usage when shown.reason is empty.
        MarkAppliedPlan markApplied(const MarkAppliedPlan &shown, JobContext &ctx);
        /// Takes a database migrated by another tool over into the dbops history, copying every
        /// old row, in one transaction, under both that tool's lock and dbops' lock. The old table
        /// is left in place for the application that still reads it.
        /// A file whose old checksum no longer matches is BadInput (nothing changed).
        AdoptResult adopt(JobContext &ctx, const AdoptOptions &options = {});

    private:
        struct Session;
        /// Connects and takes the exclusive migration lock. With `doneOnceFree`, a lock already held
        /// by another migrator is first waited for in shared mode; if doneOnceFree then says the
        /// work is done, the session comes back with `satisfied` set and no exclusive lock.
        std::unique_ptr<Session> lockedSession(JobContext &ctx, const std::function<bool(PgConnection &)> &doneOnceFree = {});
        // migrate(), in its steps:
        /// The problems that stop a migrate (out-of-order ones only without allowOutOfOrder).
        QStringList blockingProblems(const Timeline &t) const;
        /// The dry run: the plan and its warnings, without the lock; changes nothing.
        MigrateResult planOnly(JobContext &ctx);
        /// BadInput before anything is touched when a pending file controls the transaction.
        void refusePendingTransactionControl(JobContext &ctx);
        /// Takes the lock for migrate (waiting in shared mode first) and records it in `result`;
        /// the session comes back `satisfied` when another migrator did the work meanwhile.
        std::unique_ptr<Session> lockForMigrate(MigrateResult &result, JobContext &ctx);
        /// The plan computed under the lock from `t` (ProblemsFound when the history disagrees).
        QList<const TimelineEntry *> planUnderLock(Session &session, const Timeline &t, MigrateResult &result, JobContext &ctx);
        /// Applies `plan` in order; false when cancelled between migrations (result says so).
        bool applyPlan(Session &session, const QList<const TimelineEntry *> &plan, MigrateResult &result, JobContext &ctx);
        /// After a failed attempt: true when it may be retried within the wait budget (waited);
        /// false to rethrow; throws the budget's exhaustion.
        bool retryMigrate(int attempt, const Error &error, JobContext &ctx);
        HistoryAdapter &history() { return *m_history; }
        /// Detects (once) which history the database keeps.
        HistoryAdapter &resolveHistory(PgConnection &conn, JobContext &ctx);
        Timeline readTimeline(PgConnection &conn, JobContext &ctx);
        /// Whether any file has transaction control (cheap: then the pending ones are checked).
        static bool anyTransactionControl(const MigrationSet &set);
        /// BadInput naming every statement of `plan` that controls the transaction (file:line).
        static void refuseTransactionControl(const MigrationSet &set, const QList<const TimelineEntry *> &plan);
        /// Fills TimelineEntry::invalidIndexes (one catalog query for the whole timeline).
        void markInvalidIndexes(PgConnection &conn, Timeline &t, JobContext &ctx);
        /// The applied migrations above target, newest first; throws BadInput for a missing down file.
        QList<const TimelineEntry *> downVictims(const Timeline &timeline, const QString &target) const;
        RepairPlan computeRepair(const Timeline &timeline, const RepairOptions &options) const;
        AppliedMigration applyTransactional(PgConnection &conn, const TimelineEntry &entry, JobContext &ctx, int index, int total);
        AppliedMigration applyNonTransactional(PgConnection &conn, const TimelineEntry &entry, JobContext &ctx, int index, int total);
        QStringList checkTarget(PgConnection &conn, JobContext &ctx);
        /// Whether `entry` committed after all (a cancel can arrive as the COMMIT completes): the
        /// history says so. nullopt when the history cannot be read.
        std::optional<bool> committedSince(PgConnection &conn, const TimelineEntry &entry);
        /// A second connection watching who blocks `conn` (only with a SQL lock_timeout set).
        std::unique_ptr<LockWaitWatcher> lockWatcher(PgConnection &conn) const;
        /// Waits and returns true when a lock timeout at `where` may be retried within the budget.
        bool retryLockTimeout(int attempt, const QString &where, JobContext &ctx);
        /// Adds the relation and the sessions that held the lock (and the tries) to a 55P03 error.
        void explainLockTimeout(Error &error, const LockWaitWatcher *watcher, int attempts) const;
        /// Throws BadInput, naming the nearest known versions, unless `target` is a migration file's
        /// version or one in the history (`zeroMeansAll`: "0" is valid too, for down). Reads the
        /// history only when no file has that version; changes nothing.
        /// MigrateOptions::beforeChange, at most once per operation; call under the lock, just before
        /// the first change, only when something will change.
        void callBeforeChange(const QString &what, JobContext &ctx);
        /// Creates the history table if the locked session found none (after callBeforeChange).
        void ensureHistory(Session &session, JobContext &ctx);
        /// Starts a public operation: a fresh wait budget (MIGRATION_MAX_WAIT_TIME, MIGRATION_MAX_RETRIES)
        /// for all its connects, retries and lock waits, and beforeChange not yet called.
        void beginOperation();
        /// Opens a connection on the operation's budget.
        std::unique_ptr<PgConnection> openConnection(const ConnectParams &params, JobContext &ctx);
        void requireKnownVersion(const QString &target, bool zeroMeansAll, JobContext &ctx);

        ConnectParams m_params;
        MigrateOptions m_options;
        std::shared_ptr<HistoryAdapter> m_history;
        QStringList m_historyNotes;
        MigrationSet m_set;
        bool m_loaded = false;
        QElapsedTimer m_lockBudget;      ///< since the first migration of the run: lock-timeout retries stay within maxWaitSec
        bool m_beforeChangeDone = false; ///< beforeChange ran in the current operation
        RetryBudget m_budget;            ///< the current operation's one wait budget
    };

    /// Thrown by apply* for a migration's own SQL error: carries the failure report.
    class MigrationFailed final : public std::exception
    {
    public:
        explicit MigrationFailed(MigrationFailure failure)
            : m_failure(std::move(failure))
        {
        }
        const MigrationFailure &failure() const { return m_failure; }
        const char *what() const noexcept override { return "migration failed"; }

    private:
        MigrationFailure m_failure;
    };
}

Q_DECLARE_METATYPE(dbops::Timeline)
Q_DECLARE_METATYPE(dbops::MigrateResult)
Q_DECLARE_METATYPE(dbops::ValidateResult)
Q_DECLARE_METATYPE(dbops::RepairPlan)
Q_DECLARE_METATYPE(dbops::DownResult)
Q_DECLARE_METATYPE(dbops::DownPlan)
Q_DECLARE_METATYPE(dbops::AdoptResult)
Q_DECLARE_METATYPE(dbops::MarkAppliedPlan)
