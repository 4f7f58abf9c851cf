#include "core/migrate/migrationcatalog.h"

#include "core/db/pgconnection.h"
#include "core/error.h"
#include "core/sql/sqlresource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <condition_variable>
#include <mutex>
#include <thread>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QString sql(const QString &name)
        {
            return sqlResource(QString(u"migrate/"_s + name));
        }
    }

    QHash<int, InvalidIndex> findInvalidIndexes(PgConnection &conn, const QList<IndexRef> &indexes, CancelToken *token)
    {
        QHash<int, InvalidIndex> out;
        if (indexes.isEmpty())
            return out;
        QJsonArray arr;
        for (int i = 0; i < indexes.size(); ++i)
            arr.append(QJsonObject{{u"ord"_s, i}, {u"schema"_s, indexes[i].schema}, {u"name"_s, indexes[i].name}});
        const QueryResult r =
            conn.exec(sql(u"invalid_indexes"_s), {QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Compact))}, token);
        for (int i = 0; i < r.rowCount(); ++i)
            out.insert(r.value(i, 0).toInt(), InvalidIndex{r.value(i, 1).toString(), r.value(i, 2).toString()});
        return out;
    }

    QString LockWait::toText() const
    {
        QString text = u"waited for "_s + (wantedMode.isEmpty() ? u"a lock"_s : wantedMode);
        if (!relation.isEmpty())
            text += u" on "_s + relation;
        if (blockers.isEmpty())
            return text;
        QStringList held;
        for (const LockBlocker &b : blockers)
        {
            QStringList about{u"user "_s + b.user};
            if (!b.application.isEmpty())
                about << u"application "_s + b.application;
            if (!b.state.isEmpty())
                about << b.state;
            if (!b.heldModes.isEmpty())
                about << u"holds "_s + b.heldModes;
            QString q = b.query.simplified();
            if (q.size() > 200)
                q = q.left(199) + u"…"_s;
            held << u"pid %1 (%2): %3"_s.arg(b.pid).arg(about.join(u", "_s), q.isEmpty() ? u"<no query>"_s : q);
        }
        return text + u", held by "_s + held.join(u"; "_s);
    }

    LockWait lockWaitOf(PgConnection &observer, int pid, CancelToken *token)
    {
        LockWait w;
        const QueryResult r = observer.exec(sql(u"lock_blockers"_s), {pid}, token);
        for (int i = 0; i < r.rowCount(); ++i)
        {
            w.relation = r.value(i, 0).toString();
            w.wantedMode = r.value(i, 1).toString();
            w.blockers.append({r.value(i, 2).toInt(), r.value(i, 3).toString(), r.value(i, 4).toString(), r.value(i, 5).toString(),
                               r.value(i, 6).toString(), r.value(i, 7).toString()});
        }
        return w;
    }

    struct LockWaitWatcher::State
    {
        std::mutex mutex;
        std::condition_variable wake;
        bool stop = false;
        std::optional<LockWait> seen;
        std::thread thread;
    };

    LockWaitWatcher::LockWaitWatcher(ConnectParams params, int pid, int intervalMs)
        : m_state(std::make_shared<State>())
    {
        params.set(u"application_name"_s, u"dbops lock watcher"_s);
        m_state->thread = std::thread([state = m_state, params = std::move(params), pid, intervalMs] {
            // The connection is made and used on this thread only.
            auto conn = PgConnection::tryOpen(params);
            if (!conn)
                return;
            std::unique_lock lock(state->mutex);
            while (!state->stop)
            {
                lock.unlock();
                std::optional<LockWait> w;
                try
                {
                    if (LockWait now = lockWaitOf(**conn, pid, nullptr); !now.blockers.isEmpty())
                        w = std::move(now);
                }
                catch (const Exception &)
                {
                    return; // the observer lost its connection: nothing more to see
                }
                lock.lock();
                if (w)
                    state->seen = std::move(w);
                state->wake.wait_for(lock, std::chrono::milliseconds(intervalMs), [&] { return state->stop; });
            }
        });
    }

    LockWaitWatcher::~LockWaitWatcher()
    {
        {
            std::lock_guard lock(m_state->mutex);
            m_state->stop = true;
        }
        m_state->wake.notify_all();
        if (m_state->thread.joinable())
            m_state->thread.join();
    }

    void LockWaitWatcher::reset()
    {
        std::lock_guard lock(m_state->mutex);
        m_state->seen.reset();
    }

    std::optional<LockWait> LockWaitWatcher::lastSeen() const
    {
        std::lock_guard lock(m_state->mutex);
        return m_state->seen;
    }
}
