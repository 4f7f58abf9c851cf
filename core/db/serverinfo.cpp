#include "core/db/serverinfo.h"

#include "core/db/pgconnection.h"

#include <QElapsedTimer>

#include <algorithm>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    ServerInfo probeServer(PgConnection &conn, CancelToken *token)
    {
        ServerInfo info;
        std::vector<double> samples;
        for (int i = 0; i < 3; ++i)
        {
            QElapsedTimer t;
            t.start();
            conn.exec(u"SELECT 1"_s, {}, token);
            samples.push_back(double(t.nsecsElapsed()) / 1e6);
        }
        std::sort(samples.begin(), samples.end());
        info.latencyMs = samples[1];
        const QueryResult r = conn.exec(u"SELECT current_user AS usr, current_database() AS db, "
                                        u"COALESCE((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS super"_s,
                                        {}, token);
        info.currentUser = r.text(0, u"usr"_s);
        info.database = r.text(0, u"db"_s);
        info.superuser = r.value(0, u"super"_s).toBool();
        info.serverVersion = conn.serverVersion();
        info.serverVersionNum = conn.serverVersionNum();
        info.ssl = conn.sslInUse();
        info.sslProtocol = conn.sslAttribute(u"protocol"_s);
        info.target = conn.params().shortName();
        info.backendPid = conn.backendPid();
        info.answeredBy = conn.answeredBy();
        info.severalHosts = conn.params().value(u"host"_s).contains(u',');
        return info;
    }

    QJsonObject ServerInfo::toJson() const
    {
        return QJsonObject{
            {u"server_version"_s, serverVersion},
            {u"server_version_num"_s, serverVersionNum},
            {u"latency_ms"_s, latencyMs},
            {u"ssl"_s, ssl},
            {u"ssl_protocol"_s, sslProtocol},
            {u"current_user"_s, currentUser},
            {u"superuser"_s, superuser},
            {u"database"_s, database},
            {u"target"_s, target},
            {u"answered_by_host_port"_s, answeredBy},
        };
    }

    QString ServerInfo::toText() const
    {
        return u"PostgreSQL %1 · round trip %2 ms · %3 · user %4%5 · database %6"_s.arg(serverVersion)
            .arg(latencyMs, 0, 'f', 2)
            .arg(ssl ? u"SSL "_s + sslProtocol : u"no SSL"_s)
            .arg(currentUser)
            .arg(superuser ? u" (superuser)"_s : QString())
            .arg(database);
    }
}
