// Issue 12: a replace restore and dbops's own sessions. The console's lock monitor (and any other
// connection of this process) is not one of the "other sessions" a replace refuses over, lists or
// ends: the replace closes them (the monitor paused through the hook ops::restore takes) and they
// reopen after. Ownership and privileges are checked before the safety backup and the side
// restore, with a least-privileged role and the superuser. Real server, real pg_dump/pg_restore.
#include "core/backup/backupcatalog.h"
#include "core/db/pgconnection.h"
#include "core/jobs/jobmanager.h"
#include "core/locks/lockmonitor.h"
#include "core/ops/backupops.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/locks.h"
#include "tests/support/pgfixture.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

namespace
{
    int count(const ConnectParams &db, const QString &table)
    {
        return PgFixture::connect(db)->exec(u"SELECT count(*) FROM "_s + table).value(0, 0).toInt();
    }

    int sideDatabases(const QString &name)
    {
        return PgFixture::connect(PgFixture::sandbox().connectParams())
            ->exec(u"SELECT count(*) FROM pg_database WHERE datname LIKE $1"_s, {QVariant(name + u"_dbops_%"_s)})
            .value(0, 0)
            .toInt();
    }

    /// Forwards to the monitor's hook and records what the restore asked, and whether the
    /// monitor was paused while the swap ran.
    class RecordingUsers final : public OwnSessionUsers
    {
    public:
        RecordingUsers(std::shared_ptr<OwnSessionUsers> inner, LockMonitor *monitor)
            : m_inner(std::move(inner))
            , m_monitor(monitor)
        {
        }
        void release(const ConnectionProfile &server, const QString &database) override
        {
            m_inner->release(server, database);
            releasedFor = database;
            pausedWhileReleased = m_monitor->isPaused();
            ++releases;
        }
        void resume(const ConnectionProfile &server, const QString &database) override
        {
            m_inner->resume(server, database);
            ++resumes;
        }
        QString releasedFor;
        std::atomic<bool> pausedWhileReleased{false};
        std::atomic<int> releases{0};
        std::atomic<int> resumes{0};

    private:
        std::shared_ptr<OwnSessionUsers> m_inner;
        LockMonitor *m_monitor;
    };

    /// A psql of another process connected to `db`, idle, named `application`.
    std::unique_ptr<QProcess> foreignSession(const QString &db, const QString &application)
    {
        auto p = std::make_unique<QProcess>();
        p->start(PgFixture::sandbox().binDir() + u"/psql"_s,
                 {u"-X"_s, u"-q"_s,
                  u"dbname=%1 host=%2 port=%3 user=postgres application_name=%4"_s.arg(
                      db, PgFixture::sandbox().socketDir(), QString::number(PgFixture::sandbox().port()), application)});
        p->waitForStarted();
        return p;
    }

    int pidOf(const QString &db, const QString &application)
    {
        const QueryResult r =
            PgFixture::connect(PgFixture::sandbox().connectParams())
                ->exec(u"SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2"_s, {db, application});
        return r.rowCount() == 1 ? r.value(0, 0).toInt() : 0;
    }
} // namespace

class TestRestoreOwnSessions final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<JobManager> m_jobs;

    ops::Target target(const ConnectionProfile &profile, const QString &password = {}) const
    {
        return {profile, password, m_store.get(), m_profiles.get()};
    }

    template <class T, class F>
    JobOutcome<T> run(const QString &title, F &&body)
    {
        return m_jobs->run(makeJob<T>(title, std::forward<F>(body)));
    }

    /// A database with `rows` rows in orders and its verified backup (taken as the superuser).
    std::pair<ConnectParams, BackupEntry> backedUp(const QString &prefix, int rows)
    {
        const ConnectParams db = PgFixture::newDatabase(prefix);
        PgFixture::connect(db)->exec(
            u"CREATE TABLE orders(id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, %1)"_s.arg(rows));
        const ops::Target t = target(profileFor(u"own-"_s + db.value(u"dbname"_s), Environment::Development, db));
        const auto outcome = run<BackupEntry>(u"backup"_s, [t](JobContext &jc) { return ops::backup(t, BackupRequest{}, jc); });
        if (outcome.error)
            qWarning() << outcome.error->toString();
        return {db, outcome.value.value_or(BackupEntry{})};
    }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        qputenv("DBOPS_HOME", m_dir.filePath(u"home"_s).toUtf8());
        m_store = std::make_unique<Store>(m_dir.filePath(u"store.sqlite"_s));
        QVERIFY(m_store->open().has_value());
        m_profiles = std::make_unique<ProfileStore>(*m_store);
        m_jobs = std::make_unique<JobManager>();
    }

    /// The console's lock monitor and another session of this process sit on the database: they
    /// are not "other sessions" (not listed), the replace runs (it used to refuse over them), the
    /// monitor was paused for the swap through the hook, and it reconnects after.
    void replaceClosesAndReopensOwnSessions()
    {
        auto [db, entry] = backedUp(u"own_replace"_s, 30);
        QVERIFY(entry.id > 0);
        const QString name = db.value(u"dbname"_s);
        PgFixture::connect(db)->exec(u"DELETE FROM orders WHERE id > 10"_s);
        const ConnectionProfile profile = profileFor(u"own-"_s + name, Environment::Development, db);

        LockMonitor monitor(*m_jobs, m_profiles.get(), m_store.get());
        monitor.setTarget(profile);
        QVERIFY(dbops::test::monitorRefreshed(monitor));
        auto ownIdle = PgFixture::connect(db); // e.g. a view's leased probe connection
        auto admin = PgFixture::connect(PgFixture::sandbox().connectParams());
        QVERIFY(admin->exec(u"SELECT count(*) FROM pg_stat_activity WHERE datname = $1"_s, {name}).value(0, 0).toInt() >= 2);

        const ops::Target t = target(profile);
        auto listed = run<QList<SessionInfo>>(u"sessions"_s, [t, name](JobContext &jc) { return ops::restoreSessions(t, name, jc); });
        QVERIFY2(!listed.error, qPrintable(listed.error ? listed.error->toString() : QString()));
        QVERIFY2(listed.value->isEmpty(), qPrintable(listed.value->isEmpty() ? QString() : listed.value->first().toString()));

        auto users = std::make_shared<RecordingUsers>(ops::lockMonitorUsers(monitor.pauseHandle()), &monitor);
        RestoreRequest replace;
        replace.backupId = entry.id;
        replace.replaceDatabase = name;
        auto r = run<RestoreResult>(u"restore"_s, [t, replace, name, users](JobContext &jc) {
            return ops::restore(t, replace, ops::Confirmation{name}, jc, users);
        });
        QVERIFY2(!r.error, qPrintable(r.error ? r.error->toString() : QString()));
        QCOMPARE(r.value->mode, u"replace"_s);
        QCOMPARE(count(db, u"orders"_s), 30);
        QCOMPARE(users->releases.load(), 1);
        QCOMPARE(users->resumes.load(), 1);
        QCOMPARE(users->releasedFor, name);
        QVERIFY(users->pausedWhileReleased.load());
        QVERIFY(!monitor.isPaused());
        QCOMPARE(sideDatabases(name), 0);
        // Reopened: the monitor's next refresh connects to the restored database and succeeds.
        QVERIFY(dbops::test::monitorRefreshed(monitor));
    }

    /// "End other sessions" ends another process's session and never this process's monitor: the
    /// list shows only the other one, the replace ends it, and the monitor's first refresh after
    /// succeeds (a terminated monitor session failed it: "terminating connection due to
    /// administrator command").
    void endOtherSessionsEndsOnlyOthers()
    {
        auto [db, entry] = backedUp(u"own_terminate"_s, 20);
        QVERIFY(entry.id > 0);
        const QString name = db.value(u"dbname"_s);
        const ConnectionProfile profile = profileFor(u"own-"_s + name, Environment::Development, db);
        LockMonitor monitor(*m_jobs, m_profiles.get(), m_store.get());
        monitor.setTarget(profile);
        QVERIFY(dbops::test::monitorRefreshed(monitor));
        auto other = foreignSession(name, u"someone-else"_s);
        QTRY_VERIFY_WITH_TIMEOUT(pidOf(name, u"someone-else"_s) != 0, 60000);
        const int otherPid = pidOf(name, u"someone-else"_s);

        const ops::Target t = target(profile);
        auto listed = run<QList<SessionInfo>>(u"sessions"_s, [t, name](JobContext &jc) { return ops::restoreSessions(t, name, jc); });
        QVERIFY2(!listed.error, qPrintable(listed.error ? listed.error->toString() : QString()));
        QCOMPARE(listed.value->size(), 1);
        QCOMPARE(listed.value->first().pid, otherPid);
        QVERIFY(listed.value->first().canEnd);

        // Without "end other sessions": refused over the other one only, nothing done.
        const int backups = int(BackupCatalog(*m_store).list().size());
        RestoreRequest replace;
        replace.backupId = entry.id;
        replace.replaceDatabase = name;
        const auto users = ops::lockMonitorUsers(monitor.pauseHandle());
        auto refused = run<RestoreResult>(u"restore"_s, [t, replace, name, users](JobContext &jc) {
            return ops::restore(t, replace, ops::Confirmation{name}, jc, users);
        });
        QVERIFY(refused.error.has_value());
        QVERIFY2(refused.error->message.contains(u"1 other session(s)"_s) && refused.error->message.contains(QString::number(otherPid)),
                 qPrintable(refused.error->message));
        QCOMPARE(int(BackupCatalog(*m_store).list().size()), backups);

        replace.terminateSessions = true;
        auto r = run<RestoreResult>(u"restore"_s, [t, replace, name, users](JobContext &jc) {
            return ops::restore(t, replace, ops::Confirmation{name}, jc, users);
        });
        QVERIFY2(!r.error, qPrintable(r.error ? r.error->toString() : QString()));
        QTRY_COMPARE_WITH_TIMEOUT(pidOf(name, u"someone-else"_s), 0, 30000); // its backend was ended
        other->closeWriteChannel();
        QVERIFY(other->waitForFinished(30000));
        QCOMPARE(count(db, u"orders"_s), 20);
        QVERIFY(dbops::test::monitorRefreshed(monitor));
    }

    /// Refused before anything is done (no safety backup, no side database, the target as it
    /// was), each naming the role, the database and what is missing: a role that does not own the
    /// database; a role that may not give the archive's objects to their owner; "End other
    /// sessions" as a role that may not end a superuser's session. The superuser may replace.
    void privilegesCheckedBeforeAnythingIsDone()
    {
        const ConnectParams db = PgFixture::newDatabase(u"own_priv"_s);
        const QString name = db.value(u"dbname"_s);
        auto admin = PgFixture::connect(PgFixture::sandbox().connectParams());
        const QString password = u"pw-"_s + name;
        const QString owner = newRole(*admin, u"rs_owner"_s, password);
        const QString stranger = newRole(*admin, u"rs_stranger"_s, password);
        for (const QString &role : {owner, stranger})
            admin->exec(u"ALTER ROLE "_s + admin->escapeIdentifier(role) + u" CREATEDB"_s);
        admin->exec(u"ALTER DATABASE "_s + admin->escapeIdentifier(name) + u" OWNER TO "_s + admin->escapeIdentifier(owner));
        const auto as = [&](const QString &role) {
            ConnectParams p = db;
            p.set(u"user"_s, role);
            p.password = password;
            return p;
        };
        // The table belongs to the stranger (so the archive is the stranger's to restore); the
        // database to the owner.
        PgFixture::connect(db)->exec(u"GRANT CREATE ON SCHEMA public TO "_s + admin->escapeIdentifier(stranger));
        PgFixture::connect(as(stranger))
            ->exec(u"CREATE TABLE orders(id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 25)"_s);
        const ops::Target super = target(profileFor(u"own-"_s + name, Environment::Development, db));
        auto b = run<BackupEntry>(u"backup"_s, [super](JobContext &jc) { return ops::backup(super, BackupRequest{}, jc); });
        QVERIFY2(!b.error, qPrintable(b.error ? b.error->toString() : QString()));
        const BackupEntry entry = *b.value;
        PgFixture::connect(db)->exec(u"DELETE FROM orders WHERE id > 5"_s);
        const auto targetAs = [&](const QString &role) {
            return target(profileFor(u"own-"_s + name + u"-"_s + role, Environment::Development, as(role)), password);
        };
        const int backups = int(BackupCatalog(*m_store).list().size());
        RestoreRequest replace;
        replace.backupId = entry.id;
        replace.replaceDatabase = name;
        const auto refusedAs = [&](const QString &role, const RestoreRequest &request) {
            const ops::Target t = targetAs(role);
            auto r = run<RestoreResult>(
                u"restore"_s, [t, request, name](JobContext &jc) { return ops::restore(t, request, ops::Confirmation{name}, jc); });
            return r.error ? r.error->message : QString();
        };
        const auto nothingDone = [&] {
            return int(BackupCatalog(*m_store).list().size()) == backups && sideDatabases(name) == 0 && count(db, u"orders"_s) == 5;
        };

        // Not the owner (CREATEDB, and the archive's objects are its own): refused.
        QString m = refusedAs(stranger, replace);
        QVERIFY2(m.contains(stranger) && m.contains(name) && m.contains(u"does not own"_s) && m.contains(owner)
                     && m.contains(u"no safety backup was taken"_s),
                 qPrintable(m));
        QVERIFY(nothingDone());

        // The owner may not give the stranger's table back to the stranger (not a member).
        m = refusedAs(owner, replace);
        QVERIFY2(m.contains(owner) && m.contains(stranger) && m.contains(u"may not give objects"_s)
                     && m.contains(u"no database was created"_s),
                 qPrintable(m));
        QVERIFY(nothingDone());

        // Once a member of the stranger's role, "End other sessions" over a superuser's session
        // (psql as postgres) is refused before anything: the owner may not end it.
        admin->exec(u"GRANT "_s + admin->escapeIdentifier(stranger) + u" TO "_s + admin->escapeIdentifier(owner));
        auto other = foreignSession(name, u"superuser-client"_s);
        QTRY_VERIFY_WITH_TIMEOUT(pidOf(name, u"superuser-client"_s) != 0, 60000);
        RestoreRequest ending = replace;
        ending.terminateSessions = true;
        m = refusedAs(owner, ending);
        QVERIFY2(m.contains(owner) && m.contains(u"may not end"_s) && m.contains(u"superuser-client"_s), qPrintable(m));
        QVERIFY(nothingDone());
        other->closeWriteChannel();
        QVERIFY(other->waitForFinished(30000));
        QTRY_COMPARE_WITH_TIMEOUT(pidOf(name, u"superuser-client"_s), 0, 30000);

        // The superuser may. (The owner's own replace from its own archive:
        // leastPrivilegedOwnerReplaces.)
        auto asSuper = run<RestoreResult>(
            u"restore"_s, [super, replace, name](JobContext &jc) { return ops::restore(super, replace, ops::Confirmation{name}, jc); });
        QVERIFY2(!asSuper.error, qPrintable(asSuper.error ? asSuper.error->toString() : QString()));
        QCOMPARE(count(db, u"orders"_s), 25);
    }

    /// A least-privileged owner (no superuser; owns the database and its tables; CREATEDB)
    /// replaces its database from its own backup.
    void leastPrivilegedOwnerReplaces()
    {
        const ConnectParams db = PgFixture::newDatabase(u"own_lp"_s);
        const QString name = db.value(u"dbname"_s);
        auto admin = PgFixture::connect(PgFixture::sandbox().connectParams());
        const QString password = u"pw-"_s + name;
        const QString role = newRole(*admin, u"rs_lp"_s, password);
        admin->exec(u"ALTER ROLE "_s + admin->escapeIdentifier(role) + u" CREATEDB"_s);
        admin->exec(u"ALTER DATABASE "_s + admin->escapeIdentifier(name) + u" OWNER TO "_s + admin->escapeIdentifier(role));
        ConnectParams asRole = db;
        asRole.set(u"user"_s, role);
        asRole.password = password;
        PgFixture::connect(asRole)->exec(u"CREATE TABLE mine(x int); INSERT INTO mine SELECT generate_series(1, 40)"_s);
        const ops::Target t = target(profileFor(u"own-lp-"_s + name, Environment::Development, asRole), password);
        auto b = run<BackupEntry>(u"backup"_s, [t](JobContext &jc) { return ops::backup(t, BackupRequest{}, jc); });
        QVERIFY2(!b.error, qPrintable(b.error ? b.error->toString() : QString()));
        PgFixture::connect(asRole)->exec(u"DELETE FROM mine WHERE x > 4"_s);
        RestoreRequest replace;
        replace.backupId = b.value->id;
        replace.replaceDatabase = name;
        auto r = run<RestoreResult>(u"restore"_s,
                                    [t, replace, name](JobContext &jc) { return ops::restore(t, replace, ops::Confirmation{name}, jc); });
        QVERIFY2(!r.error, qPrintable(r.error ? r.error->toString() : QString()));
        QCOMPARE(PgFixture::connect(asRole)->exec(u"SELECT count(*) FROM mine"_s).value(0, 0).toInt(), 40);
    }
};

QTEST_GUILESS_MAIN(TestRestoreOwnSessions)
#include "test_restore_own_sessions.moc"
