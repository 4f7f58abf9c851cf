#include "core/locks/lockqueries.h"

#include "core/db/pgconnection.h"
#include "core/error.h"
#include "core/locks/blockinggraph.h"
#include "core/locks/migrationlocks.h"
#include "core/sql/sqlresource.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QDateTime fromMs(const QJsonValue &v)
        {
            if (v.isNull() || v.isUndefined())
                return {};
            return QDateTime::fromMSecsSinceEpoch(qint64(v.toDouble()), Qt::UTC);
        }

        QString str(const QJsonObject &o, const QString &key)
        {
            return o.value(key).toString();
        }

        QJsonArray jsonArray(const QVariant &v)
        {
            return QJsonDocument::fromJson(v.toString().toUtf8()).array();
        }

        BackendSession sessionFromJson(const QJsonObject &o)
        {
            BackendSession s;
            s.pid = o.value(u"pid"_s).toInt();
            s.database = str(o, u"datname"_s);
            s.user = str(o, u"usename"_s);
            s.application = str(o, u"application_name"_s);
            s.clientAddress = str(o, u"client_addr"_s);
            s.backendType = str(o, u"backend_type"_s);
            s.state = str(o, u"state"_s);
            s.waitEventType = str(o, u"wait_event_type"_s);
            s.waitEvent = str(o, u"wait_event"_s);
            s.backendStart = fromMs(o.value(u"backend_start"_s));
            s.transactionStart = fromMs(o.value(u"xact_start"_s));
            s.queryStart = fromMs(o.value(u"query_start"_s));
            s.stateChange = fromMs(o.value(u"state_change"_s));
            s.waitStart = fromMs(o.value(u"wait_start"_s));
            s.query = str(o, u"query"_s);
            s.leaderPid = o.value(u"leader_pid"_s).toInt();
            if (s.leaderPid == s.pid)
                s.leaderPid = 0; // a leader reports itself
            s.lockCount = o.value(u"lock_count"_s).toInt();
            s.waiting = o.value(u"waiting"_s).toBool();
            for (const QJsonValue &b : o.value(u"blocked_by"_s).toArray())
                s.blockedBy << b.toInt();
            return s;
        }

        HeldLock lockFromJson(const QJsonObject &o)
        {
            HeldLock l;
            l.pid = o.value(u"pid"_s).toInt();
            l.lockType = str(o, u"locktype"_s);
            l.database = str(o, u"database"_s);
            l.relationOid = quint32(o.value(u"relation_oid"_s).toDouble());
            l.relation = str(o, u"relation"_s);
            l.mode = str(o, u"mode"_s);
            l.granted = o.value(u"granted"_s).toBool();
            l.page = o.value(u"page"_s).isNull() ? -1 : qint64(o.value(u"page"_s).toDouble());
            l.tuple = o.value(u"tuple"_s).isNull() ? -1 : qint64(o.value(u"tuple"_s).toDouble());
            l.virtualXid = str(o, u"virtualxid"_s);
            l.transactionId = str(o, u"transactionid"_s);
            l.classId = quint32(o.value(u"classid"_s).toDouble());
            l.objId = quint32(o.value(u"objid"_s).toDouble());
            l.objSubId = o.value(u"objsubid"_s).toInt();
            l.count = o.value(u"count"_s).toInt(1);
            l.waitStart = fromMs(o.value(u"wait_start"_s));
            return l;
        }
    }

    QString toString(BackendSignal signal)
    {
        return signal == BackendSignal::Cancel ? u"cancel"_s : u"terminate"_s;
    }

    QJsonObject SignalResult::toJson() const
    {
        return {{u"pid"_s, pid}, {u"action"_s, toString(signal)}, {u"sent"_s, sent}};
    }

    QString LockQueries::sql(const QString &name)
    {
        return sqlResource(QString(u"locks/"_s + name));
    }

    LockSnapshot LockQueries::snapshot(PgConnection &conn, CancelToken *token, const SnapshotOptions &options)
    {
        QElapsedTimer timer;
        timer.start();
        const QueryResult r = conn.exec(sql(u"snapshot"_s), {options.locksPerSession, options.maxLockEntries}, token);
        LockSnapshot s = fromResult(r);
        s.elapsedMs = timer.elapsed();
        return s;
    }

    LockSnapshot LockQueries::fromResult(const QueryResult &r)
    {
        if (r.rowCount() != 1)
            throw Exception(ErrorCode::Internal, u"the lock snapshot returned %1 rows instead of one"_s.arg(r.rowCount()));
        LockSnapshot s;
        s.capturedAt = QDateTime::fromMSecsSinceEpoch(r.value(0, u"captured_at"_s).toLongLong(), Qt::UTC);
        s.serverVersionNum = r.value(0, u"server_version"_s).toInt();
        s.currentDatabase = r.text(0, u"current_db"_s);
        s.lockRows = r.value(0, u"lock_rows"_s).toLongLong();
        s.detailedRows = r.value(0, u"detailed_rows"_s).toLongLong();
        const QJsonArray sessions = jsonArray(r.value(0, u"sessions"_s));
        s.sessions.reserve(sessions.size());
        for (const QJsonValue &v : sessions)
            s.sessions << sessionFromJson(v.toObject());
        for (const QJsonValue &v : jsonArray(r.value(0, u"locks"_s)))
            s.locks << lockFromJson(v.toObject());
        for (const QJsonValue &v : jsonArray(r.value(0, u"edges"_s)))
        {
            const QJsonArray e = v.toArray();
            s.edges << BlockingEdge{e.at(0).toInt(), e.at(1).toInt()};
        }
        s.reindex();
        s.tree = BlockingGraph::build(s.edges, [&s](int pid) {
            const BackendSession *session = s.session(pid);
            return session ? session->waitMs(s.capturedAt) : 0;
        });
        MigrationLockCatalog::recognise(s);
        return s;
    }

    std::optional<BackendSession> LockQueries::session(PgConnection &conn, int pid, CancelToken *token)
    {
        const QueryResult r = conn.exec(sql(u"session"_s), {pid}, token);
        if (r.isEmpty())
            return std::nullopt;
        BackendSession s;
        s.pid = r.value(0, u"pid"_s).toInt();
        s.database = r.text(0, u"datname"_s);
        s.user = r.text(0, u"usename"_s);
        s.application = r.text(0, u"application_name"_s);
        s.state = r.text(0, u"state"_s);
        s.backendType = r.text(0, u"backend_type"_s);
        s.query = r.text(0, u"query"_s);
        return s;
    }

    SignalResult LockQueries::signal(PgConnection &conn, int pid, BackendSignal signal, CancelToken *token)
    {
        const QueryResult r = conn.exec(sql(signal == BackendSignal::Cancel ? u"cancel"_s : u"terminate"_s), {pid}, token);
        if (r.isEmpty())
            throw Exception(ErrorCode::NotFound, u"no server process with pid %1 (it may have ended)"_s.arg(pid));
        return {pid, signal, r.value(0, u"sent"_s).toBool()};
    }
}
