#pragma once

#include "core/error.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QList>
#include <QMap>
#include <QString>

namespace dbops
{
    class Store;

    enum class VerifyState
    {
        Unverified,
        Verified,
        Failed
    };
    QString toString(VerifyState state);
    VerifyState verifyStateFromString(const QString &text);

    /// One backup in the catalog (plain value, STYLE L5).
    struct BackupEntry
    {
        qint64 id = 0;
        QString profile;
        QString database;
        QString serverVersion;
        QString pgDumpVersion;
        QString format; ///< "custom" or "directory"
        QString path;
        qint64 size = 0;
        QString sha256;
        QDateTime startedAt;
        QDateTime finishedAt;
        qint64 durationMs = 0;
        QString schemaVersion; ///< the migration version of the database at backup time
        VerifyState verification = VerifyState::Unverified;
        QString verifyDetail;
        QDateTime verifiedAt;
        QString testRestore;             ///< "", "ok" or what differed
        QMap<QString, qint64> rowCounts; ///< per "schema.table", read from the archive's data
        QString label;
        QString kind = QStringLiteral("manual"); ///< manual, pre-migration, safety
        /// Not stored: the ids the retention run after this backup moved to the trash.
        QList<qint64> removedByRetention;

        /// A test restore of this backup matched the archive ("ok: ...").
        bool testRestored() const { return testRestore.startsWith(QStringLiteral("ok")); }
        QJsonObject toJson() const;
    };

    /// A backup in dbops's trash: its archive was moved to trashDir() (by retention or a delete)
    /// and its catalog entry kept, so it can be put back (BackupCatalog::untrash).
    struct TrashedBackup
    {
        BackupEntry entry; ///< as it was catalogued; `entry.path` is where the archive was
        QString trashPath; ///< where the archive is now
        QDateTime trashedAt;
        QString reason; ///< "retention: keep last 2", "deleted"
        QJsonObject toJson() const;
    };

    struct BackupPolicy
    {
        QString profile;
        int keepLast = 0;               ///< 0: no count rule
        int keepDays = 0;               ///< 0: no age rule
        bool preMigrationBackup = true; ///< false: switched off (--pre-migration off)
        /// Switched on explicitly (--pre-migration on): the pre-change backup is taken in every
        /// environment, not only production (the default).
        bool preMigrationSet = false;
        /// A verified backup this recent (minutes), taken after the last change, is reused by the
        /// pre-change rule instead of a new one; 0: always a new one. Default 15.
        int freshMinutes = 15;
    };

    struct RestoreRecord
    {
        qint64 id = 0;
        QDateTime at;
        QString osUser;
        QString host;
        QString profile;
        qint64 backupId = 0;
        QString archivePath;
        QString targetDatabase;
        QString mode; ///< "new" or "replace"
        qint64 safetyBackupId = 0;
        QString outcome; ///< "ok" or the error
        qint64 durationMs = 0;
        QJsonObject toJson() const;
    };

    /// The backup catalog, per-profile policies and the restore history in the store.
    /// Thread-safe through the store's per-thread connections. Methods throw dbops::Exception.
    class BackupCatalog final
    {
    public:
        explicit BackupCatalog(Store &store);

        qint64 add(const BackupEntry &entry);
        void update(const BackupEntry &entry);
        /// Newest first; `profile` empty: every profile.
        QList<BackupEntry> list(const QString &profile = {});
        /// NotFound when there is no such id.
        BackupEntry get(qint64 id);
        /// The newest entry whose file is `path`, or id 0.
        BackupEntry findByPath(const QString &path);
        void remove(qint64 id);

        BackupPolicy policy(const QString &profile);
        void setPolicy(const BackupPolicy &policy);

        /// The entries the profile's stored policy removes now (retentionVictims below).
        QList<BackupEntry> retentionVictims(const QString &profile, const QDateTime &now = QDateTime::currentDateTimeUtc());
        /// Applies the profile's retention: moves each victim to the trash (moveToTrash, reason
        /// "retention: ..."), audited once as "retention" when it removed anything. Returns the
        /// ids moved; a victim whose archive cannot be moved stays (logged).
        QList<qint64> applyRetention(const QString &profile);

        /// Moves entry `id`'s archive to trashDir() (when it still exists) and its catalog entry
        /// to the trash table, with `reason`. Throws Io when the archive cannot be moved (then
        /// the entry stays in the catalog), NotFound for an unknown id.
        TrashedBackup moveToTrash(qint64 id, const QString &reason);
        /// The trash, newest first; `profile` empty: every profile. `ids` non-empty: only those.
        QList<TrashedBackup> trashed(const QString &profile = {}, const QList<qint64> &ids = {});
        /// Puts trashed backup `id` back: the archive to where it was, the entry (same id) to the
        /// catalog. NotFound when it is not in the trash; Io when the archive's old place is taken
        /// or it cannot be moved (nothing changes then).
        BackupEntry untrash(qint64 id);
        /// <app data>/trash/backups: the archives retention and deletes moved out of the catalog.
        static QString trashDir();

        qint64 recordRestore(RestoreRecord record);
        QList<RestoreRecord> restores(int limit = 200);

    private:
        Store &m_store;
    };

    /// The retention rule, one function for the run (applyRetention) and its preview (a policy
    /// change shows it first): of `newestFirst` (one profile's catalog), the entries `policy`
    /// removes at `now`: outside the last N (when N is set) and older than D days (when D is set).
    /// Never removed: a backup whose test restore matched (testRestored), and the newest verified
    /// backup of the profile.
    QList<BackupEntry> retentionVictims(const QList<BackupEntry> &newestFirst, const BackupPolicy &policy, const QDateTime &now);

    /// Removes an archive (file or directory): to the trash when the platform has one, else deleted.
    bool discardArchive(const QString &path);
}

Q_DECLARE_METATYPE(dbops::BackupEntry)
Q_DECLARE_METATYPE(dbops::BackupPolicy)
