// A service that closes never waits for its pool on the GUI thread (issue 11): the lock monitor,
// destroyed while a refresh is stuck connecting to a server that answers nothing, returns at once;
// its pool goes away by itself when the refresh has ended.

#include "core/jobs/jobmanager.h"
#include "core/jobs/jobpool.h"
#include "core/locks/lockmonitor.h"
#include "core/logging/log.h"
#include "tests/support/pgfixture.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;

namespace
{
    /// A TCP port that listens and never accepts: a connect lands in the backlog and the client
    /// then waits for a server that never speaks.
    struct SilentPort
    {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        int port = 0;
        SilentPort()
        {
            sockaddr_in addr{};
            addr.sin_family = AF_INET;
            addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
            ::listen(fd, 8);
            socklen_t len = sizeof addr;
            ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
            port = ntohs(addr.sin_port);
        }
        ~SilentPort() { close(); }
        void close()
        {
            if (fd >= 0)
                ::close(std::exchange(fd, -1));
        }
    };
}

class TestLockMonitorRelease final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { dbops::test::quietLogging(); }

    void destroyedWhileARefreshIsStuckReturnsAtOnce()
    {
        SilentPort silent;
        ConnectionProfile profile;
        profile.name = u"silent"_s;
        profile.environment = Environment::Development;
        profile.host = u"127.0.0.1"_s;
        profile.port = silent.port;
        profile.database = u"nothing"_s;
        profile.user = u"nobody"_s;
        profile.sslMode = u"disable"_s;

        JobManager jobs;
        auto monitor = std::make_unique<LockMonitor>(jobs, nullptr, nullptr);
        monitor->setTarget(profile);
        QVERIFY(monitor->refresh());
        QVERIFY(monitor->isRefreshing());
        QCOMPARE(JobPool::releasedPending(), 0);

        QElapsedTimer timer;
        timer.start();
        monitor.reset(); // what closing the Locks view / the window does, on this (the GUI) thread
        const qint64 tookMs = timer.elapsed();
        QVERIFY2(tookMs < 200, qPrintable(u"the monitor's destructor took %1 ms"_s.arg(tookMs)));
        // The refresh is still stuck connecting: its pool waits for it, nobody waits for the pool.
        QCOMPARE(JobPool::releasedPending(), 1);

        silent.close(); // the server goes away: the connect fails, the job ends, the pool goes
        QTRY_COMPARE_WITH_TIMEOUT(JobPool::releasedPending(), 0, 60000);
        QVERIFY(JobPool::waitForReleased(0));
    }

    void releasedIdlePoolGoesAtOnce()
    {
        auto *pool = new JobPool(1);
        QPointer<JobPool> watch(pool);
        pool->release();
        QCOMPARE(JobPool::releasedPending(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(watch.isNull(), 60000); // deleted from the event loop
    }
};

QTEST_GUILESS_MAIN(TestLockMonitorRelease)
#include "test_lockmonitor_release.moc"
