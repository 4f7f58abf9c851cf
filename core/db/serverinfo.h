#pragma once

#include <QJsonObject>
#include <QString>

namespace dbops
{
    class PgConnection;
    class CancelToken;

    /// What "Test connection" shows.
    struct ServerInfo
    {
        QString serverVersion; ///< "15.18"
        int serverVersionNum = 0;
        double latencyMs = 0; ///< median round trip of a trivial query
        bool ssl = false;
        QString sslProtocol;
        QString currentUser;
        bool superuser = false;
        QString database;
        QString target; ///< user@host:port/db
        int backendPid = 0;
        /// The host and port that answered ("h2:5434"): with several hosts in the profile, which one it was.
        QString answeredBy;
        bool severalHosts = false; ///< the connection string names more than one host

        QJsonObject toJson() const;
        QString toText() const;
    };

    /// Measures and reads the server facts over an open connection (3 round trips timed).
    ServerInfo probeServer(PgConnection &conn, CancelToken *token = nullptr);
}
