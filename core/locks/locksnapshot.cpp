#include "core/locks/locksnapshot.h"

#include <QJsonArray>

#include <functional>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QJsonValue ts(const QDateTime &t)
        {
            return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
        }

        QJsonArray ints(const QList<int> &list)
        {
            QJsonArray a;
            for (int v : list)
                a.append(v);
            return a;
        }

        QString duration(qint64 ms)
        {
            const qint64 s = ms / 1000;
            if (s < 60)
                return u"%1.%2s"_s.arg(s).arg((ms % 1000) / 100);
            if (s < 3600)
                return u"%1m%2s"_s.arg(s / 60).arg(s % 60, 2, 10, QChar(u'0'));
            return u"%1h%2m"_s.arg(s / 3600).arg((s / 60) % 60, 2, 10, QChar(u'0'));
        }

        QString oneLine(const QString &query, int max)
        {
            QString q = query.simplified();
            if (q.size() > max)
                q = q.left(max - 1) + u'…';
            return q;
        }
    }

    qint64 BackendSession::waitMs(const QDateTime &now) const
    {
        if (!waiting || !waitStart.isValid())
            return 0;
        return std::max<qint64>(0, waitStart.msecsTo(now));
    }

    QJsonObject BackendSession::toJson() const
    {
        return {{u"pid"_s, pid},
                {u"database"_s, database},
                {u"user"_s, user},
                {u"application"_s, application},
                {u"client_address"_s, clientAddress},
                {u"backend_type"_s, backendType},
                {u"state"_s, state},
                {u"wait_event_type"_s, waitEventType},
                {u"wait_event"_s, waitEvent},
                {u"backend_start"_s, ts(backendStart)},
                {u"transaction_start"_s, ts(transactionStart)},
                {u"query_start"_s, ts(queryStart)},
                {u"state_change"_s, ts(stateChange)},
                {u"wait_start"_s, ts(waitStart)},
                {u"query"_s, query},
                {u"leader_pid"_s, leaderPid ? QJsonValue(leaderPid) : QJsonValue()},
                {u"lock_count"_s, lockCount},
                {u"waiting"_s, waiting},
                {u"blocked_by"_s, ints(blockedBy)},
                {u"idle_in_transaction_holding_locks"_s, isIdleInTransactionHoldingLocks()}};
    }

    QString BackendSession::toText(const QDateTime &now) const
    {
        QStringList lines;
        lines << u"pid %1 — %2@%3 (%4)"_s.arg(pid).arg(user, database, application.isEmpty() ? backendType : application);
        lines << u"client: %1   backend: %2"_s.arg(clientAddress.isEmpty() ? u"-"_s : clientAddress, backendType);
        QString st = u"state: "_s + (state.isEmpty() ? u"-"_s : state);
        if (!waitEventType.isEmpty())
            st += u"   wait: %1/%2"_s.arg(waitEventType, waitEvent);
        if (waiting)
            st += u"   waiting for a lock for "_s + duration(waitMs(now));
        lines << st;
        if (transactionStart.isValid())
            lines << u"transaction started: %1 (%2 ago)"_s.arg(transactionStart.toUTC().toString(Qt::ISODate),
                                                               duration(transactionStart.msecsTo(now)));
        if (queryStart.isValid())
            lines << u"query started: %1 (%2 ago)"_s.arg(queryStart.toUTC().toString(Qt::ISODate), duration(queryStart.msecsTo(now)));
        if (!blockedBy.isEmpty())
        {
            QStringList b;
            for (int p : blockedBy)
                b << QString::number(p);
            lines << u"blocked by: "_s + b.join(u", "_s);
        }
        if (isIdleInTransactionHoldingLocks())
            lines << u"idle in transaction holding %1 locks"_s.arg(lockCount);
        else
            lines << u"locks: %1"_s.arg(lockCount);
        if (leaderPid)
            lines << u"parallel worker of: %1"_s.arg(leaderPid);
        lines << u"query:"_s << query;
        return lines.join(u'\n');
    }

    std::optional<qint64> HeldLock::advisoryKey() const
    {
        if (!isAdvisory() || objSubId != 1)
            return std::nullopt;
        return qint64((quint64(classId) << 32) | quint64(objId));
    }

    QString HeldLock::target() const
    {
        if (isAdvisory())
        {
            QString t = objSubId == 1 ? u"advisory %1"_s.arg(*advisoryKey()) : u"advisory (%1, %2)"_s.arg(classId).arg(objId);
            if (!migrationLock.isEmpty())
                t += u" — "_s + migrationLock;
            return t;
        }
        if (lockType == u"relation"_s || lockType == u"tuple"_s || lockType == u"page"_s || lockType == u"extend"_s)
        {
            QString t = !relation.isEmpty() ? relation : u"oid %1 in %2"_s.arg(relationOid).arg(database);
            if (lockType == u"tuple"_s)
                t += u" (row %1,%2)"_s.arg(page).arg(tuple);
            else if (lockType != u"relation"_s)
                t += u" ("_s + lockType + u')';
            return t;
        }
        if (lockType == u"transactionid"_s)
            return u"transaction "_s + transactionId;
        if (lockType == u"virtualxid"_s)
            return u"virtual transaction "_s + virtualXid;
        return u"%1 %2/%3/%4"_s.arg(lockType).arg(classId).arg(objId).arg(objSubId);
    }

    QJsonObject HeldLock::toJson() const
    {
        QJsonObject o{{u"pid"_s, pid},         {u"locktype"_s, lockType}, {u"database"_s, database}, {u"mode"_s, mode},
                      {u"granted"_s, granted}, {u"count"_s, count},       {u"target"_s, target()}};
        if (relationOid)
        {
            o[u"relation_oid"_s] = qint64(relationOid);
            o[u"relation"_s] = relation;
        }
        if (page >= 0)
            o[u"page"_s] = page;
        if (tuple >= 0)
            o[u"tuple"_s] = tuple;
        if (!virtualXid.isEmpty())
            o[u"virtualxid"_s] = virtualXid;
        if (!transactionId.isEmpty())
            o[u"transactionid"_s] = transactionId;
        if (isAdvisory() || lockType == u"object"_s)
        {
            o[u"classid"_s] = qint64(classId);
            o[u"objid"_s] = qint64(objId);
            o[u"objsubid"_s] = objSubId;
        }
        if (auto key = advisoryKey())
            o[u"advisory_key"_s] = QString::number(*key); // a bigint does not fit a JSON double
        if (!migrationLock.isEmpty())
            o[u"migration_lock"_s] = migrationLock;
        if (waitStart.isValid())
            o[u"wait_start"_s] = ts(waitStart);
        return o;
    }

    const BlockingNode *BlockingTree::node(int pid) const
    {
        auto it = nodes.constFind(pid);
        return it == nodes.cend() ? nullptr : &*it;
    }

    QList<int> BlockingTree::preorder() const
    {
        QList<int> out;
        QList<int> stack;
        for (auto it = roots.crbegin(); it != roots.crend(); ++it)
            stack << *it;
        while (!stack.isEmpty())
        {
            const int pid = stack.takeLast();
            out << pid;
            if (const BlockingNode *n = node(pid))
                for (auto it = n->children.crbegin(); it != n->children.crend(); ++it)
                    stack << *it;
        }
        return out;
    }

    QJsonObject MigrationLockState::toJson() const
    {
        return {{u"tool"_s, tool},
                {u"name"_s, name},
                {u"database"_s, database},
                {u"key"_s, QString::number(key)},
                {u"holder_pid"_s, holderPid ? QJsonValue(holderPid) : QJsonValue()},
                {u"holder_since"_s, ts(holderSince)},
                {u"waiters"_s, ints(waiters)}};
    }

    void LockSnapshot::reindex()
    {
        sessionRow.clear();
        sessionRow.reserve(sessions.size());
        for (qsizetype i = 0; i < sessions.size(); ++i)
            sessionRow.insert(sessions[i].pid, i);
    }

    const BackendSession *LockSnapshot::session(int pid) const
    {
        auto it = sessionRow.constFind(pid);
        return it == sessionRow.cend() ? nullptr : &sessions[*it];
    }

    QList<HeldLock> LockSnapshot::locksOf(int pid) const
    {
        QList<HeldLock> out;
        for (const HeldLock &l : locks)
            if (l.pid == pid)
                out << l;
        return out;
    }

    const HeldLock *LockSnapshot::awaitedLock(int pid) const
    {
        for (const HeldLock &l : locks)
            if (l.pid == pid && !l.granted)
                return &l;
        return nullptr;
    }

    LockSnapshot::StateCounts LockSnapshot::stateCounts() const
    {
        StateCounts c;
        for (const BackendSession &s : sessions)
        {
            if (s.state == u"active"_s)
                ++c.active;
            else if (s.isIdleInTransaction())
                ++c.idleInTransaction;
            else if (s.state == u"idle"_s)
                ++c.idle;
            if (s.waiting)
                ++c.waiting;
            if (s.isIdleInTransactionHoldingLocks())
                ++c.idleInTransactionHoldingLocks;
        }
        return c;
    }

    QJsonObject LockSnapshot::toJson() const
    {
        QJsonArray s, l, e, r, m, c;
        for (const BackendSession &x : sessions)
            s.append(x.toJson());
        for (const HeldLock &x : locks)
            l.append(x.toJson());
        for (const BlockingEdge &x : edges)
            e.append(QJsonObject{{u"waiter"_s, x.waiter}, {u"blocker"_s, x.blocker}});
        // The forest, nested: each root with whom it blocks.
        std::function<QJsonObject(int)> nodeJson = [&](int pid) {
            const BlockingNode *n = tree.node(pid);
            QJsonArray children;
            for (int child : n->children)
                children.append(nodeJson(child));
            QJsonObject o{{u"pid"_s, pid},
                          {u"depth"_s, n->depth},
                          {u"wait_ms"_s, session(pid) ? session(pid)->waitMs(capturedAt) : 0},
                          {u"blocks"_s, children}};
            if (!n->otherBlockers.isEmpty())
                o[u"also_blocked_by"_s] = ints(n->otherBlockers);
            if (n->inCycle)
                o[u"in_cycle"_s] = true;
            if (n->parent == 0)
            {
                o[u"blocked_count"_s] = n->blockedCount;
                o[u"chain_depth"_s] = n->chainDepth;
                o[u"longest_wait_ms"_s] = n->longestWaitMs;
            }
            return o;
        };
        for (int root : tree.roots)
            r.append(nodeJson(root));
        for (const QList<int> &cycle : tree.cycles)
            c.append(ints(cycle));
        for (const MigrationLockState &x : migrationLocks)
            m.append(x.toJson());
        const StateCounts counts = stateCounts();
        return {{u"captured_at"_s, ts(capturedAt)},
                {u"server_version_num"_s, serverVersionNum},
                {u"lock_rows"_s, lockRows},
                {u"lock_entries"_s, qint64(locks.size())},
                {u"folded_rows"_s, foldedRows()},
                {u"state_counts"_s, QJsonObject{{u"active"_s, counts.active},
                                                {u"idle_in_transaction"_s, counts.idleInTransaction},
                                                {u"idle"_s, counts.idle},
                                                {u"waiting"_s, counts.waiting},
                                                {u"idle_in_transaction_holding_locks"_s, counts.idleInTransactionHoldingLocks}}},
                {u"sessions"_s, s},
                {u"locks"_s, l},
                {u"edges"_s, e},
                {u"roots"_s, r},
                {u"cycles"_s, c},
                {u"migration_locks"_s, m}};
    }

    QString LockSnapshot::treeText() const
    {
        QStringList lines;
        const StateCounts c = stateCounts();
        lines << u"%1 sessions: %2 active, %3 idle in transaction (%4 holding locks), %5 waiting on locks; %6 lock rows (%7 folded)"_s
                     .arg(sessions.size())
                     .arg(c.active)
                     .arg(c.idleInTransaction)
                     .arg(c.idleInTransactionHoldingLocks)
                     .arg(c.waiting)
                     .arg(lockRows)
                     .arg(foldedRows());
        if (tree.isEmpty())
            lines << u"No blocking: no session waits on a lock held by another."_s;
        for (const QList<int> &cycle : tree.cycles)
        {
            QStringList p;
            for (int pid : cycle)
                p << QString::number(pid);
            lines << u"DEADLOCK IN THE MAKING: wait cycle "_s + p.join(u" -> "_s) + u" -> "_s + p.first();
        }
        for (int pid : tree.preorder())
        {
            const BlockingNode *n = tree.node(pid);
            const BackendSession *s = session(pid);
            QString line = QString(n->depth * 4, u' ');
            if (n->parent == 0)
                line += n->inCycle ? u"⟲ "_s : u"● "_s;
            else
                line += u"└─ "_s;
            line += u"%1 %2/%3 [%4]"_s.arg(pid).arg(s ? s->user : u"?"_s,
                                                    s ? (s->application.isEmpty() ? s->backendType : s->application) : u"?"_s,
                                                    s ? (s->state.isEmpty() ? u"-"_s : s->state) : u"gone"_s);
            if (n->parent == 0)
                line += u" blocks %1 (depth %2, longest wait %3)"_s.arg(n->blockedCount).arg(n->chainDepth).arg(duration(n->longestWaitMs));
            if (const HeldLock *w = awaitedLock(pid))
                line += u" waits %1 for %2 on %3"_s.arg(duration(s ? s->waitMs(capturedAt) : 0), w->mode, w->target());
            if (!n->otherBlockers.isEmpty())
            {
                QStringList b;
                for (int o : n->otherBlockers)
                    b << QString::number(o);
                line += u" (also blocked by "_s + b.join(u", "_s) + u')';
            }
            if (s && s->isIdleInTransactionHoldingLocks())
                line += u" IDLE IN TRANSACTION"_s;
            lines << line;
            if (s)
                lines << QString(n->depth * 4 + 3, u' ') + oneLine(s->query, 100);
        }
        for (const MigrationLockState &m : migrationLocks)
        {
            QString line = u"migration lock: "_s + m.name;
            line += m.holderPid ? u" held by %1"_s.arg(m.holderPid) : u" not held"_s;
            if (m.holderSince.isValid())
                line += u" since "_s + m.holderSince.toUTC().toString(Qt::ISODate);
            if (!m.waiters.isEmpty())
            {
                QStringList w;
                for (int p : m.waiters)
                    w << QString::number(p);
                line += u"; waiting: "_s + w.join(u", "_s);
            }
            lines << line;
        }
        return lines.join(u'\n') + u'\n';
    }
}
