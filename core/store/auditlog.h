#pragma once

#include "core/error.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace dbops
{
    class Store;

    /// One thing dbops did to a database on someone's behalf: recorded before the outcome is known
    /// is not needed; record() is called once with the outcome.
    struct AuditEntry
    {
        qint64 id = 0;
        QDateTime at;
        QString osUser;
        QString host;
        QString profile;
        QString environment;
        QString action; ///< "terminate", "cancel", "repair", "restore", ...
        QString target; ///< what it acted on: a pid, a database, a migration
        QString details;
        QString outcome; ///< "ok" or the error

        QJsonObject toJson() const;
    };

    /// The audit log in the store. Thread-safe through the store's per-thread connections.
    class AuditLog final
    {
    public:
        explicit AuditLog(Store &store);
        /// Fills at, osUser and host. Never throws: a failure to audit is logged loudly.
        void record(AuditEntry entry);
        Expected<QList<AuditEntry>> recent(int limit = 200);

    private:
        Store &m_store;
    };

    QString currentOsUser();
    QString currentHostName();
}
