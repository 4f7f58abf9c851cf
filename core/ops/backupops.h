#pragma once

#include "core/backup/backupcatalog.h"
#include "core/backup/backupservice.h"
#include "core/backup/restoreservice.h"
#include "core/locks/lockmonitor.h"
#include "core/ops/operation.h"

#include <QString>

#include <optional>

/// The backup workflows as one job body each, shared by the console (ui/backups) and the CLI
/// (dbops backup / backups / restore). Every function is blocking and meant for a job body
/// (worker thread). The faces gather input, start the job and show the typed result; none of
/// them resolves a connection, pins the tools folder, checks a confirmation or writes an audit
/// entry of its own.
namespace dbops
{
    /// A backup, verify or test-restore whose entry is not Verified is a failed job (the CLI exits
    /// 5 and the console shows it failed), whatever the body returned. A test restore whose row
    /// counts differed also fails (its `testRestore` text says what differed).
    std::optional<Error> jobFailure(const BackupEntry &entry);
} // namespace dbops

namespace dbops::ops
{
    /// A verified backup of `target`: resolves the connection (the password of the target, else
    /// the keychain / ~/.pgpass), pins the tools folder (configuredToolDir), runs pg_dump, verifies
    /// the archive and catalogues it. `request.profile`, `request.connection` and `request.toolsDir`
    /// are filled here (what the face put there is ignored); the catalog key is
    /// `target.profile.name` (the CLI passes "user@host:port/db" for --db targets).
    /// Audited once as "backup" (outcome "ok" or the failure) by BackupService. Throws
    /// (Connect, Auth, NotFound for no matching pg_dump, Cancelled, OperationFailed when the
    /// archive was written but failed verification).
    BackupEntry backup(const Target &target, BackupRequest request, JobContext &jc);

    /// A Back up now: the backup, and what the retention run after it moved to the trash.
    struct BackupRun
    {
        BackupEntry entry;
        QList<TrashedBackup> removed; ///< by retention, each with where its archive went
    };
    /// A run whose backup did not verify is a failed job (as jobFailure(BackupEntry)).
    std::optional<Error> jobFailure(const BackupRun &run);
    /// backup(), then the trash entries of the backups its retention run removed (the console's
    /// Back up now and `dbops backup` say how many, which and where they went).
    BackupRun backupNow(const Target &target, BackupRequest request, JobContext &jc);

    /// "#4 of 2026-11-30 14:02 UTC, 1.2 MB, verified, test-restored": one backup as a preview or
    /// a report names it.
    QString describeBackup(const BackupEntry &entry);

    /// Re-checks catalog entry `id` (SHA-256, then a complete read with pg_restore) and records the
    /// outcome in the catalog. Returns the entry; jobFailure says Failed when it did not verify.
    /// NotFound for an unknown id.
    BackupEntry verify(Store &store, qint64 id, JobContext &jc);

    /// Restores entry `id` into a throwaway sandbox and compares row counts with the archive's;
    /// records "ok: ..." or the differences on the entry. Throws ProblemsFound when they differ,
    /// BadInput when the entry does not verify.
    BackupEntry testRestore(Store &store, qint64 id, JobContext &jc);

    /// A restore on `target`'s server (new database, or replace one). The confirmation rule, in
    /// one place: replacing a database needs its name typed (`confirmation.typed`), in every
    /// environment; without it nothing is touched (Usage) and the refusal is audited.
    /// `request.profile`, `connection`, `toolsDir` and `confirm` are filled here. Every other
    /// outcome goes to the restore history and the audit log ("restore") via RestoreService.
    /// `ownSessions`: this process's own users of the database (the console's lock monitor and
    /// views), released for a replace's swap and resumed after; null for the CLI.
    RestoreResult restore(const Target &target, RestoreRequest request, const Confirmation &confirmation, JobContext &jc,
                          std::shared_ptr<OwnSessionUsers> ownSessions = {});

    /// The other sessions of `database` on `target`'s server (the profile's server; its
    /// database is not used), as a replace would refuse over or end them: never this process's
    /// own (its lock monitor, its views). What the restore dialog lists.
    QList<SessionInfo> restoreSessions(const Target &target, const QString &database, JobContext &jc);

    /// The console's own users of a database, for restore(): the lock monitor's session is closed
    /// (paused) for a replace's swap and reopened after. Holds only the handle: safe should the
    /// monitor go away first.
    std::shared_ptr<OwnSessionUsers> lockMonitorUsers(const LockMonitor::PauseHandle &monitor);

    /// What must be typed to replace `database` (its name).
    QString restoreConfirmationWord(const RestoreRequest &request);

    /// Deletes catalog entry `id`: its archive moves to the trash (or is deleted where there is
    /// none), then the catalog row goes. Audited as "delete-backup" on the archive's path, with the
    /// outcome. NotFound for an unknown id; Io when the archive cannot be moved (the row stays).
    /// `target.profile` names whose catalog it is (for the audit entry's environment).
    void removeBackup(const Target &target, qint64 id, JobContext &jc);

    /// Puts trashed backup `id` back into the catalog (BackupCatalog::untrash), audited as
    /// "untrash-backup".
    BackupEntry untrashBackup(const Target &target, qint64 id);

    /// A change to a profile's backup policy; unset fields keep their stored value.
    struct BackupPolicyChange
    {
        QString profile;                 ///< a saved profile, or a catalog key with backups
        std::optional<int> keepLast;     ///< >= 0; 0: no count rule
        std::optional<int> keepDays;     ///< >= 0; 0: no age rule
        std::optional<int> freshMinutes; ///< >= 0; 0: always a new pre-change backup
        /// What the pre-change rule does for this profile from now on: on (a verified backup
        /// before every change, in any environment) or off.
        std::optional<bool> preChangeBackup;
        /// The backups the person was shown (retentionPreview) and accepted to move to the trash
        /// now. A change of keepLast/keepDays whose retention removes any backup not in this list
        /// is refused (Usage) and nothing is written; an accepted one is applied at once.
        QList<qint64> acceptRemovals;
    };

    /// What a change of retention removes now, computed by the rule the run uses
    /// (dbops::retentionVictims) on the profile's catalog: the proposed policy and its victims.
    struct RetentionPreview
    {
        BackupPolicy policy; ///< the stored policy with the change
        QList<BackupEntry> victims;
        /// "keep last 2 moves 3 backups to the trash now: #1 of ..., ..." or "... removes nothing".
        QString text;
        QList<qint64> ids() const;
    };

    /// A policy as stored, with what the rule will do for the profile.
    struct BackupPolicyView
    {
        BackupPolicy policy;
        bool production = false;        ///< the saved profile is production
        bool preChangeBackupOn = false; ///< a verified backup is taken before every change
        /// "policy of shop: keep last 3, keep days 0, pre-change backup on, reuse a verified backup
        /// up to 15 min old" (the CLI prints it, the console shows it as the switches' tooltip).
        QString text;
        /// What this change moved to the trash (its accepted retention preview).
        QList<TrashedBackup> removed;
    };

    /// Whether the pre-change rule takes a backup under `policy` (production unless switched off;
    /// other environments only when switched on explicitly).
    bool preChangeBackupOn(const BackupPolicy &policy, bool production);

    /// Reads `profile`'s policy and what it will do. `profiles` may be null (then not production).
    BackupPolicyView policy(Store &store, ProfileStore *profiles, const QString &profile);

    /// Validates every value first (Usage naming the bad one; NotFound for a profile that is
    /// neither saved nor has backups catalogued under its name; nothing is written then), then
    /// stores the change. Returns the stored policy and what it will do.
    BackupPolicyView setPolicy(Store &store, ProfileStore *profiles, const BackupPolicyChange &change);

    /// Validates `change` as setPolicy does (throws the same errors) and returns what its
    /// retention would remove now; writes nothing.
    RetentionPreview retentionPreview(Store &store, ProfileStore *profiles, const BackupPolicyChange &change);
} // namespace dbops::ops

Q_DECLARE_METATYPE(dbops::ops::BackupPolicyView)
Q_DECLARE_METATYPE(dbops::ops::BackupRun)
Q_DECLARE_METATYPE(dbops::ops::RetentionPreview)
