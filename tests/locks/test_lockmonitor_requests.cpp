// F5 on the Locks view while a timed refresh is in flight: the refresh in flight may have read
// the server before what the user wants to see, so the monitor reads once more after it
// (LockMonitor::refreshRequested). Failed under load in test_views_fresh before: the request was
// dropped and the view kept a snapshot older than the press.
#include "core/db/pgconnection.h"
#include "core/jobs/jobmanager.h"
#include "core/locks/lockmonitor.h"
#include "core/logging/log.h"
#include "tests/support/pgfixture.h"
#include "tests/support/wait.h"

#include <QTest>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::PgFixture;

class TestLockMonitorRequests final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        dbops::test::quietLogging();
    }

    void aRequestDuringARefreshReadsAgainAfterIt()
    {
        const ConnectParams db = PgFixture::newDatabase(u"requests"_s);
        auto watcher = PgFixture::connect(db);
        JobManager jobs;
        LockMonitor monitor(jobs, nullptr, nullptr);
        monitor.setTarget(dbops::test::profileFor(u"requests"_s, Environment::Development, db));
        QList<QList<int>> seen; // the pids of each snapshot shown, in order
        connect(&monitor, &LockMonitor::snapshotReady, this, [&](const LockSnapshot &s) {
            QList<int> pids;
            for (const BackendSession &b : s.sessions)
                pids << b.pid;
            seen << pids;
        });

        QVERIFY(monitor.refresh());
        // The refresh has read the server (its session is idle again after the snapshot's one statement), but
        // its end is not delivered yet: no event is processed here, so it is still in flight.
        QVERIFY(dbops::test::waitUntil([&] {
            return watcher
                       ->exec(u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dbops lock monitor' "
                              u"AND state = 'idle' AND query LIKE '%The lock monitor''s snapshot%'"_s)
                       .value(0, 0)
                       .toInt()
                   == 1;
        }));
        QVERIFY(monitor.isRefreshing());
        auto session = PgFixture::connect(db); // what the user presses F5 to see
        const int pid = session->exec(u"SELECT pg_backend_pid()"_s).value(0, 0).toInt();
        monitor.refreshRequested();

        QTRY_VERIFY_WITH_TIMEOUT(seen.size() >= 2, 60000);
        QVERIFY2(!seen.first().contains(pid), "the first refresh read the server before the session opened");
        QVERIFY(seen.last().contains(pid));
        QTRY_VERIFY_WITH_TIMEOUT(!monitor.isRefreshing(), 60000);
        QCOMPARE(seen.size(), 2); // once more, not a loop
    }

    void aRequestWithNothingInFlightReadsAtOnce()
    {
        const ConnectParams db = PgFixture::newDatabase(u"requests_idle"_s);
        JobManager jobs;
        LockMonitor monitor(jobs, nullptr, nullptr);
        monitor.setTarget(dbops::test::profileFor(u"requests_idle"_s, Environment::Development, db));
        int shown = 0;
        connect(&monitor, &LockMonitor::snapshotReady, this, [&] { ++shown; });
        monitor.refreshRequested();
        QVERIFY(monitor.isRefreshing());
        QTRY_COMPARE_WITH_TIMEOUT(shown, 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!monitor.isRefreshing(), 60000);
        QCOMPARE(shown, 1);
    }
};

QTEST_GUILESS_MAIN(TestLockMonitorRequests)
#include "test_lockmonitor_requests.moc"
