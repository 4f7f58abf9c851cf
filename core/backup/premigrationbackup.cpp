#include "core/backup/premigrationbackup.h"

#include "core/backup/backupservice.h"
#include "core/backup/toollocator.h"
#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/logging/log.h"
#include "core/migrate/historyformats.h"
#include "core/store/store.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString catalogName(const ConnectionProfile &profile)
    {
        return profile.name == u"command line"_s ? profile.targetDescription() : profile.name;
    }

    PreChangeRule preChangeRule(Store &store, const ConnectionProfile &profile)
    {
        PreChangeRule rule;
        if (profile.isSqlite())
        {
            rule.reason = u"a SQLite file (no pg_dump)"_s;
            return rule;
        }
        const BackupPolicy p = BackupCatalog(store).policy(catalogName(profile));
        rule.freshMinutes = p.freshMinutes;
        if (!p.preMigrationBackup)
            rule.reason = u"the profile's policy says off (backups policy --pre-migration off)"_s;
        else if (p.preMigrationSet)
        {
            rule.required = true;
            rule.reason = u"the profile's policy says on"_s;
        }
        else if (profile.isProduction())
        {
            rule.required = true;
            rule.reason = u"production profile"_s;
        }
        else
            rule.reason = u"%1 profile without --pre-migration on"_s.arg(toString(profile.environment));
        return rule;
    }

    bool needsPreMigrationBackup(Store &store, const ConnectionProfile &profile)
    {
        return preChangeRule(store, profile).required;
    }

    QJsonObject PreChangeOutcome::toJson() const
    {
        return {{u"backup_id"_s, backupId},
                {u"reused"_s, reused},
                {u"path"_s, path},
                {u"started_at"_s, startedAt.toUTC().toString(Qt::ISODateWithMs)},
                {u"why"_s, why}};
    }

    std::optional<BackupEntry> reusableBackup(Store &store, const ConnectionProfile &profile, const ConnectParams &connection,
                                              int freshMinutes, const PreChangeHookOptions &options, JobContext &jc, QString *why)
    {
        auto no = [why](const QString &reason) -> std::optional<BackupEntry> {
            if (why)
                *why = reason;
            return std::nullopt;
        };
        if (freshMinutes <= 0)
            return no(u"reuse is switched off (--fresh-minutes 0)"_s);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QString name = catalogName(profile);
        std::optional<BackupEntry> candidate;
        for (const BackupEntry &e : BackupCatalog(store).list(name)) // newest first
        {
            if (e.verification == VerifyState::Verified && e.startedAt.isValid() && QFileInfo::exists(e.path))
            {
                candidate = e;
                break;
            }
        }
        if (!candidate)
            return no(u"no verified backup of %1 in the catalog"_s.arg(name));
        const qint64 backupAgeMs = candidate->startedAt.msecsTo(now);
        if (backupAgeMs > qint64(freshMinutes) * 60000)
            return no(u"the newest verified backup (%1) is %2 min old, beyond the %3-minute freshness window"_s.arg(candidate->id)
                          .arg(backupAgeMs / 60000)
                          .arg(freshMinutes));

        // The last change dbops recorded for this target (our clock, like the backup's).
        {
            QSqlQuery q(store.database());
            q.prepare(u"SELECT max(at) FROM audit_log WHERE action <> 'backup' AND (profile = ? OR profile = ? OR target = ?)"_s);
            q.addBindValue(name);
            q.addBindValue(profile.name);
            q.addBindValue(profile.targetDescription());
            if (!q.exec())
                throw Exception(ErrorCode::Io, u"audit log: "_s + q.lastError().text());
            if (q.next() && !q.value(0).isNull())
            {
                const QDateTime last = QDateTime::fromString(q.value(0).toString(), Qt::ISODateWithMs);
                if (!last.isValid() || last >= candidate->startedAt)
                    return no(u"backup %1 was taken before the last change recorded in the audit log (%2)"_s.arg(candidate->id)
                                  .arg(q.value(0).toString()));
            }
        }

        // The database itself: the same one, and no history row newer than the backup.
        auto conn = PgConnection::open(connection, {}, jc.token());
        const QueryResult r =
            conn->exec(u"SELECT current_database() AS db, (extract(epoch FROM now()) * 1000)::bigint AS now_ms"_s, {}, jc.token());
        const QString db = r.text(0, u"db"_s);
        if (db != candidate->database)
            return no(u"backup %1 is of the database %2, not %3"_s.arg(candidate->id).arg(candidate->database, db));
        const QDateTime serverNow = QDateTime::fromMSecsSinceEpoch(r.value(0, u"now_ms"_s).toLongLong(), Qt::UTC);
        std::shared_ptr<HistoryAdapter> history;
        QList<HistoryRow> rows;
        try
        {
            history = resolveHistory(*conn, options.historyFormat, options.historyTable, jc.token());
            if (history && history->exists(*conn, jc.token()))
                rows = history->read(*conn, jc.token());
        }
        catch (const Exception &e)
        {
            if (e.error().isCancelled())
                throw;
            return no(u"the history cannot be read to show that backup %1 is newer than the last change: %2"_s.arg(candidate->id)
                          .arg(e.error().message));
        }
        if (!rows.isEmpty())
        {
            QDateTime newest;
            bool unknown = false;
            for (const HistoryRow &row : std::as_const(rows))
            {
                if (!row.installedOn.isValid())
                    unknown = true;
                else if (!newest.isValid() || row.installedOn > newest)
                    newest = row.installedOn;
            }
            if (unknown && !newest.isValid())
                return no(
                    u"the history keeps no times, so it cannot show that backup %1 is newer than the last change"_s.arg(candidate->id));
            if (newest.isValid() && serverNow.isValid())
            {
                const qint64 changeAgeMs = newest.msecsTo(serverNow);
                if (changeAgeMs <= backupAgeMs)
                    return no(u"the history changed %1 s ago, after backup %2 was started (%3 s ago)"_s.arg(changeAgeMs / 1000)
                                  .arg(candidate->id)
                                  .arg(backupAgeMs / 1000));
            }
        }
        if (why)
            *why = u"backup %1 is verified, %2 s old (within %3 min) and newer than the last change"_s.arg(candidate->id)
                       .arg(backupAgeMs / 1000)
                       .arg(freshMinutes);
        return candidate;
    }

    std::function<QString(const QString &what, JobContext &)> preChangeBackupHook(Store &store, const ConnectionProfile &profile,
                                                                                  const ConnectParams &connection,
                                                                                  PreChangeHookOptions options)
    {
        return [&store, profile, connection, options](const QString &what, JobContext &jc) -> QString {
            const PreChangeRule rule = preChangeRule(store, profile);
            if (!rule.required)
            {
                spdlog::info("no pre-change backup for {}: {}", profile.name, rule.reason);
                return {};
            }
            PreChangeOutcome outcome;
            QString why;
            if (auto reused = reusableBackup(store, profile, connection, rule.freshMinutes, options, jc, &why))
            {
                outcome = {reused->id, true, reused->path, reused->startedAt, rule.reason + u"; "_s + why};
                const QString line = u"%1: reusing verified backup %2 (%3, started %4) before: %5; %6"_s.arg(rule.reason)
                                         .arg(reused->id)
                                         .arg(reused->path, reused->startedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s), what, why);
                jc.log(line);
                jc.progress(0, 0, line);
            }
            else
            {
                const QString line = u"%1: taking a verified backup before: %2 (no backup to reuse: %3)"_s.arg(rule.reason, what, why);
                jc.log(line);
                jc.progress(0, 0, line);
                BackupRequest request;
                request.profile = profile;
                request.profile.name = catalogName(profile);
                request.connection = connection;
                request.kind = u"pre-migration"_s;
                request.label = u"before: "_s + what;
                request.toolsDir = options.toolsDir.isEmpty() ? configuredToolDir(&store) : options.toolsDir;
                const BackupEntry entry = BackupService(store).backup(request, jc);
                outcome = {entry.id, false, entry.path, entry.startedAt, rule.reason};
                jc.log(u"verified backup %1 taken before: %2 (%3)"_s.arg(entry.id).arg(what, entry.path));
            }
            if (options.outcome)
                *options.outcome = outcome;
            return QString::number(outcome.backupId);
        };
    }
}
