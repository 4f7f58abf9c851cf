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

    namespace
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
            ctx.log(u"history found: %1 table %2, %3"_s.arg(t.historyFormat, t.historyTable,
                                                             existed ? u"exists"_s
                                                             : dryRun || pending == 0 ? u"does not exist yet (created only when a migration runs)"_s
                                                                                      : u"does not exist yet (created under the lock before the first migration)"_s));
            ctx.log(u"migrations: %1 applied, %2 pending%3"_s.arg(r.appliedCount).arg(pending).arg(dryRun ? u" (dry run)"_s : QString()));
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
            known.erase(std::unique(known.begin(), known.end(), [](const QString &a, const QString &b) { return Version(a) == Version(b); }),
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
            QString message = target.isEmpty() ? u"the target version is empty"_s
                                               : u"the target '%1' is not a known version"_s.arg(target);
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
            return RetryPolicy{.maxRetries = s.maxRetries, .initialBackoffMs = s.retryBackoffMs, .multiplier = 2.0, .maxBackoffMs = 30000,
                               .jitter = 0.25};
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
        if (!named(u"checking whether %1 exists (pg_catalog)"_s.arg(history().table()), [&] { return history().exists(*s->work, ctx.token()); }))
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
        const bool exists = named(u"checking whether %1 exists (pg_catalog)"_s.arg(history().table()),
                                  [&] { return history().exists(conn, ctx.token()); });
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

    MigrateResult Migrator::migrate(JobContext &ctx)
    {
        load();
        beginOperation();
        if (!m_options.target.isEmpty() || m_options.targetGiven)
            requireKnownVersion(m_options.target, false, ctx);
        MigrateResult result;
        result.dryRun = m_options.dryRun;
        if (m_options.dryRun)
        {
            auto conn = openConnection(m_params, ctx);
            const Timeline t = readTimeline(*conn, ctx);
            for (const TimelineProblem &p : t.problems())
                if (!(p.state == MigrationState::OutOfOrder && m_options.allowOutOfOrder))
                    result.warnings << p.message;
            const QList<const TimelineEntry *> pending = t.pending(m_options.target, m_options.allowOutOfOrder);
            refuseTransactionControl(m_set, pending);
            for (const TimelineEntry *e : pending)
                result.plan << toPlanned(*e, m_set.migrations[e->migrationIndex]);
            result.currentVersion = t.currentVersion;
            reportFound(result.report, t, t.historyExists, int(result.plan.size()), true, ctx);
            return result;
        }

        // A file with transaction control is refused before anything is touched (the history
        // table is not even created) when it is pending; applied files are never re-checked.
        if (anyTransactionControl(m_set))
        {
            auto conn = openConnection(m_params, ctx);
            refuseTransactionControl(m_set, readTimeline(*conn, ctx).pending(m_options.target, m_options.allowOutOfOrder));
        }
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
                const auto blockingProblems = [this](const Timeline &t) {
                    QStringList out;
                    for (const TimelineProblem &p : t.problems())
                        if (!(p.state == MigrationState::OutOfOrder && m_options.allowOutOfOrder))
                            out << p.message;
                    return out;
                };
                QString currentOnceFree;
                session = lockedSession(ctx, [&](PgConnection &conn) {
                    const Timeline t = readTimeline(conn, ctx);
                    currentOnceFree = t.currentVersion;
                    const bool done = t.historyExists && blockingProblems(t).isEmpty()
                                      && t.pending(m_options.target, m_options.allowOutOfOrder).isEmpty();
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
                    return result;
                }
                // The plan is computed under the lock: a migrator that waited applies nothing twice.
                const Timeline t = readTimeline(*session->work, ctx);
                const QStringList blocking = blockingProblems(t);
                if (!blocking.isEmpty())
                {
                    Error e = Error::make(ErrorCode::ProblemsFound,
                                          u"the history disagrees with the migration files; nothing was applied"_s);
                    e.detail = blocking.join(u'\n');
                    e.hint = u"see 'dbops validate'; fix the files, or run 'dbops repair' (--allow-out-of-order for out-of-order files)"_s;
                    throw Exception(e);
                }
                const QList<const TimelineEntry *> plan = t.pending(m_options.target, m_options.allowOutOfOrder);
                refuseTransactionControl(m_set, plan);
                result.plan.clear();
                for (const TimelineEntry *e : plan)
                    result.plan << toPlanned(*e, m_set.migrations[e->migrationIndex]);
                result.currentVersion = t.currentVersion;
                reportFound(result.report, t, session->historyExisted, int(plan.size()), false, ctx);
                if (!plan.isEmpty())
                {
                    callBeforeChange(u"apply %1 migration(s): %2..%3"_s.arg(plan.size()).arg(plan.first()->version, plan.last()->version), ctx);
                    ensureHistory(*session, ctx);
                }
                for (int i = 0; i < plan.size(); ++i)
                {
                    const TimelineEntry &e = *plan[i];
                    try
                    {
                        ctx.throwIfCancelled();
                        const AppliedMigration applied = m_set.migrations[e.migrationIndex].up.noTransaction
                                                             ? applyNonTransactional(*session->work, e, ctx, i, int(plan.size()))
                                                             : applyTransactional(*session->work, e, ctx, i, int(plan.size()));
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
                        return result;
                    }
                }
                ctx.progress(plan.size(), plan.size(), u"%1 migration(s) applied"_s.arg(plan.size()));
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
                // One budget with the connection's own retries (MIGRATION_MAX_RETRIES and
                // MIGRATION_MAX_WAIT_TIME in all): a connect that already gave up is not retried again.
                if (e.error().code == ErrorCode::LockTimeout || !isTransient(e.error()) || m_budget.gaveUp())
                    throw;
                m_budget.noteFailure(u"migrate"_s, e.error());
                ctx.log(u"transient failure (%1); retrying within the wait budget (attempt %2)"_s.arg(e.error().message).arg(attempt + 2));
                if (!m_budget.retry(retryPolicy(m_options.settings), ctx.token()))
                    throw Exception(m_budget.exhausted(e.error()));
            }
        }
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
                    return AppliedMigration{entry.version, entry.description, entry.script, timer.elapsed(), statements,
                                            entry.state == MigrationState::OutOfOrder, false};
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
                                      ? u"%1:%2, statement %3"_s.arg(m.up.fileName).arg(errorLine(m.up.statements[failed - first], e.error()))
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
            spdlog::info("{}", f.toText()); // the face reports it; the log keeps it
            throw MigrationFailed(f);
        }
        AppliedMigration a{entry.version, entry.description, entry.script, timer.elapsed(), statements,
                           entry.state == MigrationState::OutOfOrder, false};
        ctx.log(u"applied %1 (%2 statements, %3 ms)"_s.arg(label).arg(statements).arg(a.ms));
        return a;
    }

    AppliedMigration Migrator::applyNonTransactional(PgConnection &conn, const TimelineEntry &entry, JobContext &ctx, int index,
                                                     int total)
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
                    spdlog::warn("could not record the failure of {} in {}: {}", label, history().table(),
                                 recordError.error().toString());
                }
                MigrationFailure f{entry.version, entry.description, entry.script, i + 1, errorLine(st, e.error()), e.error(), false, i};
                spdlog::info("{}", f.toText()); // the face reports it; the log keeps it
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

    QList<const TimelineEntry *> Migrator::downVictims(const Timeline &t, const QString &target) const
    {
        const Version limit(target);
        QList<const TimelineEntry *> victims;
        QStringList missing;
        for (auto it = t.entries.crbegin(); it != t.entries.crend(); ++it)
        {
            const TimelineEntry &e = *it;
            if (e.repeatable || !e.isApplied() || !(limit < Version(e.version)))
                continue;
            if (e.state == MigrationState::Baseline)
                throw Exception(ErrorCode::BadInput,
                                u"cannot go down to %1: %2 is covered by the baseline at %3, which has no down scripts"_s.arg(
                                    target, e.version, t.baselineVersion));
            if (e.migrationIndex < 0 || !m_set.migrations[e.migrationIndex].down)
                missing << u"%1 (%2)"_s.arg(e.version, e.script);
            victims << &e;
        }
        if (!missing.isEmpty())
        {
            Error e = Error::make(ErrorCode::BadInput, u"cannot go down to %1: no down/undo file for %2 migration(s); nothing was reverted"_s
                                                          .arg(target)
                                                          .arg(missing.size()));
            e.detail = missing.join(u'\n');
            throw Exception(e);
        }
        return victims;
    }

    DownPlan Migrator::planDown(const QString &target, JobContext &ctx)
    {
        load();
        beginOperation();
        requireKnownVersion(target, true, ctx);
        auto conn = openConnection(m_params, ctx);
        const Timeline t = readTimeline(*conn, ctx);
        DownPlan plan;
        plan.target = target;
        plan.currentVersion = t.currentVersion;
        for (const TimelineEntry *e : downVictims(t, target))
        {
            const MigrationScript &down = *m_set.migrations[e->migrationIndex].down;
            plan.steps.append({e->version, e->description, down.fileName, int(down.statements.size()), findDataLoss(down.statements)});
        }
        return plan;
    }

    DownResult Migrator::down(const QString &target, JobContext &ctx)
    {
        load();
        beginOperation();
        requireKnownVersion(target, true, ctx);
        auto session = lockedSession(ctx);
        const Timeline t = readTimeline(*session->work, ctx);
        const QList<const TimelineEntry *> victims = downVictims(t, target);
        // The version the database is at once each victim is reverted: the next applied one below it.
        QStringList appliedVersions;
        for (const TimelineEntry &e : t.entries)
            if (!e.repeatable && e.isApplied())
                appliedVersions << e.version;
        const auto previousOf = [&](const QString &v) {
            QString prev;
            for (const QString &a : appliedVersions)
                if (Version(a) < Version(v))
                    prev = a;
            return prev;
        };
        DownResult result;
        result.currentVersion = t.currentVersion;
        if (!victims.isEmpty())
            callBeforeChange(u"revert %1 migration(s): %2..%3"_s.arg(victims.size()).arg(victims.first()->version, victims.last()->version), ctx);
        for (int i = 0; i < victims.size(); ++i)
        {
            ctx.throwIfCancelled();
            const TimelineEntry &e = *victims[i];
            const Migration &m = m_set.migrations[e.migrationIndex];
            ctx.progress(i, victims.size(), u"reverting %1 %2"_s.arg(e.version, e.description));
            QList<PipelineStep> steps{{u"BEGIN"_s, {}}};
            steps << sessionSettings(m_options.settings, true);
            const int first = int(steps.size());
            for (const SqlStatement &s : m.down->statements)
                steps.append({s.text, {}});
            const int historyStep = int(steps.size());
            steps << history().recordUndo(m, previousOf(e.version));
            steps.append({u"COMMIT"_s, {}});
            QElapsedTimer timer;
            timer.start();
            int failed = -1;
            try
            {
                session->work->execPipeline(steps, ctx.token(), &failed);
            }
            catch (const Exception &ex)
            {
                rollbackQuietly(*session->work);
                Error err = ex.error();
                if (!err.isCancelled())
                    err.code = ErrorCode::OperationFailed;
                // Name the statement: one of the down file's, or dbops' own history record.
                QString where;
                if (failed >= first && failed < historyStep)
                    where = u" at statement %1, line %2"_s.arg(failed - first + 1).arg(errorLine(m.down->statements[failed - first], ex.error()));
                else if (failed >= historyStep)
                    where = u" recording the undo in %1 (%2)"_s.arg(history().table(), steps[failed].sql.section(u' ', 0, 2));
                err.context = u"down %1 (%2)%3, rolled back; it is still applied"_s.arg(e.version, m.down->fileName, where);
                if (i > 0)
                    err.context += u" (the %1 newer migration(s) before it were reverted)"_s.arg(i);
                throw Exception(err);
            }
            result.reverted << AppliedMigration{e.version, e.description, m.down->fileName, timer.elapsed(),
                                                int(m.down->statements.size()), false, false};
        }
        const Timeline after = readTimeline(*session->work, ctx);
        result.currentVersion = after.currentVersion;
        return result;
    }

    void Migrator::baseline(const QString &version, const QString &description, JobContext &ctx)
    {
        if (Version(version).isEmpty())
            throw Exception(ErrorCode::Usage, u"baseline needs --version V"_s);
        beginOperation();
        auto session = lockedSession(ctx);
        const QList<HistoryRow> rows = session->historyExisted ? history().read(*session->work, ctx.token()) : QList<HistoryRow>();
        qsizetype used = 0;
        for (const HistoryRow &r : rows)
            if (r.type == HistoryRow::Type::Migration || r.type == HistoryRow::Type::Baseline)
                ++used;
        if (used > 0)
            throw Exception(ErrorCode::BadInput, u"the history in %1 already has %2 migration row(s); baseline is for a database "
                                                 u"that dbops has not migrated yet. Nothing was changed."_s.arg(history().table())
                                                     .arg(used));
        callBeforeChange(u"baseline the history at %1"_s.arg(version), ctx);
        ensureHistory(*session, ctx);
        QList<PipelineStep> steps{{u"BEGIN"_s, {}}};
        steps << history().recordBaseline(Version(version), description.isEmpty() ? u"<< Baseline >>"_s : description);
        steps.append({u"COMMIT"_s, {}});
        try
        {
            session->work->execPipeline(steps, ctx.token());
        }
        catch (const Exception &e)
        {
            rollbackQuietly(*session->work);
            Error err = e.error();
            err.context = u"baseline: recording the baseline row in %1 (INSERT INTO %1), rolled back; nothing was changed"_s.arg(history().table());
            throw Exception(err);
        }
        ctx.log(u"baselined at version %1"_s.arg(version));
    }

    RepairPlan Migrator::computeRepair(const Timeline &t, const RepairOptions &options) const
    {
        const bool acceptChanged = options.acceptChanged;
        QString lastApplied; // entries are in version order

        RepairPlan plan;
        plan.historyFormat = m_history->format();
        plan.historyTable = m_history->table();
        // The adapter knows: a format that keeps no record of repairs writes nothing for one.
        plan.recordedInHistory = !m_history->recordRepair(u"probe"_s).isEmpty();
        for (const TimelineEntry &e : t.entries)
        {
            if (!e.row && e.invalidIndexes.isEmpty())
                continue;
            const QString name = e.repeatable ? e.description : e.version;
            switch (e.state)
            {
            case MigrationState::ChecksumMismatch:
                if (isCosmetic(e.mismatch) || acceptChanged)
                {
                    const QByteArray sum = m_history->checksum(m_set.migrations[e.migrationIndex].up);
                    plan.actions.append({RepairAction::Kind::RealignChecksum, name,
                                         u"realign the checksum of %1 (%2) to its file: %3"_s.arg(name, e.script, toString(e.mismatch)),
                                         *e.row, sum});
                }
                else
                    plan.refused << u"%1 (%2): %3 — not re-stamped without --accept-changed; a change to an applied migration "
                                    u"belongs in a new migration"_s.arg(name, e.script, toString(e.mismatch));
                break;
            case MigrationState::Failed:
                plan.actions.append({RepairAction::Kind::RemoveFailed, name,
                                     u"remove the failed row of %1 (%2); it will run again"_s.arg(name, e.script), *e.row, {}});
                break;
            case MigrationState::Dirty:
                if (options.dirty != RepairOptions::Dirty::Ask)
                {
                    const bool complete = options.dirty == RepairOptions::Dirty::Complete;
                    RepairAction a{RepairAction::Kind::ClearDirty, name,
                                   complete ? u"clear the dirty flag of %1: its effects are complete, it counts as applied"_s.arg(name)
                                            : u"clear the dirty flag of %1: its effects were reverted, the database is back at %2"_s.arg(
                                                  name, lastApplied.isEmpty() ? u"no version"_s : lastApplied),
                                   *e.row, {}};
                    a.effectsComplete = complete;
                    a.previousVersion = lastApplied;
                    plan.actions.append(a);
                }
                else if (m_history->supportsResume() && e.row->statementsTotal >= 0)
                    plan.actions.append({RepairAction::Kind::MarkResumable, name,
                                         u"mark %1 (%2) to resume at statement %3 of %4 (statements 1-%5 ran; check their effects first)"_s
                                             .arg(name, e.script)
                                             .arg(e.row->statementsDone + 1)
                                             .arg(e.row->statementsTotal)
                                             .arg(e.row->statementsDone),
                                         *e.row, {}});
                else
                    plan.refused << u"%1 is dirty: check whether its effects are complete or reverted, then run repair with "
                                    u"--dirty=complete or --dirty=reverted"_s.arg(name);
                break;
            case MigrationState::MissingFile:
                if (e.acknowledgedMissing)
                    break;
                if (m_history->canMarkMissing())
                    plan.actions.append({RepairAction::Kind::MarkMissing, name,
                                         u"mark %1 (%2) as applied with its file deleted"_s.arg(name, e.script), *e.row, {}});
                else
                    plan.refused << u"%1 (%2): its file is missing and the %3 history cannot record that; restore the file"_s.arg(
                        name, e.script, m_history->format());
                break;
            default:
                break;
            }
            if (!e.invalidIndexes.isEmpty())
            {
                RepairAction drop{RepairAction::Kind::DropInvalidIndexes, name,
                                  u"drop the INVALID index(es) %1 that an interrupted CREATE INDEX CONCURRENTLY of %2 (%3) left "
                                  u"(DROP INDEX CONCURRENTLY IF EXISTS, outside a transaction)"_s.arg(e.invalidIndexes.join(u", "_s), name, e.script),
                                  e.row.value_or(HistoryRow{}), {}};
                drop.indexes = e.invalidIndexes;
                plan.actions.append(drop);
                // With IF NOT EXISTS a re-run "succeeded" over the invalid index: the row says applied
                // although the index was never built. It must run again to build it.
                if (e.isApplied() && e.state != MigrationState::Baseline)
                {
                    if (m_history->canRerun())
                        plan.actions.append({RepairAction::Kind::Rerun, name,
                                             u"mark %1 (%2) to run again: its history row says applied, but its index was never "
                                             u"built (the next migrate builds it)"_s.arg(name, e.script),
                                             *e.row, {}});
                    else
                        plan.refused << u"%1 (%2): the %3 history says it is applied, but its index %4 was never built, and dbops "
                                        u"cannot mark it to run again in that history; after the drop, run its CREATE INDEX "
                                        u"CONCURRENTLY by hand"_s.arg(name, e.script, m_history->format(), e.invalidIndexes.join(u", "_s));
                }
            }
            if (!e.repeatable && e.isApplied())
                lastApplied = e.version;
        }
        return plan;
    }

    RepairPlan Migrator::planRepair(const RepairOptions &options, JobContext &ctx)
    {
        return computeRepair(info(ctx), options);
    }

    RepairPlan Migrator::repair(const RepairPlan &shown, const RepairOptions &options, JobContext &ctx)
    {
        load();
        beginOperation();
        auto session = lockedSession(ctx);
        const RepairPlan plan = computeRepair(readTimeline(*session->work, ctx), options);
        if (!plan.sameAs(shown))
            throw Exception(ErrorCode::OperationFailed,
                            u"the history changed since the repair plan was shown; nothing was changed. Review the new plan."_s);
        if (plan.isEmpty())
            return plan;
        callBeforeChange(u"repair the history: %1 change(s)"_s.arg(plan.actions.size()), ctx);
        // DROP INDEX CONCURRENTLY cannot run in a transaction: the invalid indexes go first, one by
        // one, then the history changes (and the record of the drops) in one transaction.
        QStringList dropped;
        for (const RepairAction &a : plan.actions)
        {
            if (a.kind != RepairAction::Kind::DropInvalidIndexes)
                continue;
            for (const QString &index : a.indexes)
            {
                try
                {
                    // `index` is regclass output from the catalog: already a quoted, qualified name.
                    session->work->exec(u"DROP INDEX CONCURRENTLY IF EXISTS "_s + index, {}, ctx.token());
                }
                catch (const Exception &e)
                {
                    Error err = e.error();
                    err.code = err.isCancelled() ? err.code : ErrorCode::OperationFailed;
                    err.context = u"repair: DROP INDEX CONCURRENTLY IF EXISTS %1 (%2; the history was not changed)"_s.arg(
                        index, dropped.isEmpty() ? u"nothing was dropped before it"_s : u"already dropped: "_s + dropped.join(u", "_s));
                    throw Exception(err);
                }
                dropped << index;
                ctx.log(u"dropped the invalid index "_s + index);
            }
        }
        QList<PipelineStep> steps{{u"BEGIN"_s, {}}};
        QStringList summary;
        for (const RepairAction &a : plan.actions)
        {
            switch (a.kind)
            {
            case RepairAction::Kind::DropInvalidIndexes:
                break; // done above
            case RepairAction::Kind::Rerun:
                steps << history().markRerun(a.row, u"marked to run again by repair: its index %1 was left INVALID by an "
                                                    u"interrupted CREATE INDEX CONCURRENTLY and was dropped"_s
                                                        .arg(dropped.join(u", "_s)));
                break;
            case RepairAction::Kind::RealignChecksum:
                steps << history().realignChecksum(a.row, a.checksum);
                break;
            case RepairAction::Kind::RemoveFailed:
                steps << history().removeFailed(a.row);
                break;
            case RepairAction::Kind::MarkResumable:
                steps << history().markResumable(a.row);
                break;
            case RepairAction::Kind::MarkMissing:
                steps << history().markMissing(a.row);
                break;
            case RepairAction::Kind::ClearDirty:
                steps << history().clearDirty(a.row, a.effectsComplete, a.previousVersion);
                break;
            }
            summary << a.text;
        }
        steps << history().recordRepair(u"repair: "_s + summary.join(u"; "_s));
        steps.append({u"COMMIT"_s, {}});
        try
        {
            session->work->execPipeline(steps, ctx.token());
        }
        catch (const Exception &e)
        {
            rollbackQuietly(*session->work);
            Error err = e.error();
            err.code = err.isCancelled() ? err.code : ErrorCode::OperationFailed;
            err.context = dropped.isEmpty() ? u"repair (rolled back; nothing was changed)"_s
                                            : u"repair (the history changes were rolled back; the invalid index(es) %1 were "
                                              u"already dropped)"_s.arg(dropped.join(u", "_s));
            throw Exception(err);
        }
        ctx.log(u"repair applied: %1 change(s)"_s.arg(plan.actions.size()));
        return plan;
    }

    AdoptResult Migrator::adopt(JobContext &ctx, const AdoptOptions &options)
    {
        load();
        beginOperation();
        // Lock out both the other tool and other dbops instances, on one session.
        auto work = openConnection(withApplicationName(m_params, u"dbops adopt"_s), ctx);
        HistoryAdapter &source = resolveHistory(*work, ctx);
        if (source.format() == u"dbops"_s)
            throw Exception(ErrorCode::BadInput, u"this database already keeps the dbops history (%1); nothing to adopt"_s.arg(source.table()));
        if (!source.exists(*work, ctx.token()))
            throw Exception(ErrorCode::BadInput, u"no %1 history table %2 to adopt"_s.arg(source.format(), source.table()));
        DbopsHistory target(m_options.settings.historyTable.isEmpty() ? defaultHistoryTable() : m_options.settings.historyTable);
        MigrationLock sourceLock(*work, source.lockKey(*work, ctx.token()), m_options.settings, ctx.token());
        MigrationLock targetLock(*work, target.lockKey(*work, ctx.token()), m_options.settings, ctx.token());
        if (target.exists(*work, ctx.token()) && !target.read(*work, ctx.token()).isEmpty())
            throw Exception(ErrorCode::BadInput, u"the dbops history %1 already has rows; nothing was changed"_s.arg(target.table()));

        QList<HistoryRow> rows = source.read(*work, ctx.token());
        const QStringList notUnderstood = source.interpret(m_set, rows);
        for (const QString &w : notUnderstood)
            ctx.log(u"warning: "_s + w);
        AdoptResult result;
        result.fromFormat = source.format();
        result.fromTable = source.schemaName() + u'.' + source.tableName();
        result.recordChecksums = options.recordChecksums;
        // A file that no longer matches the old tool's checksum is a decision for the DBA, not
        // something to carry over silently (its mismatch would vanish with the old checksum).
        QStringList changed;
        for (const HistoryRow &row : rows)
            if (row.type == HistoryRow::Type::Migration && row.success && !row.dirty && source.keepsChecksums() && !row.checksum.isEmpty())
                if (const Migration *m = m_set.find(Version(row.version)); m && source.checksum(m->up) != row.checksum)
                    changed << m->version.text() + u" ("_s + m->up.fileName + u')';
        if (!changed.isEmpty())
        {
            Error e = Error::make(ErrorCode::BadInput, u"%1 migration file(s) no longer match the %2 history's checksums: %3; adopting would lose "
                                                       u"that mismatch, so nothing was changed"_s
                                                           .arg(changed.size())
                                                           .arg(source.format(), changed.join(u", "_s)));
            e.hint = u"restore the files, or realign the old history first (dbops validate shows how they differ; dbops repair)"_s;
            throw Exception(e);
        }
        // Rows the old history keeps no checksum for: with recordChecksums, the files as they are
        // now, named so on the row; their first edit from now on is a mismatch.
        const QString adoptedNote = u"checksum adopted from the file on %1, not verified"_s.arg(
            QDateTime::currentDateTimeUtc().toString(u"yyyy-MM-dd"_s));
        QList<PipelineStep> steps;
        const QString insert = u"INSERT INTO "_s + target.table()
                               + u" (version, description, type, script, checksum, applied_sql, installed_by, os_user, client_host, "
                                 u"installed_on, execution_ms, success, out_of_order, dbops_version, note) "
                                 u"VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, COALESCE($8::timestamptz, now()), $9, $10, false, $11, $12)"_s;
        for (const HistoryRow &row : rows)
        {
            QString type;
            switch (row.type)
            {
            case HistoryRow::Type::Migration:
                type = u"SQL"_s;
                break;
            case HistoryRow::Type::Repeatable:
                type = u"REPEATABLE"_s;
                break;
            case HistoryRow::Type::Baseline:
            case HistoryRow::Type::UpTo: // golang-migrate: "everything up to V" is a baseline at V
                type = u"BASELINE"_s;
                break;
            case HistoryRow::Type::Undo:
                type = u"UNDO"_s;
                break;
            case HistoryRow::Type::Deleted:
                type = u"DELETE"_s;
                break;
            default:
                continue;
            }
            const bool dirty = !row.success || row.dirty;
            // Where the file still matches the old tool's checksum, keep validating it from now on.
            QVariant checksum, appliedSql, note;
            const Migration *m = row.type == HistoryRow::Type::Repeatable ? nullptr : m_set.find(Version(row.version));
            if (m && source.keepsChecksums() && !row.checksum.isEmpty() && source.checksum(m->up) == row.checksum)
            {
                checksum = m->up.checksum;
                appliedSql = m->up.sql;
                ++result.withChecksum;
            }
            else if (row.type == HistoryRow::Type::Migration && !dirty)
            {
                if (m && options.recordChecksums)
                {
                    // Not the applied SQL (nobody kept it): only the checksum, and the row says so.
                    checksum = m->up.checksum;
                    note = adoptedNote;
                    ++result.recordedChecksums;
                }
                else
                    result.withoutChecksum << row.version;
            }
            // Who, from where and how long are the old tool's to tell; unknown stays NULL (shown "—").
            steps.append({insert,
                          {row.version.isEmpty() ? QVariant() : QVariant(row.version),
                           row.description.isEmpty() ? (m ? m->description : row.script) : row.description, type,
                           row.script.isEmpty() ? (m ? m->up.fileName : row.version) : row.script, checksum, appliedSql,
                           row.installedBy.isEmpty() ? QVariant() : QVariant(row.installedBy),
                           row.installedOn.isValid() ? QVariant(row.installedOn) : QVariant(),
                           row.executionMs < 0 ? QVariant() : QVariant(row.executionMs), !dirty, QStringLiteral(DBOPS_VERSION), note}});
            ++result.rows;
        }
        if (result.recordedChecksums > 0)
            result.checksumNote = adoptedNote;
        QString summary = u"adopted from %1 %2: %3 row(s)"_s.arg(source.format(), result.fromTable).arg(result.rows);
        if (result.recordedChecksums > 0)
            summary += u"; %1 %2"_s.arg(result.recordedChecksums).arg(u"checksum(s) adopted from the files as they were, not verified"_s);
        if (!result.withoutChecksum.isEmpty())
            summary += u"; %1 without checksum"_s.arg(result.withoutChecksum.size());
        steps << target.recordRepair(summary);
        steps.append({u"COMMIT"_s, {}});
        callBeforeChange(u"adopt %1 row(s) of the %2 history %3"_s.arg(result.rows).arg(source.format(), source.table()), ctx);
        ctx.progress(0, 1, u"adopting %1 row(s) from %2"_s.arg(result.rows).arg(source.table()));
        try
        {
            // The new table and every row in one transaction: nothing half-done. Adopted rows may
            // not know who ran them or how long they took, and may carry a note.
            work->exec(u"BEGIN"_s, {}, ctx.token());
            target.create(*work, ctx.token());
            work->exec(u"ALTER TABLE "_s + target.table()
                           + u" ADD COLUMN IF NOT EXISTS note text, ALTER COLUMN execution_ms DROP NOT NULL, ALTER COLUMN installed_by DROP NOT NULL"_s,
                       {}, ctx.token());
            work->execPipeline(steps, ctx.token());
        }
        catch (const Exception &e)
        {
            rollbackQuietly(*work);
            Error err = e.error();
            err.context = u"adopt (rolled back; nothing was changed)"_s;
            throw Exception(err);
        }
        ctx.log(u"adopted %1 row(s) from the %2 history %3"_s.arg(result.rows).arg(source.format(), source.table()));
        if (result.recordedChecksums > 0)
            ctx.log(u"%1 checksum(s) recorded from the files as they are now (%2)"_s.arg(result.recordedChecksums).arg(adoptedNote));
        if (!result.withoutChecksum.isEmpty())
            ctx.log(u"%1 adopted migration(s) have no checksum: edits to their files cannot be detected (dbops adopt --record-checksums "
                    u"would have recorded them)"_s.arg(result.withoutChecksum.size()));
        return result;
    }
}
