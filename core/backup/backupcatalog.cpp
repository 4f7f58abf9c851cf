#include "core/backup/backupcatalog.h"

#include "core/logging/log.h"
#include "core/paths.h"
#include "core/store/auditlog.h"
#include "core/store/store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QSqlError>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        const QString kColumns = u"id, profile, database, server_version, pg_dump_version, format, path, size, sha256, started_at, "
                                 u"finished_at, duration_ms, schema_version, verification, verify_detail, verified_at, test_restore, "
                                 u"row_counts, label, kind"_s;

        QString iso(const QDateTime &t)
        {
            return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
        }

        QSqlQuery query(Store &store, const QString &sql, const QVariantList &params)
        {
            QSqlQuery q(store.database());
            q.prepare(sql);
            for (const QVariant &p : params)
                // A null QString would bind as NULL; the catalog's text columns are NOT NULL ''.
                q.addBindValue(p.typeId() == QMetaType::QString && p.toString().isNull() ? QVariant(QString(u""_s)) : p);
            if (!q.exec())
                throw Exception(ErrorCode::Io, u"backup catalog: "_s + q.lastError().text());
            return q;
        }

        QString countsJson(const QMap<QString, qint64> &counts)
        {
            QJsonObject o;
            for (auto it = counts.cbegin(); it != counts.cend(); ++it)
                o.insert(it.key(), it.value());
            return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
        }

        BackupEntry fromQuery(const QSqlQuery &q)
        {
            BackupEntry e;
            int i = 0;
            e.id = q.value(i++).toLongLong();
            e.profile = q.value(i++).toString();
            e.database = q.value(i++).toString();
            e.serverVersion = q.value(i++).toString();
            e.pgDumpVersion = q.value(i++).toString();
            e.format = q.value(i++).toString();
            e.path = q.value(i++).toString();
            e.size = q.value(i++).toLongLong();
            e.sha256 = q.value(i++).toString();
            e.startedAt = QDateTime::fromString(q.value(i++).toString(), Qt::ISODateWithMs);
            e.finishedAt = QDateTime::fromString(q.value(i++).toString(), Qt::ISODateWithMs);
            e.durationMs = q.value(i++).toLongLong();
            e.schemaVersion = q.value(i++).toString();
            e.verification = verifyStateFromString(q.value(i++).toString());
            e.verifyDetail = q.value(i++).toString();
            e.verifiedAt = QDateTime::fromString(q.value(i++).toString(), Qt::ISODateWithMs);
            e.testRestore = q.value(i++).toString();
            const QJsonObject counts = QJsonDocument::fromJson(q.value(i++).toString().toUtf8()).object();
            for (auto it = counts.begin(); it != counts.end(); ++it)
                e.rowCounts.insert(it.key(), it.value().toInteger());
            e.label = q.value(i++).toString();
            e.kind = q.value(i++).toString();
            return e;
        }

        QVariantList values(const BackupEntry &e)
        {
            return {e.profile,
                    e.database,
                    e.serverVersion,
                    e.pgDumpVersion,
                    e.format,
                    e.path,
                    e.size,
                    e.sha256,
                    iso(e.startedAt),
                    iso(e.finishedAt),
                    e.durationMs,
                    e.schemaVersion,
                    toString(e.verification),
                    e.verifyDetail,
                    iso(e.verifiedAt),
                    e.testRestore,
                    countsJson(e.rowCounts),
                    e.label,
                    e.kind};
        }
    }

    QString toString(VerifyState state)
    {
        switch (state)
        {
        case VerifyState::Verified:
            return u"verified"_s;
        case VerifyState::Failed:
            return u"failed"_s;
        case VerifyState::Unverified:
            break;
        }
        return u"unverified"_s;
    }

    VerifyState verifyStateFromString(const QString &text)
    {
        if (text == u"verified"_s)
            return VerifyState::Verified;
        if (text == u"failed"_s)
            return VerifyState::Failed;
        return VerifyState::Unverified;
    }

    QJsonObject BackupEntry::toJson() const
    {
        QJsonObject counts;
        for (auto it = rowCounts.cbegin(); it != rowCounts.cend(); ++it)
            counts.insert(it.key(), it.value());
        return {{u"id"_s, id},
                {u"profile"_s, profile},
                {u"database"_s, database},
                {u"server_version"_s, serverVersion},
                {u"pg_dump_version"_s, pgDumpVersion},
                {u"format"_s, format},
                {u"path"_s, path},
                {u"size"_s, size},
                {u"sha256"_s, sha256},
                {u"started_at"_s, iso(startedAt)},
                {u"finished_at"_s, iso(finishedAt)},
                {u"duration_ms"_s, durationMs},
                {u"schema_version"_s, schemaVersion},
                {u"verification"_s, toString(verification)},
                {u"verification_detail"_s, verifyDetail},
                {u"verified_at"_s, iso(verifiedAt)},
                {u"test_restore"_s, testRestore},
                {u"row_counts"_s, counts},
                {u"label"_s, label},
                {u"kind"_s, kind}};
    }

    QJsonObject RestoreRecord::toJson() const
    {
        return {{u"id"_s, id},
                {u"at"_s, iso(at)},
                {u"os_user"_s, osUser},
                {u"host"_s, host},
                {u"profile"_s, profile},
                {u"backup_id"_s, backupId},
                {u"archive"_s, archivePath},
                {u"target_database"_s, targetDatabase},
                {u"mode"_s, mode},
                {u"safety_backup_id"_s, safetyBackupId},
                {u"outcome"_s, outcome},
                {u"duration_ms"_s, durationMs}};
    }

    BackupCatalog::BackupCatalog(Store &store)
        : m_store(store)
    {
    }

    namespace
    {
        void ensureTrashTable(Store &store);
    }

    qint64 BackupCatalog::add(const BackupEntry &entry)
    {
        // An id is never given twice: not the id of a backup in the trash either (SQLite would
        // reuse the highest id once that row is gone), so an untrash and a selection stay exact.
        ensureTrashTable(m_store);
        QSqlQuery q = query(m_store,
                            u"INSERT INTO backups(id, profile, database, server_version, pg_dump_version, format, path, size, sha256, "
                            u"started_at, finished_at, duration_ms, schema_version, verification, verify_detail, verified_at, "
                            u"test_restore, row_counts, label, kind) VALUES((SELECT max(m) + 1 FROM (SELECT coalesce(max(id), 0) AS m "
                            u"FROM backups UNION ALL SELECT coalesce(max(id), 0) FROM backups_trash)),"
                            u"?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"_s,
                            values(entry));
        return q.lastInsertId().toLongLong();
    }

    void BackupCatalog::update(const BackupEntry &entry)
    {
        QVariantList params = values(entry);
        params << entry.id;
        query(m_store,
              u"UPDATE backups SET profile=?, database=?, server_version=?, pg_dump_version=?, format=?, path=?, size=?, sha256=?, "
              u"started_at=?, finished_at=?, duration_ms=?, schema_version=?, verification=?, verify_detail=?, verified_at=?, "
              u"test_restore=?, row_counts=?, label=?, kind=? WHERE id=?"_s,
              params);
    }

    QList<BackupEntry> BackupCatalog::list(const QString &profile)
    {
        QSqlQuery q = profile.isEmpty()
                          ? query(m_store, u"SELECT "_s + kColumns + u" FROM backups ORDER BY started_at DESC, id DESC"_s, {})
                          : query(m_store, u"SELECT "_s + kColumns + u" FROM backups WHERE profile = ? ORDER BY started_at DESC, id DESC"_s,
                                  {profile});
        QList<BackupEntry> out;
        while (q.next())
            out << fromQuery(q);
        return out;
    }

    BackupEntry BackupCatalog::get(qint64 id)
    {
        QSqlQuery q = query(m_store, u"SELECT "_s + kColumns + u" FROM backups WHERE id = ?"_s, {id});
        if (!q.next())
            throw Exception(ErrorCode::NotFound, u"there is no backup %1 in the catalog (dbops backups lists them)"_s.arg(id));
        return fromQuery(q);
    }

    BackupEntry BackupCatalog::findByPath(const QString &path)
    {
        const QString canonical = QFileInfo(path).absoluteFilePath();
        QSqlQuery q = query(m_store, u"SELECT "_s + kColumns + u" FROM backups WHERE path = ? ORDER BY id DESC LIMIT 1"_s, {canonical});
        return q.next() ? fromQuery(q) : BackupEntry{};
    }

    void BackupCatalog::remove(qint64 id)
    {
        query(m_store, u"DELETE FROM backups WHERE id = ?"_s, {id});
    }

    BackupPolicy BackupCatalog::policy(const QString &profile)
    {
        BackupPolicy p;
        p.profile = profile;
        QSqlQuery q =
            query(m_store, u"SELECT keep_last, keep_days, pre_migration_backup FROM backup_policies WHERE profile = ?"_s, {profile});
        if (q.next())
        {
            p.keepLast = q.value(0).toInt();
            p.keepDays = q.value(1).toInt();
            // 0 off, 1 the default (production only), 2 on explicitly (every environment)
            p.preMigrationBackup = q.value(2).toInt() != 0;
            p.preMigrationSet = q.value(2).toInt() == 2;
        }
        QSqlQuery f = query(m_store, u"SELECT value FROM settings WHERE key = ?"_s, {QString(u"backup.fresh_minutes/"_s + profile)});
        if (f.next())
            p.freshMinutes = f.value(0).toInt();
        return p;
    }

    void BackupCatalog::setPolicy(const BackupPolicy &p)
    {
        query(m_store,
              u"INSERT INTO backup_policies(profile, keep_last, keep_days, pre_migration_backup) VALUES(?,?,?,?) "
              u"ON CONFLICT(profile) DO UPDATE SET keep_last = excluded.keep_last, keep_days = excluded.keep_days, "
              u"pre_migration_backup = excluded.pre_migration_backup"_s,
              {p.profile, p.keepLast, p.keepDays,
               !p.preMigrationBackup ? 0
               : p.preMigrationSet   ? 2
                                     : 1});
        query(m_store, u"INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"_s,
              {QString(u"backup.fresh_minutes/"_s + p.profile), QString::number(p.freshMinutes)});
    }

    QList<BackupEntry> retentionVictims(const QList<BackupEntry> &newestFirst, const BackupPolicy &p, const QDateTime &now)
    {
        if (p.keepLast <= 0 && p.keepDays <= 0)
            return {};
        // The newest verified backup is the one a restore falls back to: never retention's.
        const auto newestVerified = std::find_if(newestFirst.cbegin(), newestFirst.cend(),
                                                 [](const BackupEntry &e) { return e.verification == VerifyState::Verified; });
        const qint64 keepVerified = newestVerified == newestFirst.cend() ? 0 : newestVerified->id;
        QList<BackupEntry> victims;
        for (int i = 0; i < newestFirst.size(); ++i)
        {
            const BackupEntry &e = newestFirst[i];
            const bool beyondCount = p.keepLast <= 0 || i >= p.keepLast;
            const bool tooOld = p.keepDays <= 0 || e.startedAt.addDays(p.keepDays) < now;
            if (beyondCount && tooOld && e.id != keepVerified && !e.testRestored()) // a proven restore stays
                victims << e;
        }
        return victims;
    }

    QList<BackupEntry> BackupCatalog::retentionVictims(const QString &profile, const QDateTime &now)
    {
        return dbops::retentionVictims(list(profile), policy(profile), now);
    }

    QList<qint64> BackupCatalog::applyRetention(const QString &profile)
    {
        const BackupPolicy p = policy(profile);
        const QString reason = u"retention: keep last %1, keep days %2"_s.arg(p.keepLast).arg(p.keepDays);
        QList<qint64> removed;
        QStringList moved;
        for (const BackupEntry &e : retentionVictims(profile))
        {
            try
            {
                const TrashedBackup t = moveToTrash(e.id, reason);
                removed << e.id;
                moved << u"backup %1 (%2) → %3"_s.arg(e.id).arg(e.path, t.trashPath);
                spdlog::info("retention: moved backup {} ({}) to the trash: {}", e.id, e.path, t.trashPath);
            }
            catch (const Exception &x)
            {
                spdlog::warn("retention: cannot move backup {} to the trash ({}); its catalog entry stays", e.id, x.error().message);
            }
        }
        if (!removed.isEmpty())
            AuditLog(m_store).record(
                {.profile = profile,
                 .action = u"retention"_s,
                 .target = profile,
                 .details = u"%1: moved %2 backup(s) to the trash: %3"_s.arg(reason).arg(removed.size()).arg(moved.join(u"; "_s)),
                 .outcome = u"ok"_s});
        return removed;
    }

    QString BackupCatalog::trashDir()
    {
        return QDir(paths::appDataDir()).filePath(u"trash/backups"_s);
    }

    namespace
    {
        void ensureTrashTable(Store &store)
        {
            // The catalog's columns, plus where the archive went, when and why.
            query(store,
                  u"CREATE TABLE IF NOT EXISTS backups_trash AS SELECT "_s + kColumns
                      + u", '' AS trash_path, '' AS trashed_at, '' AS reason FROM backups WHERE 0"_s,
                  {});
        }

        /// Moves a file or folder; across file systems a file is copied, then removed.
        bool moveArchive(const QString &from, const QString &to)
        {
            if (QDir().rename(from, to))
                return true;
            if (QFileInfo(from).isDir())
                return false;
            if (!QFile::copy(from, to))
                return false;
            if (QFile::remove(from))
                return true;
            QFile::remove(to);
            return false;
        }

        QString safeName(QString name)
        {
            for (QChar &c : name)
                if (!c.isLetterOrNumber() && c != u'.' && c != u'-' && c != u'_' && c != u'@')
                    c = u'_';
            return name;
        }
    }

    TrashedBackup BackupCatalog::moveToTrash(qint64 id, const QString &reason)
    {
        const BackupEntry e = get(id);
        ensureTrashTable(m_store);
        TrashedBackup t;
        t.entry = e;
        t.reason = reason;
        t.trashedAt = QDateTime::currentDateTimeUtc();
        if (QFileInfo::exists(e.path))
        {
            const QString dir = QDir(trashDir()).filePath(safeName(e.profile));
            if (!QDir().mkpath(dir))
                throw Exception(ErrorCode::Io, u"cannot create the trash folder %1; backup %2 stays in the catalog"_s.arg(dir).arg(id));
            // A name never taken: an older trash (another store, an earlier catalog) keeps its files.
            const QString base = u"%1-%2"_s.arg(id).arg(QFileInfo(e.path).fileName());
            t.trashPath = QDir(dir).filePath(base);
            for (int n = 2; QFileInfo::exists(t.trashPath); ++n)
                t.trashPath = QDir(dir).filePath(u"%1.%2"_s.arg(base).arg(n));
            if (!moveArchive(e.path, t.trashPath))
                throw Exception(ErrorCode::Io,
                                u"cannot move %1 to the trash (%2); backup %3 stays in the catalog"_s.arg(e.path, t.trashPath).arg(id));
        }
        query(m_store,
              u"INSERT INTO backups_trash("_s + kColumns + u", trash_path, trashed_at, reason) SELECT "_s + kColumns
                  + u", ?, ?, ? FROM backups WHERE id = ?"_s,
              {t.trashPath, iso(t.trashedAt), reason, id});
        remove(id);
        return t;
    }

    QList<TrashedBackup> BackupCatalog::trashed(const QString &profile, const QList<qint64> &ids)
    {
        ensureTrashTable(m_store);
        QSqlQuery q = query(m_store,
                            u"SELECT "_s + kColumns
                                + u", trash_path, trashed_at, reason FROM backups_trash WHERE (? = '' OR profile = ?) "
                                  u"ORDER BY trashed_at DESC, id DESC"_s,
                            {profile, profile});
        QList<TrashedBackup> out;
        const int extra = int(kColumns.count(u',')) + 1;
        while (q.next())
        {
            TrashedBackup t;
            t.entry = fromQuery(q);
            if (!ids.isEmpty() && !ids.contains(t.entry.id))
                continue;
            t.trashPath = q.value(extra).toString();
            t.trashedAt = QDateTime::fromString(q.value(extra + 1).toString(), Qt::ISODateWithMs);
            t.reason = q.value(extra + 2).toString();
            out << t;
        }
        return out;
    }

    BackupEntry BackupCatalog::untrash(qint64 id)
    {
        const QList<TrashedBackup> found = trashed({}, {id});
        if (found.isEmpty())
            throw Exception(ErrorCode::NotFound, u"there is no backup %1 in the trash (dbops backups trash lists it)"_s.arg(id));
        const TrashedBackup &t = found.first();
        if (!t.trashPath.isEmpty())
        {
            if (QFileInfo::exists(t.entry.path))
                throw Exception(ErrorCode::Io,
                                u"cannot put backup %1 back: %2 exists again; nothing was changed"_s.arg(id).arg(t.entry.path));
            QDir().mkpath(QFileInfo(t.entry.path).absolutePath());
            if (!moveArchive(t.trashPath, t.entry.path))
                throw Exception(ErrorCode::Io,
                                u"cannot move %1 back to %2; backup %3 stays in the trash"_s.arg(t.trashPath, t.entry.path).arg(id));
        }
        query(m_store, u"INSERT INTO backups("_s + kColumns + u") SELECT "_s + kColumns + u" FROM backups_trash WHERE id = ?"_s, {id});
        query(m_store, u"DELETE FROM backups_trash WHERE id = ?"_s, {id});
        return get(id);
    }

    QJsonObject TrashedBackup::toJson() const
    {
        QJsonObject o = entry.toJson();
        o.insert(u"trash_path"_s, trashPath);
        o.insert(u"trashed_at"_s, iso(trashedAt));
        o.insert(u"reason"_s, reason);
        return o;
    }

    qint64 BackupCatalog::recordRestore(RestoreRecord r)
    {
        if (!r.at.isValid())
            r.at = QDateTime::currentDateTimeUtc();
        if (r.osUser.isEmpty())
            r.osUser = currentOsUser();
        if (r.host.isEmpty())
            r.host = currentHostName();
        QSqlQuery q = query(m_store,
                            u"INSERT INTO restore_history(at, os_user, host, profile, backup_id, archive_path, target_database, mode, "
                            u"safety_backup_id, outcome, duration_ms) VALUES(?,?,?,?,?,?,?,?,?,?,?)"_s,
                            {iso(r.at), r.osUser, r.host, r.profile, r.backupId, r.archivePath, r.targetDatabase, r.mode, r.safetyBackupId,
                             r.outcome, r.durationMs});
        return q.lastInsertId().toLongLong();
    }

    QList<RestoreRecord> BackupCatalog::restores(int limit)
    {
        QSqlQuery q = query(m_store,
                            u"SELECT id, at, os_user, host, profile, backup_id, archive_path, target_database, mode, safety_backup_id, "
                            u"outcome, duration_ms FROM restore_history ORDER BY id DESC LIMIT ?"_s,
                            {limit});
        QList<RestoreRecord> out;
        while (q.next())
        {
            RestoreRecord r;
            r.id = q.value(0).toLongLong();
            r.at = QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs);
            r.osUser = q.value(2).toString();
            r.host = q.value(3).toString();
            r.profile = q.value(4).toString();
            r.backupId = q.value(5).toLongLong();
            r.archivePath = q.value(6).toString();
            r.targetDatabase = q.value(7).toString();
            r.mode = q.value(8).toString();
            r.safetyBackupId = q.value(9).toLongLong();
            r.outcome = q.value(10).toString();
            r.durationMs = q.value(11).toLongLong();
            out << r;
        }
        return out;
    }

    bool discardArchive(const QString &path)
    {
        if (QFile::moveToTrash(path))
            return true;
        const QFileInfo info(path);
        if (info.isDir())
            return QDir(path).removeRecursively();
        return QFile::remove(path);
    }
}
