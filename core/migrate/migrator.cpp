#include "core/migrate/migrator.h"
#include "core/migrate/migratorsession.h"

#include "core/db/pgconnection.h"
#include "core/db/retry.h"
#include "core/jobs/job.h"
#include "core/logging/log.h"
#include "core/migrate/dbopshistory.h"
#include "core/migrate/historyformats.h"
#include "core/migrate/migrationcatalog.h"
#include "core/migrate/sqldiff.h"
#include "core/sql/sqlanalysis.h"
#include "core/store/auditlog.h"

#include <QElapsedTimer>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    ConnectParams withApplicationName(ConnectParams params, const QString &name)
    {
        params.set(u"application_name"_s, name);
        return params;
    }

    QList<PipelineStep> sessionSettings(const MigrationSettings &s, bool local)
    {
        QList<PipelineStep> steps;
        const QString scope = local ? u"SET LOCAL "_s : u"SET "_s;
        if (s.sqlLockTimeoutMs > 0)
            steps.append({scope + u"lock_timeout = %1"_s.arg(s.sqlLockTimeoutMs), {}});
        if (s.sqlStatementTimeoutMs > 0)
            steps.append({scope + u"statement_timeout = %1"_s.arg(s.sqlStatementTimeoutMs), {}});
        return steps;
    }

    /// The file line of a server error inside statement `st` (its position is within the statement).
    int errorLine(const SqlStatement &st, const Error &error)
    {
        if (error.position <= 0)
            return st.line;
        int line = 1, column = 1;
        lineColumnAt(st.text, error.position - 1, &line, &column);
        return st.line + line - 1;
    }

    void rollbackQuietly(PgConnection &conn)
    {
        if (!conn.isOk())
            return;
        try
        {
            conn.exec(u"ROLLBACK"_s);
        }
        catch (const Exception &)
        {
        }
    }

    QList<QueryResult> execInTransaction(PgConnection &conn, const QList<PipelineStep> &steps, CancelToken *token,
                                         const std::function<QString(int failedStep, const Error &error)> &where)
    {
        int failed = -1;
        try
        {
            return conn.execPipeline(steps, token, &failed);
        }
        catch (const Exception &e)
        {
            rollbackQuietly(conn);
            Error err = e.error();
            if (!err.isCancelled())
                err.code = ErrorCode::OperationFailed;
            err.context = where(failed, e.error());
            throw Exception(err);
        }
    }

    namespace
    {
        /// Runs one of dbops' own steps (history, lock); a failure says which step and statement,
        /// so a refused SELECT or CREATE (42501) is not a bare "permission denied". An error that
        /// already says where it happened, a cancel and a lock timeout keep their own words.
        template <typename Fn>
        auto named(const QString &what, Fn &&fn) -> decltype(fn())
        {
            try
            {
                return fn();
            }
            catch (const Exception &e)
            {
                const Error &err = e.error();
                if (!err.context.isEmpty() || err.isCancelled() || err.code == ErrorCode::LockTimeout || err.sqlstate.isEmpty())
                    throw;
                Error named = err;
                named.context = what;
                throw Exception(named);
            }
        }

        /// Seed 000: log the state found before anything changes, and keep it for --json.
        void reportFound(MigrateReport &r, const Timeline &t, bool existed, int pending, bool dryRun, JobContext &ctx)
        {
            r.historyFormat = t.historyFormat;
            r.historyTable = t.historyTable;
            r.historyExisted = existed;
            r.appliedCount = 0;
            for (const TimelineEntry &e : t.entries)
                if (!e.repeatable && e.isApplied())
                    ++r.appliedCount;
            r.pendingCount = pending;
            ctx.log(u"history found: %1 table %2, %3"_s.arg(
                t.historyFormat, t.historyTable,
                existed                  ? u"exists"_s
                : dryRun || pending == 0 ? u"does not exist yet (created only when a migration runs)"_s
                                         : u"does not exist yet (created under the lock before the first migration)"_s));
            ctx.log(u"migrations: %1 applied, %2 pending%3"_s.arg(r.appliedCount).arg(pending).arg(dryRun ? u" (dry run)"_s : QString()));
        }
    }

    Migrator::Migrator(ConnectParams params, MigrateOptions options)
        : m_params(std::move(params))
        , m_options(std::move(options))
    {
        m_history = m_options.history;
    }

    Migrator::~Migrator() = default;

    const MigrationSet &Migrator::load()
    {
        if (!m_loaded)
        {
            auto set = loadMigrations(m_options.migrationsDir);
            if (!set)
                throw Exception(set.error());
            m_set = std::move(*set);
            m_loaded = true;
        }
        return m_set;
    }

    QStringList Migrator::checkTarget(PgConnection &conn, JobContext &ctx)
    {
        // Behind a transaction-mode pooler consecutive statements may reach different backends,
        // and a session advisory lock then protects nothing.
        QStringList warnings;
        const int a = int(conn.exec(u"SELECT pg_backend_pid()"_s, {}, ctx.token()).value(0, 0).toLongLong());
        const int b = int(conn.exec(u"SELECT pg_backend_pid()"_s, {}, ctx.token()).value(0, 0).toLongLong());
        if (a != b || conn.port() == u"6432"_s)
            warnings << u"the target looks like a transaction-mode connection pooler (%1): session advisory locks are unsafe "
                        u"behind one; connect dbops directly to PostgreSQL"_s.arg(a != b ? u"two statements reached different backends"_s
                                                                                         : u"port 6432"_s);
        for (const QString &w : warnings)
            spdlog::warn("{}", w);
        return warnings;
    }

    namespace
    {
        /// A version as files and histories spell it: segments of letters and digits joined by
        /// '.', '_' or '-'. Version() alone would read "-1" as "1" and "abc;DROP" as one segment.
        bool wellFormedVersion(const QString &text)
        {
            static const QRegularExpression re(u"^[0-9A-Za-z]+(?:[._-][0-9A-Za-z]+)*$"_s);
            return re.match(text).hasMatch();
        }

        Error unknownVersion(const QString &target, QStringList known, bool zeroMeansAll)
        {
            std::sort(known.begin(), known.end(), [](const QString &a, const QString &b) { return Version(a) < Version(b); });
            known.erase(
                std::unique(known.begin(), known.end(), [](const QString &a, const QString &b) { return Version(a) == Version(b); }),
                known.end());
            QString below, above;
            if (!Version(target).isEmpty())
                for (const QString &k : known)
                {
                    if (!(Version(target) < Version(k)))
                        below = k; // "-1" reads as 1: then 1 is the nearest below
                    else if (above.isEmpty())
                        above = k;
                }
            QString message = target.isEmpty() ? u"the target version is empty"_s : u"the target '%1' is not a known version"_s.arg(target);
            message += u" (neither a migration file's version nor one in the history); nothing was changed"_s;
            Error e = Error::make(ErrorCode::BadInput, message);
            if (known.isEmpty())
                e.detail = u"there are no known versions: the folder has no versioned migration and the history none"_s;
            else
            {
                QStringList nearest;
                if (!below.isEmpty())
                    nearest << below;
                if (!above.isEmpty())
                    nearest << above;
                e.detail = (nearest.isEmpty() ? QString() : u"nearest known versions: "_s + nearest.join(u", "_s) + u"; "_s)
                           + u"known: %1 version(s), %2 to %3"_s.arg(known.size()).arg(known.first(), known.last());
            }
            e.hint = zeroMeansAll ? u"give one of the known versions, or 0 to revert everything"_s
                                  : u"give one of the known versions, or no target to apply everything pending"_s;
            return e;
        }
    }

    void Migrator::requireKnownVersion(const QString &target, bool zeroMeansAll, JobContext &ctx)
    {
        const bool wellFormed = wellFormedVersion(target);
        if (wellFormed && zeroMeansAll && Version(target) == Version(u"0"_s))
            return;
        QStringList known;
        for (const Migration &m : m_set.migrations)
            if (!m.version.isEmpty())
            {
                if (wellFormed && m.version == Version(target))
                    return;
                known << m.version.text();
            }
        // Not a file's version: it may still be one the history names (a file deleted since).
        // A malformed target cannot be either; it is refused without connecting.
        if (wellFormed)
        {
            auto conn = openConnection(m_params, ctx);
            const Timeline t = readTimeline(*conn, ctx);
            for (const TimelineEntry &e : t.entries)
                if (!e.repeatable && !e.version.isEmpty())
                {
                    if (Version(e.version) == Version(target))
                        return;
                    known << e.version;
                }
        }
        throw Exception(unknownVersion(target, known, zeroMeansAll));
    }

    namespace
    {
        RetryPolicy retryPolicy(const MigrationSettings &s)
        {
            return RetryPolicy{
                .maxRetries = s.maxRetries, .initialBackoffMs = s.retryBackoffMs, .multiplier = 2.0, .maxBackoffMs = 30000, .jitter = 0.25};
        }
    }

    void Migrator::beginOperation()
    {
        m_beforeChangeDone = false;
        m_budget = RetryBudget(m_options.settings.maxRetries, qint64(m_options.settings.maxWaitSec) * 1000,
                               u"MIGRATION_MAX_WAIT_TIME / --max-wait"_s);
    }

    std::unique_ptr<PgConnection> Migrator::openConnection(const ConnectParams &params, JobContext &ctx)
    {
        ConnectOptions options;
        options.retry = retryPolicy(m_options.settings);
        options.budget = &m_budget;
        return PgConnection::open(params, options, ctx.token());
    }

    void Migrator::callBeforeChange(const QString &what, JobContext &ctx)
    {
        // Once per operation: a backup already taken (or given by the face) covers this change.
        if (!m_options.beforeChange || !m_options.backupId.isEmpty() || m_beforeChangeDone)
            return;
        ctx.log(u"before the change (%1): running the pre-change step"_s.arg(what));
        m_options.backupId = m_options.beforeChange(what, ctx);
        m_beforeChangeDone = true; // a retry of the same operation does not call it again
    }

    std::unique_ptr<Migrator::Session> Migrator::lockedSession(JobContext &ctx, const std::function<bool(PgConnection &)> &doneOnceFree)
    {
        auto s = std::make_unique<Session>();
        s->work = openConnection(withApplicationName(m_params, u"dbops migrate"_s), ctx);
        // If this client dies mid-migration, the server notices within a second and rolls the
        // migration back instead of finishing what was already sent (PostgreSQL 14+).
        if (s->work->serverVersionNum() >= 140000)
            s->work->exec(u"SET client_connection_check_interval = 1000"_s, {}, ctx.token());
        s->warnings = checkTarget(*s->work, ctx);
        const qint64 key = named(u"computing the migration lock key (SELECT current_database())"_s,
                                 [&] { return resolveHistory(*s->work, ctx).lockKey(*s->work, ctx.token()); });
        s->key = key;
        const auto onWaiting = [&ctx](const LockHolder &h, int) {
            const QString text = u"waiting for the migration lock held by "_s + h.toText();
            ctx.log(text);
            ctx.progress(0, 0, text);
        };
        ctx.progress(0, 0, u"taking the migration lock"_s);
        // The lock wait draws on the same budget as the connects and retries before it.
        const auto lockSettings = [this] {
            MigrationSettings ls = m_options.settings;
            ls.maxWaitSec = int(std::min<qint64>(ls.maxWaitSec, (m_budget.remainingMs() + 999) / 1000));
            return ls;
        };
        if (doneOnceFree && MigrationLock::holder(*s->work, key, ctx.token()))
        {
            // Someone is migrating. Wait until they are done (a shared lock is granted to every
            // waiter together), then see whether anything is left; the history cannot change
            // while we hold the shared lock.
            auto shared = named(u"waiting for the migration lock (SELECT pg_try_advisory_lock_shared(%1))"_s.arg(key), [&] {
                return std::make_unique<MigrationLock>(*s->work, key, lockSettings(), ctx.token(), onWaiting, MigrationLock::Mode::Shared);
            });
            m_budget.spend(shared->waitedMs());
            s->waitedFor = shared->waitedFor();
            s->waitedMs = shared->waitedMs();
            ctx.log(u"migration lock taken (shared): key %1, waited %2 ms"_s.arg(key).arg(shared->waitedMs()));
            if (doneOnceFree(*s->work))
            {
                s->satisfied = true;
                s->sharedReleased = shared->release();
                ctx.log(u"migration lock released (shared): key %1"_s.arg(key));
                return s;
            }
        }
        s->lock = named(u"taking the migration lock (SELECT pg_try_advisory_lock(%1))"_s.arg(key),
                        [&] { return std::make_unique<MigrationLock>(*s->work, key, lockSettings(), ctx.token(), onWaiting); });
        m_budget.spend(s->lock->waitedMs());
        // Faces use this to tell "held by us" from "held by another session" (the lock's holder pid).
        ctx.log(u"migration lock taken by backend pid %1"_s.arg(s->work->backendPid()));
        ctx.log(u"migration lock taken: key %1, waited %2 ms"_s.arg(key).arg(s->lock->waitedMs()));
        if (!s->waitedFor)
        {
            s->waitedFor = s->lock->waitedFor();
            s->waitedMs = s->lock->waitedMs();
        }
        if (!named(u"checking whether %1 exists (pg_catalog)"_s.arg(history().table()),
                   [&] { return history().exists(*s->work, ctx.token()); }))
        {
            if (!history().canWrite())
                throw Exception(ErrorCode::BadInput, u"the %1 history is read-only for dbops"_s.arg(history().format()));
            // Created by ensureHistory() only once something will change, after the pre-change
            // step: a run that changes nothing (or whose pre-change step refuses) leaves no table.
            s->historyExisted = false;
        }
        return s;
    }

    void Migrator::ensureHistory(Session &s, JobContext &ctx)
    {
        if (s.historyExisted || s.historyCreated)
            return;
        named(u"creating the history table %1 (CREATE TABLE %1)"_s.arg(history().table()), [&] { history().create(*s.work, ctx.token()); });
        s.historyCreated = true;
        ctx.log(u"created the %1 history table %2"_s.arg(history().format(), history().table()));
    }

    HistoryAdapter &Migrator::resolveHistory(PgConnection &conn, JobContext &ctx)
    {
        if (!m_history)
        {
            m_history = named(u"detecting the history table (reading pg_catalog)"_s, [&] {
                return dbops::resolveHistory(conn, m_options.historyFormat, m_options.settings.historyTable, ctx.token(), &m_historyNotes);
            });
            spdlog::debug("history format: {} ({})", m_history->format(), m_history->table());
        }
        return *m_history;
    }

    Timeline Migrator::readTimeline(PgConnection &conn, JobContext &ctx)
    {
        resolveHistory(conn, ctx);
        const bool exists =
            named(u"checking whether %1 exists (pg_catalog)"_s.arg(history().table()), [&] { return history().exists(conn, ctx.token()); });
        QList<HistoryRow> rows = exists ? named(u"reading the history (SELECT … FROM %1)"_s.arg(history().table()),
                                                [&] { return history().read(conn, ctx.token()); })
                                        : QList<HistoryRow>();
        const QStringList notUnderstood = history().interpret(m_set, rows);
        // The applied SQL is only needed to explain a changed file: fetch it for those rows alone.
        QList<HistoryRow *> changed;
        for (HistoryRow &row : rows)
            if (row.type == HistoryRow::Type::Migration && row.success && !row.checksum.isEmpty())
                if (const Migration *m = m_set.find(Version(row.version)); m && history().checksum(m->up) != row.checksum)
                    changed << &row;
        named(u"reading the applied SQL (SELECT applied_sql FROM %1)"_s.arg(history().table()),
              [&] { history().fetchAppliedSql(conn, changed, ctx.token()); });
        Timeline t = buildTimeline(m_set, rows, history());
        t.historyExists = exists;
        t.warnings << m_historyNotes << notUnderstood;
        markInvalidIndexes(conn, t, ctx);
        return t;
    }

    Timeline Migrator::info(JobContext &ctx)
    {
        load();
        beginOperation();
        ctx.progress(0, 0, u"reading the history"_s);
        auto conn = openConnection(m_params, ctx);
        return readTimeline(*conn, ctx);
    }

    ValidateResult Migrator::validate(JobContext &ctx)
    {
        ValidateResult r;
        r.timeline = info(ctx);
        r.problems = r.timeline.problems();
        for (const TimelineEntry &e : r.timeline.entries)
            if (e.state == MigrationState::ChecksumMismatch && e.row && !e.row->appliedSql.isNull() && e.migrationIndex >= 0)
                r.diffs.insert(e.version, unifiedDiff(e.row->appliedSql, m_set.migrations[e.migrationIndex].up.sql,
                                                      u"applied/"_s + e.script, u"file/"_s + e.script));
        return r;
    }

    namespace
    {
        PlannedMigration toPlanned(const TimelineEntry &e, const Migration &m)
        {
            PlannedMigration p;
            p.version = e.version;
            p.description = e.description;
            p.script = e.script;
            p.noTransaction = m.up.noTransaction;
            p.outOfOrder = e.state == MigrationState::OutOfOrder;
            p.repeatable = e.repeatable;
            p.resumeFrom = e.resumeFrom;
            for (const SqlStatement &s : m.up.statements)
                p.statements << s.text;
            return p;
        }
    }

    Error migrateRefusal(const QStringList &blocking)
    {
        Error e = Error::make(ErrorCode::ProblemsFound, u"the history disagrees with the migration files; nothing was applied"_s);
        e.detail = blocking.join(u'\n');
        e.hint = u"see 'dbops validate'; fix the files, or run 'dbops repair' (--allow-out-of-order for out-of-order files)"_s;
        return e;
    }

    QStringList Migrator::blockingProblems(const Timeline &t) const
    {
        QStringList out;
        for (const TimelineProblem &p : t.problems())
            if (!(p.state == MigrationState::OutOfOrder && m_options.allowOutOfOrder))
                out << p.message;
        return out;
    }

    MigrateResult Migrator::planOnly(JobContext &ctx)
    {
        MigrateResult result;
        result.dryRun = true;
        auto conn = openConnection(m_params, ctx);
        const Timeline t = readTimeline(*conn, ctx);
        result.warnings = blockingProblems(t);
        for (const TimelineProblem &p : t.problems())
            if (!(p.state == MigrationState::OutOfOrder && m_options.allowOutOfOrder))
                result.blockers << p;
        if (!result.warnings.isEmpty())
            result.refusal = migrateRefusal(result.warnings);
        const QList<const TimelineEntry *> pending = t.pending(m_options.target, m_options.allowOutOfOrder);
        refuseTransactionControl(m_set, pending);
        for (const TimelineEntry *e : pending)
            result.plan << toPlanned(*e, m_set.migrations[e->migrationIndex]);
        result.currentVersion = t.currentVersion;
        reportFound(result.report, t, t.historyExists, int(result.plan.size()), true, ctx);
        return result;
    }

    void Migrator::refusePendingTransactionControl(JobContext &ctx)
    {
        // A file with transaction control is refused before anything is touched (the history
        // table is not even created) when it is pending; applied files are never re-checked.
        if (!anyTransactionControl(m_set))
            return;
        auto conn = openConnection(m_params, ctx);
        refuseTransactionControl(m_set, readTimeline(*conn, ctx).pending(m_options.target, m_options.allowOutOfOrder));
    }

    std::unique_ptr<Migrator::Session> Migrator::lockForMigrate(MigrateResult &result, JobContext &ctx)
    {
        QString currentOnceFree;
        auto session = lockedSession(ctx, [&](PgConnection &conn) {
            const Timeline t = readTimeline(conn, ctx);
            currentOnceFree = t.currentVersion;
            const bool done =
                t.historyExists && blockingProblems(t).isEmpty() && t.pending(m_options.target, m_options.allowOutOfOrder).isEmpty();
            if (done)
                reportFound(result.report, t, true, 0, false, ctx);
            return done;
        });
        result.warnings = session->warnings;
        result.waitedFor = session->waitedFor;
        result.lockWaitMs = session->waitedMs;
        result.report.lockTaken = true;
        result.report.lockKey = session->key;
        result.report.lockWaitedMs = session->waitedMs;
        if (session->satisfied)
        {
            result.report.lockShared = true;
            result.report.lockReleased = session->sharedReleased;
            result.currentVersion = currentOnceFree;
            ctx.log(u"another migrator applied everything while we waited; nothing left to apply"_s);
        }
        return session;
    }

    QList<const TimelineEntry *> Migrator::planUnderLock(Session &session, const Timeline &t, MigrateResult &result, JobContext &ctx)
    {
        const QStringList blocking = blockingProblems(t);
        if (!blocking.isEmpty())
        {
            throw Exception(migrateRefusal(blocking));
        }
        const QList<const TimelineEntry *> plan = t.pending(m_options.target, m_options.allowOutOfOrder);
        refuseTransactionControl(m_set, plan);
        result.plan.clear();
        for (const TimelineEntry *e : plan)
            result.plan << toPlanned(*e, m_set.migrations[e->migrationIndex]);
        result.currentVersion = t.currentVersion;
        reportFound(result.report, t, session.historyExisted, int(plan.size()), false, ctx);
        return plan;
    }

    bool Migrator::applyPlan(Session &session, const QList<const TimelineEntry *> &plan, MigrateResult &result, JobContext &ctx)
    {
        for (int i = 0; i < plan.size(); ++i)
        {
            const TimelineEntry &e = *plan[i];
            try
            {
                ctx.throwIfCancelled();
                const AppliedMigration applied = m_set.migrations[e.migrationIndex].up.noTransaction
                                                     ? applyNonTransactional(*session.work, e, ctx, i, int(plan.size()))
                                                     : applyTransactional(*session.work, e, ctx, i, int(plan.size()));
                result.applied << applied;
                if (!e.repeatable)
                    result.currentVersion = applied.version;
            }
            catch (const Exception &ex)
            {
                // Cancelled between migrations (or while a lock-timeout retry waited, after
                // its rollback): nothing of the next one ran. Say what this run did.
                if (!ex.error().isCancelled())
                    throw;
                result.cancelled = true;
                ctx.log(result.cancelText());
                return false;
            }
        }
        ctx.progress(plan.size(), plan.size(), u"%1 migration(s) applied"_s.arg(plan.size()));
        ctx.setSummary(u"%1 migration(s) applied"_s.arg(plan.size())); // the job's final text
        return true;
    }

    MigrateResult Migrator::migrate(JobContext &ctx)
    {
        load();
        beginOperation();
        if (!m_options.target.isEmpty() || m_options.targetGiven)
            requireKnownVersion(m_options.target, false, ctx);
        if (m_options.dryRun)
            return planOnly(ctx);
        refusePendingTransactionControl(ctx);
        MigrateResult result;
        for (int attempt = 0;; ++attempt)
        {
            std::unique_ptr<Session> session; // outlives the try: a failed migration still reports the release
            const auto releaseLock = [&] {
                if (!session || !session->lock)
                    return;
                result.report.lockReleased = session->lock->release();
                ctx.log(result.report.lockReleased ? u"migration lock released: key %1"_s.arg(session->key)
                                                   : u"migration lock %1 goes with the lost session"_s.arg(session->key));
            };
            try
            {
                session = lockForMigrate(result, ctx);
                if (session->satisfied)
                    return result;
                // The plan is computed under the lock: a migrator that waited applies nothing twice.
                const Timeline t = readTimeline(*session->work, ctx); // the plan points into it
                const QList<const TimelineEntry *> plan = planUnderLock(*session, t, result, ctx);
                if (!plan.isEmpty())
                {
                    callBeforeChange(u"apply %1 migration(s): %2..%3"_s.arg(plan.size()).arg(plan.first()->version, plan.last()->version),
                                     ctx);
                    ensureHistory(*session, ctx);
                }
                if (applyPlan(*session, plan, result, ctx))
                    releaseLock();
                return result;
            }
            catch (const MigrationFailed &f)
            {
                releaseLock();
                result.failure = f.failure();
                result.cancelled = f.failure().error.isCancelled();
                if (result.cancelled)
                    ctx.log(result.cancelText());
                return result;
            }
            catch (const Exception &e)
            {
                session.reset(); // never hold the lock (or a broken session) through the backoff
                if (!retryMigrate(attempt, e.error(), ctx))
                    throw;
            }
        }
    }

    bool Migrator::retryMigrate(int attempt, const Error &error, JobContext &ctx)
    {
        // One budget with the connection's own retries (MIGRATION_MAX_RETRIES and
        // MIGRATION_MAX_WAIT_TIME in all): a connect that already gave up is not retried again.
        if (error.code == ErrorCode::LockTimeout || !isTransient(error) || m_budget.gaveUp())
            return false;
        m_budget.noteFailure(u"migrate"_s, error);
        ctx.log(u"transient failure (%1); retrying within the wait budget (attempt %2)"_s.arg(error.message).arg(attempt + 2));
        if (!m_budget.retry(retryPolicy(m_options.settings), ctx.token()))
            throw Exception(m_budget.exhausted(error));
        return true;
    }

    AppliedMigration Migrator::applyTransactional(PgConnection &conn, const TimelineEntry &entry, JobContext &ctx, int index, int total)
    {
        const Migration &m = m_set.migrations[entry.migrationIndex];
        const QString label = entry.repeatable ? entry.description : entry.version + u' ' + entry.description;
        ctx.progress(index, total, u"applying "_s + label);

        QList<PipelineStep> steps{{u"BEGIN"_s, {}}};
        steps << sessionSettings(m_options.settings, true);
        const int first = int(steps.size());
        for (const SqlStatement &s : m.up.statements)
            steps.append({s.text, {}});
        const int historyStep = int(steps.size());
        ApplyRecord record{&m, entry.state == MigrationState::OutOfOrder, m_options.approvalId, m_options.backupId, 0};
        steps << history().recordApplied(record);
        steps.append({u"COMMIT"_s, {}});

        QElapsedTimer timer;
        int failed = -1;
        const int statements = int(m.up.statements.size());
        if (!m_lockBudget.isValid())
            m_lockBudget.start();
        const auto watcher = lockWatcher(conn);
        for (int attempt = 1;; ++attempt)
            try
            {
                timer.start();
                failed = -1;
                if (watcher)
                    watcher->reset();
                conn.execPipeline(steps, ctx.token(), &failed, [&](int step) {
                    if (step >= first && step < historyStep && statements > 1)
                        ctx.progress(index, total, u"applying %1: statement %2 of %3"_s.arg(label).arg(step - first + 1).arg(statements));
                });
                break;
            }
            catch (const Exception &e)
            {
                rollbackQuietly(conn);
                const bool lockTimeout = e.error().sqlstate == u"55P03"_s;
                if (e.error().isCancelled())
                {
                    // Cancelled in flight: say "rolled back" only once the history proves that nothing
                    // of it committed (a cancel can arrive as the COMMIT completes).
                    const std::optional<bool> committed = committedSince(conn, entry);
                    if (committed.value_or(false))
                    {
                        ctx.log(u"applied %1 (the cancel arrived as it committed)"_s.arg(label));
                        return AppliedMigration{entry.version, entry.description,
                                                entry.script,  timer.elapsed(),
                                                statements,    entry.state == MigrationState::OutOfOrder,
                                                false};
                    }
                    MigrationFailure f;
                    f.version = entry.version;
                    f.description = entry.description;
                    f.script = entry.script;
                    f.error = e.error();
                    f.rolledBack = committed.has_value();
                    f.outcomeUnknown = !committed.has_value();
                    if (failed >= first && failed < historyStep)
                    {
                        f.statement = failed - first + 1;
                        f.line = m.up.statements[failed - first].line;
                    }
                    throw MigrationFailed(f);
                }
                if (isTransient(e.error()) && !lockTimeout)
                    throw;
                const QString where = failed >= first && failed < historyStep
                                          ? u"%1:%2, statement %3"_s.arg(m.up.fileName)
                                                .arg(errorLine(m.up.statements[failed - first], e.error()))
                                                .arg(failed - first + 1)
                                          : m.up.fileName;
                if (lockTimeout && retryLockTimeout(attempt, where, ctx))
                    continue;
                MigrationFailure f;
                f.version = entry.version;
                f.description = entry.description;
                f.script = entry.script;
                f.error = e.error();
                f.rolledBack = true;
                if (failed >= first && failed < historyStep)
                {
                    const SqlStatement &st = m.up.statements[failed - first];
                    f.statement = failed - first + 1;
                    f.line = errorLine(st, e.error());
                }
                else if (failed >= historyStep)
                    f.error.context = u"recording the migration in "_s + history().table();
                if (lockTimeout)
                    explainLockTimeout(f.error, watcher.get(), attempt);
                // Not logged here: the result carries it and fails its job, which logs it once, at error.
                throw MigrationFailed(f);
            }
        AppliedMigration a{
            entry.version, entry.description, entry.script, timer.elapsed(), statements, entry.state == MigrationState::OutOfOrder, false};
        ctx.log(u"applied %1 (%2 statements, %3 ms)"_s.arg(label).arg(statements).arg(a.ms));
        return a;
    }

    AppliedMigration Migrator::applyNonTransactional(PgConnection &conn, const TimelineEntry &entry, JobContext &ctx, int index, int total)
    {
        const Migration &m = m_set.migrations[entry.migrationIndex];
        const QString label = entry.version + u' ' + entry.description;
        ApplyRecord record{&m, entry.state == MigrationState::OutOfOrder, m_options.approvalId, m_options.backupId, entry.resumeFrom};
        history().recordStarted(conn, record, ctx.token());
        for (const PipelineStep &s : sessionSettings(m_options.settings, false))
            conn.exec(s.sql, {}, ctx.token());
        const auto watcher = lockWatcher(conn);
        QElapsedTimer timer;
        timer.start();
        const int n = int(m.up.statements.size());
        for (int i = entry.resumeFrom; i < n; ++i)
        {
            ctx.progress(index, total, u"applying %1 (no transaction): statement %2 of %3"_s.arg(label).arg(i + 1).arg(n));
            const SqlStatement &st = m.up.statements[i];
            try
            {
                if (i > entry.resumeFrom)
                    ctx.throwIfCancelled();
                if (watcher)
                    watcher->reset();
                conn.exec(st.text, {}, ctx.token());
            }
            catch (const Exception &caught)
            {
                // A statement outside a transaction is not retried on a lock timeout: a CREATE INDEX
                // CONCURRENTLY that timed out may have left an invalid index behind.
                Exception e = caught;
                if (e.error().sqlstate == u"55P03"_s)
                {
                    Error explained = e.error();
                    explainLockTimeout(explained, watcher.get(), 1);
                    e = Exception(explained);
                }
                // The row keeps the reason, also when the session died with the statement
                // (terminated, server restart): then it is written on a fresh connection.
                try
                {
                    if (conn.isOk())
                        history().recordFailed(conn, record, i, e.error().toString(), nullptr);
                    else
                        history().recordFailed(*PgConnection::open(withApplicationName(m_params, u"dbops migrate"_s)), record, i,
                                               e.error().toString(), nullptr);
                }
                catch (const Exception &recordError)
                {
                    spdlog::warn("could not record the failure of {} in {}: {}", label, history().table(), recordError.error().toString());
                }
                MigrationFailure f{entry.version, entry.description, entry.script, i + 1, errorLine(st, e.error()), e.error(), false, i};
                // Not logged here: the result carries it and fails its job, which logs it once, at error.
                throw MigrationFailed(f);
            }
            history().recordProgress(conn, record, i + 1, ctx.token());
        }
        history().recordFinished(conn, record, timer.elapsed(), ctx.token());
        if (m_options.settings.sqlLockTimeoutMs > 0 || m_options.settings.sqlStatementTimeoutMs > 0)
            conn.exec(u"RESET lock_timeout; RESET statement_timeout"_s, {}, ctx.token());
        ctx.log(u"applied %1 outside a transaction (%2 statements, %3 ms)"_s.arg(label).arg(n).arg(timer.elapsed()));
        return AppliedMigration{entry.version, entry.description, entry.script, timer.elapsed(), n, record.outOfOrder, true};
    }
}
