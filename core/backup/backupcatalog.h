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

        /// The entries retention would delete now: outside the last N (when N is set) and older
        /// than D days (when D is set), never the only verified backup of the profile.
        QList<BackupEntry> retentionVictims(const QString &profile, const QDateTime &now = QDateTime::currentDateTimeUtc());
        /// Applies retention: moves the victims' files to the trash (or deletes them) and drops
        /// their entries. Returns the ids removed.
        QList<qint64> applyRetention(const QString &profile);

        qint64 recordRestore(RestoreRecord record);
        QList<RestoreRecord> restores(int limit = 200);

    private:
        Store &m_store;
    };

    /// Removes an archive (file or directory): to the trash when the platform has one, else deleted.
    bool discardArchive(const QString &path);
}

Q_DECLARE_METATYPE(dbops::BackupEntry)
Q_DECLARE_METATYPE(dbops::BackupPolicy)
