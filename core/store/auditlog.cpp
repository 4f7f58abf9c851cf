#include "core/store/auditlog.h"

#include "core/logging/log.h"
#include "core/store/store.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>

#include <pwd.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString currentOsUser()
    {
        if (const passwd *pw = ::getpwuid(::geteuid()))
            return QString::fromLocal8Bit(pw->pw_name);
        return qEnvironmentVariable("USER");
    }

    QString currentHostName()
    {
        return QSysInfo::machineHostName();
    }

    QJsonObject AuditEntry::toJson() const
    {
        return QJsonObject{{u"id"_s, id},           {u"at"_s, at.toString(Qt::ISODateWithMs)},
                           {u"os_user"_s, osUser},  {u"host"_s, host},
                           {u"profile"_s, profile}, {u"environment"_s, environment},
                           {u"action"_s, action},   {u"target"_s, target},
                           {u"details"_s, details}, {u"outcome"_s, outcome}};
    }

    AuditLog::AuditLog(Store &store)
        : m_store(store)
    {
    }

    void AuditLog::record(AuditEntry e)
    {
        e.osUser = currentOsUser();
        e.host = currentHostName();
        try
        {
            m_store.exec(u"INSERT INTO audit_log(os_user, host, profile, environment, action, target, details, outcome) "
                         u"VALUES(?,?,?,?,?,?,?,?)"_s,
                         // A null QString binds as SQL NULL; the columns are NOT NULL with '' for "unset".
                         {e.osUser, e.host, e.profile.isNull() ? u""_s : e.profile, e.environment.isNull() ? u""_s : e.environment,
                          e.action, e.target.isNull() ? u""_s : e.target, e.details.isNull() ? u""_s : e.details,
                          e.outcome.isNull() ? u""_s : e.outcome});
            spdlog::info("audit: {} {} on {} ({}): {}", e.action, e.target, e.profile, e.environment, e.outcome);
        }
        catch (const Exception &ex)
        {
            spdlog::error("could not write the audit log: {}", ex.error().toString());
        }
    }

    Expected<QList<AuditEntry>> AuditLog::recent(int limit)
    {
        return catchErrors([&] {
            QSqlQuery q(m_store.database());
            q.prepare(u"SELECT id, at, os_user, host, profile, environment, action, target, details, outcome "
                      u"FROM audit_log ORDER BY id DESC LIMIT ?"_s);
            q.addBindValue(limit);
            if (!q.exec())
                throw Exception(ErrorCode::Io, u"store: "_s + q.lastError().text());
            QList<AuditEntry> out;
            while (q.next())
            {
                AuditEntry e;
                e.id = q.value(0).toLongLong();
                e.at = QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs);
                e.osUser = q.value(2).toString();
                e.host = q.value(3).toString();
                e.profile = q.value(4).toString();
                e.environment = q.value(5).toString();
                e.action = q.value(6).toString();
                e.target = q.value(7).toString();
                e.details = q.value(8).toString();
                e.outcome = q.value(9).toString();
                out << e;
            }
            return out;
        });
    }
}
