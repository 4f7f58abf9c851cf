#include "core/ops/backupops.h"

#include "core/backup/toollocator.h"
#include "core/jobs/job.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"

#include <QFileInfo>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    std::optional<Error> jobFailure(const BackupEntry &entry)
    {
        if (entry.verification != VerifyState::Verified)
        {
            Error e =
                Error::make(ErrorCode::OperationFailed, entry.verification == VerifyState::Failed
                                                            ? u"backup %1 failed verification: %2"_s.arg(entry.id).arg(entry.verifyDetail)
                                                            : u"backup %1 is not verified"_s.arg(entry.id));
            return e;
        }
        if (!entry.testRestore.isEmpty() && !entry.testRestore.startsWith(u"ok"_s))
            return Error::make(ErrorCode::ProblemsFound,
                               u"test restore of backup %1: row counts differ: %2"_s.arg(entry.id).arg(entry.testRestore));
        return std::nullopt;
    }
} // namespace dbops

namespace dbops::ops
{
    namespace
    {
        Store &storeOf(const Target &target, const QString &what)
        {
            if (!target.store)
                throw Exception(ErrorCode::Internal, u"%1: no store (the catalog and the audit log live there)"_s.arg(what));
            return *target.store;
        }

        void requirePostgres(const ConnectionProfile &profile)
        {
            if (profile.isSqlite())
                throw Exception(ErrorCode::BadInput,
                                u"backups use pg_dump; '%1' is a SQLite file (copy the file instead)"_s.arg(profile.targetDescription()));
        }

        /// "replace from /path/x.dump (backup 12)": the restore history's and audit log's words.
        QString restoreDetails(Store &store, const RestoreRequest &request, const QString &mode)
        {
            QString path = request.archivePath.isEmpty() ? QString() : QFileInfo(request.archivePath).absoluteFilePath();
            qint64 id = request.backupId;
            try
            {
                const BackupEntry e =
                    request.backupId > 0 ? BackupCatalog(store).get(request.backupId) : BackupCatalog(store).findByPath(path);
                if (request.backupId > 0)
                    path = e.path;
                id = e.id;
            }
            catch (const Exception &)
            {
                // an unknown id: the restore itself says so; the refusal names what was asked
            }
            return u"%1 from %2 (backup %3)"_s.arg(mode, path).arg(id);
        }
    } // namespace

    BackupEntry backup(const Target &target, BackupRequest request, JobContext &jc)
    {
        Store &store = storeOf(target, u"backup"_s);
        requirePostgres(target.profile);
        request.profile = target.profile;
        request.toolsDir = configuredToolDir(&store);
        request.connection = resolve(target, jc.token());
        // Audited by the service ("backup", the archive and its verification), the one place the
        // pre-change backup of a migration is audited too.
        return BackupService(store).backup(request, jc);
    }

    std::optional<Error> jobFailure(const BackupRun &run)
    {
        return dbops::jobFailure(run.entry);
    }

    BackupRun backupNow(const Target &target, BackupRequest request, JobContext &jc)
    {
        BackupRun run;
        run.entry = backup(target, std::move(request), jc);
        if (!run.entry.removedByRetention.isEmpty())
            run.removed = BackupCatalog(storeOf(target, u"backup"_s)).trashed(target.profile.name, run.entry.removedByRetention);
        return run;
    }

    QString describeBackup(const BackupEntry &e)
    {
        return u"#%1 of %2, %3, %4%5"_s.arg(e.id).arg(e.startedAt.toUTC().toString(u"yyyy-MM-dd HH:mm 'UTC'"_s), formatBytes(e.size),
                                                      toString(e.verification), e.testRestored() ? u", test-restored"_s : QString());
    }

    BackupEntry verify(Store &store, qint64 id, JobContext &jc)
    {
        return BackupService(store).verify(id, jc, configuredToolDir(&store));
    }

    BackupEntry testRestore(Store &store, qint64 id, JobContext &jc)
    {
        return BackupService(store).testRestore(id, jc, configuredToolDir(&store));
    }

    QList<SessionInfo> restoreSessions(const Target &target, const QString &database, JobContext &jc)
    {
        Store &store = storeOf(target, u"restore"_s);
        requirePostgres(target.profile);
        return RestoreService(store).sessions(resolve(target, jc.token()), database, jc);
    }

    namespace
    {
        class MonitorUsers final : public OwnSessionUsers
        {
        public:
            explicit MonitorUsers(LockMonitor::PauseHandle monitor)
                : m_monitor(std::move(monitor))
            {
            }
            void release(const ConnectionProfile &server, const QString &database) override { m_monitor.pauseFor(server, database); }
            void resume(const ConnectionProfile &server, const QString &database) override { m_monitor.resumeFor(server, database); }

        private:
            LockMonitor::PauseHandle m_monitor;
        };
    } // namespace

    std::shared_ptr<OwnSessionUsers> lockMonitorUsers(const LockMonitor::PauseHandle &monitor)
    {
        return std::make_shared<MonitorUsers>(monitor);
    }

    QString restoreConfirmationWord(const RestoreRequest &request)
    {
        return request.replaceDatabase;
    }

    RestoreResult restore(const Target &target, RestoreRequest request, const Confirmation &confirmation, JobContext &jc,
                          std::shared_ptr<OwnSessionUsers> ownSessions)
    {
        Store &store = storeOf(target, u"restore"_s);
        requirePostgres(target.profile);
        request.profile = target.profile;
        const bool replace = !request.replaceDatabase.isEmpty();
        if (replace && confirmation.typed != restoreConfirmationWord(request))
        {
            // In every environment (the stricter of the two faces): a replace drops a database.
            Error e =
                Error::make(ErrorCode::Usage,
                            confirmation.typed.isEmpty()
                                ? u"replacing %1 needs its name typed again as confirmation (--confirm %1); nothing was changed"_s.arg(
                                    request.replaceDatabase)
                                : u"not confirmed: '%1' is not '%2', so %2 was not replaced; nothing was changed"_s.arg(
                                    confirmation.typed, request.replaceDatabase));
            audit(target, u"restore"_s, restoreDetails(store, request, u"replace"_s), e.toString(), request.replaceDatabase);
            throw Exception(e);
        }
        request.confirm = confirmation.typed;
        request.ownSessions = std::move(ownSessions);
        request.toolsDir = configuredToolDir(&store);
        request.connection = resolve(target, jc.token());
        // Audited and recorded in the restore history by the service, whatever the outcome.
        return RestoreService(store).restore(request, jc);
    }

    void removeBackup(const Target &target, qint64 id, JobContext &jc)
    {
        Store &store = storeOf(target, u"delete backup"_s);
        BackupCatalog catalog(store);
        const BackupEntry e = catalog.get(id); // NotFound: nothing to delete, nothing to audit
        jc.throwIfCancelled();
        const QString details =
            u"backup %1 of %2 (%3, %4, %5)"_s.arg(e.id).arg(e.database, formatBytes(e.size), toString(e.verification), e.kind);
        audited<void>(
            target, u"delete-backup"_s, [&](const void *) { return details; },
            [&] {
                // To dbops's trash (Io and the entry stays when the archive cannot be moved).
                catalog.moveToTrash(e.id, u"deleted"_s);
            },
            e.path);
    }

    BackupEntry untrashBackup(const Target &target, qint64 id)
    {
        Store &store = storeOf(target, u"put back a backup"_s);
        return audited<BackupEntry>(
            target, u"untrash-backup"_s, [id](const BackupEntry *) { return u"backup %1 back from the trash"_s.arg(id); },
            [&] { return BackupCatalog(store).untrash(id); });
    }

    bool preChangeBackupOn(const BackupPolicy &policy, bool production)
    {
        return policy.preMigrationBackup && (policy.preMigrationSet || production);
    }

    namespace
    {
        BackupPolicyView describe(const BackupPolicy &p, bool production)
        {
            BackupPolicyView v;
            v.policy = p;
            v.production = production;
            v.preChangeBackupOn = preChangeBackupOn(p, production);
            const bool onByDefault = p.preMigrationBackup && !p.preMigrationSet;
            v.text =
                u"policy of %1: keep last %2, keep days %3, pre-change backup %4%5, reuse a verified backup up to %6 min old"_s
                    .arg(p.profile)
                    .arg(p.keepLast)
                    .arg(p.keepDays)
                    .arg(v.preChangeBackupOn ? u"on"_s : u"off"_s,
                         onByDefault && !production ? u" (the default outside production; --pre-migration on to take one)"_s : QString())
                    .arg(p.freshMinutes);
            return v;
        }

        std::optional<ConnectionProfile> savedProfile(ProfileStore *profiles, const QString &name)
        {
            if (!profiles)
                return std::nullopt;
            auto p = profiles->get(name);
            if (!p)
            {
                if (p.error().code == ErrorCode::NotFound)
                    return std::nullopt;
                throw Exception(p.error());
            }
            return *p;
        }
    } // namespace

    BackupPolicyView policy(Store &store, ProfileStore *profiles, const QString &profile)
    {
        const auto saved = savedProfile(profiles, profile);
        BackupPolicy p = BackupCatalog(store).policy(profile);
        p.profile = profile;
        return describe(p, saved && saved->isProduction());
    }

    namespace
    {
        /// The stored policy with `change`, every value validated first (nothing is written).
        BackupPolicy proposedPolicy(Store &store, ProfileStore *profiles, const BackupPolicyChange &change, bool *production)
        {
            if (change.profile.isEmpty())
                throw Exception(ErrorCode::Usage, u"a backup policy needs a profile (--profile NAME); the policy was not changed"_s);
            for (auto [name, value] : {std::pair{u"keep-last"_s, change.keepLast}, std::pair{u"keep-days"_s, change.keepDays},
                                       std::pair{u"fresh-minutes"_s, change.freshMinutes}})
                if (value && *value < 0)
                    throw Exception(ErrorCode::Usage,
                                    u"--%1 '%2' is not a whole number >= 0; the policy was not changed"_s.arg(name).arg(*value));
            const auto saved = savedProfile(profiles, change.profile);
            BackupCatalog catalog(store);
            if (!saved && catalog.list(change.profile).isEmpty()) // or a --db target's catalog key
                throw Exception(ErrorCode::NotFound, u"there is no profile '%1' (dbops profiles list) and no backup catalogued under "
                                                     u"that name; the policy was not changed"_s.arg(change.profile));
            *production = saved && saved->isProduction();
            BackupPolicy p = catalog.policy(change.profile);
            p.profile = change.profile;
            if (change.keepLast)
                p.keepLast = *change.keepLast;
            if (change.keepDays)
                p.keepDays = *change.keepDays;
            if (change.freshMinutes)
                p.freshMinutes = *change.freshMinutes;
            if (change.preChangeBackup)
            {
                // On: explicitly, in any environment. Off: off, in any environment (also should the
                // profile become production later: it was switched off by a person).
                p.preMigrationBackup = *change.preChangeBackup;
                p.preMigrationSet = *change.preChangeBackup;
            }
            return p;
        }

        QString retentionWords(const BackupPolicy &p)
        {
            QStringList rules;
            if (p.keepLast > 0)
                rules << u"keep the last %1"_s.arg(p.keepLast);
            if (p.keepDays > 0)
                rules << u"those younger than %1 days"_s.arg(p.keepDays);
            return rules.isEmpty() ? u"keep all"_s : rules.join(u" and "_s);
        }

        RetentionPreview preview(Store &store, const BackupPolicy &p, const BackupPolicyChange &change)
        {
            RetentionPreview r;
            r.policy = p;
            if (change.keepLast || change.keepDays) // a change of the pre-change switch alone removes nothing
                r.victims = retentionVictims(BackupCatalog(store).list(p.profile), p, QDateTime::currentDateTimeUtc());
            if (r.victims.isEmpty())
            {
                r.text = u"retention of %1 (%2) removes no backup now"_s.arg(p.profile, retentionWords(p));
                return r;
            }
            QStringList lines;
            for (const BackupEntry &e : r.victims)
                lines << describeBackup(e);
            r.text = u"retention of %1 (%2) moves %3 backup(s) to the trash now (never a test-restored backup nor the newest verified "
                     u"one):\n  %4"_s.arg(p.profile, retentionWords(p))
                         .arg(r.victims.size())
                         .arg(lines.join(u"\n  "_s));
            return r;
        }
    } // namespace

    QList<qint64> RetentionPreview::ids() const
    {
        QList<qint64> out;
        for (const BackupEntry &e : victims)
            out << e.id;
        return out;
    }

    RetentionPreview retentionPreview(Store &store, ProfileStore *profiles, const BackupPolicyChange &change)
    {
        bool production = false;
        return preview(store, proposedPolicy(store, profiles, change, &production), change);
    }

    BackupPolicyView setPolicy(Store &store, ProfileStore *profiles, const BackupPolicyChange &change)
    {
        bool production = false;
        const BackupPolicy p = proposedPolicy(store, profiles, change, &production);
        const RetentionPreview r = preview(store, p, change);
        QStringList unaccepted;
        for (const BackupEntry &e : r.victims)
            if (!change.acceptRemovals.contains(e.id))
                unaccepted << u"#%1"_s.arg(e.id);
        if (!unaccepted.isEmpty())
            throw Exception(ErrorCode::Usage, u"not confirmed: %1 would move %2 to the trash now; the policy was not changed\n%3"_s.arg(
                                                  retentionWords(p), unaccepted.join(u", "_s), r.text));
        BackupCatalog catalog(store);
        catalog.setPolicy(p);
        BackupPolicyView v = describe(p, production);
        if (r.victims.isEmpty())
            return v;
        // Exactly what was shown and accepted, now (not what a later run would find).
        const QString reason = u"retention: "_s + retentionWords(p);
        QStringList moved;
        for (const BackupEntry &e : r.victims)
        {
            v.removed << catalog.moveToTrash(e.id, reason);
            moved << u"%1 → %2"_s.arg(describeBackup(e), v.removed.last().trashPath);
        }
        ConnectionProfile owner;
        owner.name = p.profile;
        if (const auto saved = savedProfile(profiles, p.profile))
            owner = *saved;
        audit(Target{owner, {}, &store, profiles}, u"retention"_s,
              u"%1: moved %2 backup(s) to the trash: %3"_s.arg(reason).arg(moved.size()).arg(moved.join(u"; "_s)), u"ok"_s, p.profile);
        return v;
    }
} // namespace dbops::ops
