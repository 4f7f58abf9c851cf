#include "core/migrate/migrator.h"
#include "core/migrate/migratorsession.h"

#include "core/db/pgconnection.h"
#include "core/db/retry.h"
#include "core/jobs/job.h"
#include "core/logging/log.h"
#include "core/sql/statementinfo.h"

#include <QRegularExpression>

#include <limits>

using namespace Qt::Literals::StringLiterals;

// The migrator's checks of what the files say and what the server does: transaction control in
// pending files, indexes an interrupted CREATE INDEX CONCURRENTLY left invalid, whether a cancelled
// migration committed after all, and who held the lock a statement timed out on.
namespace dbops
{
    namespace
    {
        QString transactionControl(const SqlStatement &st)
        {
            // Only a statement whose first keyword can start one is parsed (the tree decides; this
            // keeps a large project's check cheap). The text starts at the statement's first token.
            static const QStringList starts{u"BEGIN"_s, u"START"_s,     u"COMMIT"_s,  u"END"_s, u"ROLLBACK"_s,
                                            u"ABORT"_s, u"SAVEPOINT"_s, u"RELEASE"_s, u"SET"_s, u"PREPARE"_s};
            static const QRegularExpression notWord(u"[^A-Za-z_]"_s);
            const QString word = st.text.section(notWord, 0, 0);
            if (!starts.contains(word, Qt::CaseInsensitive))
                return {};
            return analyzeStatement(st.text).transactionControl;
        }
    }

    bool Migrator::anyTransactionControl(const MigrationSet &set)
    {
        for (const Migration &m : set.migrations)
            for (const SqlStatement &st : m.up.statements)
                if (!transactionControl(st).isEmpty())
                    return true;
        return false;
    }

    // Transaction control in a pending file would make what dbops says untrue: in a transactional
    // file its COMMIT commits part of the migration while the history says pending; in a
    // no-transaction file the per-statement progress record would not match what committed.
    void Migrator::refuseTransactionControl(const MigrationSet &set, const QList<const TimelineEntry *> &plan)
    {
        QStringList found;
        QString first, firstContext;
        bool inTransactional = false, inNoTransaction = false;
        for (const TimelineEntry *e : plan)
        {
            const MigrationScript &up = set.migrations[e->migrationIndex].up;
            for (qsizetype i = e->resumeFrom; i < up.statements.size(); ++i)
            {
                const SqlStatement &st = up.statements[i];
                const QString kind = transactionControl(st);
                if (kind.isEmpty())
                    continue;
                const QString where = u"%1:%2"_s.arg(up.fileName).arg(st.line);
                const QString text = st.text.section(u'\n', 0, 0).left(80);
                found << u"%1: statement %2 is %3 (%4)%5"_s.arg(where).arg(i + 1).arg(
                    kind, text, up.noTransaction ? u", in a -- dbops:no-transaction file"_s : QString());
                if (first.isEmpty())
                {
                    first = u"%1 line %2, statement %3: %4"_s.arg(up.fileName).arg(st.line).arg(i + 1).arg(kind);
                    firstContext = where;
                }
                (up.noTransaction ? inNoTransaction : inTransactional) = true;
            }
        }
        if (found.isEmpty())
            return;
        Error e = Error::make(ErrorCode::BadInput, u"transaction control in a migration file: %1; nothing was applied"_s.arg(first));
        e.context = firstContext;
        e.detail = found.join(u'\n');
        QStringList hints;
        if (inTransactional)
            hints << u"dbops runs each migration in its own transaction and records it in that same transaction; remove the "
                     u"file's own transaction control (BEGIN/COMMIT/ROLLBACK/SAVEPOINT/SET TRANSACTION)"_s;
        if (inNoTransaction)
            hints << u"a '-- dbops:no-transaction' file runs statement by statement outside any transaction and dbops records its "
                     u"progress after each one, which the file's own BEGIN/COMMIT would make untrue; remove the file's own "
                     u"transaction control"_s;
        e.hint = hints.join(u"; "_s);
        throw Exception(e);
    }

    void Migrator::markInvalidIndexes(PgConnection &conn, Timeline &t, JobContext &ctx)
    {
        // CREATE INDEX CONCURRENTLY runs only outside a transaction, so only no-transaction files
        // can leave an invalid index behind; their statements name the indexes (the parse tree).
        QList<IndexRef> refs;
        QList<int> owners;
        for (int i = 0; i < t.entries.size(); ++i)
        {
            const TimelineEntry &e = t.entries[i];
            if (e.migrationIndex < 0 || !e.noTransaction)
                continue;
            for (const SqlStatement &st : m_set.migrations[e.migrationIndex].up.statements)
            {
                if (!st.text.contains(u"CONCURRENTLY"_s, Qt::CaseInsensitive))
                    continue;
                if (const StatementInfo info = analyzeStatement(st.text); info.createdIndex && info.createdIndex->concurrently)
                {
                    refs.append({info.createdIndex->schema, info.createdIndex->name});
                    owners << i;
                }
            }
        }
        const QHash<int, InvalidIndex> invalid = findInvalidIndexes(conn, refs, ctx.token());
        for (auto it = invalid.cbegin(); it != invalid.cend(); ++it)
        {
            QStringList &list = t.entries[owners[it.key()]].invalidIndexes;
            if (!list.contains(it->index))
                list << it->index;
        }
    }

    std::optional<bool> Migrator::committedSince(PgConnection &conn, const TimelineEntry &entry)
    {
        // Not cancellable: the job's token is already cancelled. A lost session is checked from a
        // fresh connection; no answer means the outcome is unknown (nullopt).
        try
        {
            std::unique_ptr<PgConnection> fresh;
            if (!conn.isOk())
                fresh = PgConnection::open(withApplicationName(m_params, u"dbops migrate"_s));
            const QList<HistoryRow> rows = history().read(fresh ? *fresh : conn, nullptr);
            const qint64 before = entry.row ? entry.row->rank : -1;
            for (const HistoryRow &row : rows)
            {
                const bool same = entry.repeatable ? (row.type == HistoryRow::Type::Repeatable && row.description == entry.description)
                                                   : (row.type == HistoryRow::Type::Migration && row.version == entry.version);
                if (same && row.success && row.rank > before)
                    return true;
            }
            return false;
        }
        catch (const Exception &e)
        {
            spdlog::warn("could not check whether {} committed: {}", entry.script, e.error().toString());
            return std::nullopt;
        }
    }

    std::unique_ptr<LockWaitWatcher> Migrator::lockWatcher(PgConnection &conn) const
    {
        // Only with a lock_timeout is a lock wait expected to end in an error worth explaining;
        // the watcher costs a second connection, polling at a quarter of the timeout.
        if (m_options.settings.sqlLockTimeoutMs <= 0)
            return {};
        return std::make_unique<LockWaitWatcher>(withApplicationName(m_params, u"dbops lock watcher"_s), conn.backendPid(),
                                                 std::clamp(m_options.settings.sqlLockTimeoutMs / 4, 20, 250));
    }

    bool Migrator::retryLockTimeout(int attempt, const QString &where, JobContext &ctx)
    {
        // A lock timeout is retried only while the whole run stays within MIGRATION_MAX_WAIT_TIME:
        // the next attempt (its backoff and its own lock wait) must end before the budget does.
        const RetryPolicy policy{.maxRetries = std::numeric_limits<int>::max(), .initialBackoffMs = m_options.settings.retryBackoffMs};
        const qint64 budgetMs = qint64(m_options.settings.maxWaitSec) * 1000;
        const int delay = int(std::min<qint64>(policy.delayMs(attempt), std::max<qint64>(0, budgetMs - m_lockBudget.elapsed())));
        if (m_lockBudget.elapsed() + delay + m_options.settings.sqlLockTimeoutMs > budgetMs)
            return false;
        ctx.log(u"lock timeout at %1 (rolled back); retrying in %2 ms, within MIGRATION_MAX_WAIT_TIME (%3 s)"_s.arg(where).arg(delay).arg(
            m_options.settings.maxWaitSec));
        interruptibleSleep(delay, ctx.token());
        return true;
    }

    void Migrator::explainLockTimeout(Error &error, const LockWaitWatcher *watcher, int attempts) const
    {
        const std::optional<LockWait> wait = watcher ? watcher->lastSeen() : std::nullopt;
        QStringList detail;
        if (!error.detail.isEmpty())
            detail << error.detail;
        if (wait)
        {
            detail << u"it "_s + wait->toText();
            QStringList pids;
            for (const LockBlocker &b : wait->blockers)
                pids << QString::number(b.pid);
            error.hint = u"the lock is held by pid %1: let it finish, or end it (dbops cancel PID / dbops terminate PID), then "
                         u"migrate again"_s.arg(pids.join(u", "_s));
        }
        else
            detail << u"the session that held the lock was not seen (it was released before dbops looked)"_s;
        if (attempts > 1)
            detail << u"tried %1 times within MIGRATION_MAX_WAIT_TIME (%2 s)"_s.arg(attempts).arg(m_options.settings.maxWaitSec);
        error.detail = detail.join(u'\n');
    }
}
