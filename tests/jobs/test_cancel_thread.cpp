// Cancel never blocks its caller (DESIGN.md, Threads; issue 11): Job::cancel() sets the flag at once
// and the cancel hooks (PQcancel: blocking network I/O in libpq 15) are sent from a worker, safely
// against hooks whose scope ends and jobs that are deleted meanwhile. Against a real PostgreSQL 15
// reached through a relay whose cancel port accepts nothing (STYLE T4).

#include "core/db/pgconnection.h"
#include "core/jobs/canceltoken.h"
#include "core/jobs/job.h"
#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "tests/support/pgfixture.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <thread>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::PgFixture;

namespace
{
    /// A TCP port in front of the sandbox's Unix socket that relays the FIRST connection (the
    /// session) and accepts nothing after it: a cancel request's connect lands in the listen
    /// backlog and PQcancel then waits for an answer that never comes, like a blackholed server.
    /// close() closes the port (the waiting cancel gets a reset and returns).
    class OneSessionRelay final
    {
    public:
        OneSessionRelay(const QString &socketPath)
            : m_socketPath(socketPath.toStdString())
        {
            m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in addr{};
            addr.sin_family = AF_INET;
            addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            addr.sin_port = 0;
            ::bind(m_listen, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
            ::listen(m_listen, 8);
            socklen_t len = sizeof addr;
            ::getsockname(m_listen, reinterpret_cast<sockaddr *>(&addr), &len);
            m_port = ntohs(addr.sin_port);
            m_thread = std::thread([this] { relayFirst(); });
        }
        ~OneSessionRelay()
        {
            m_stop = true;
            close();
            m_thread.join();
        }
        int port() const { return m_port; }
        void close()
        {
            if (m_listen >= 0)
            {
                ::shutdown(m_listen, SHUT_RDWR); // wakes an accept() still waiting
                ::close(std::exchange(m_listen, -1));
            }
        }

    private:
        void relayFirst()
        {
            const int client = ::accept(m_listen, nullptr, nullptr);
            if (client < 0)
                return;
            const int server = ::socket(AF_UNIX, SOCK_STREAM, 0);
            sockaddr_un un{};
            un.sun_family = AF_UNIX;
            std::snprintf(un.sun_path, sizeof un.sun_path, "%s", m_socketPath.c_str());
            if (::connect(server, reinterpret_cast<sockaddr *>(&un), sizeof un) == 0)
                pump(client, server);
            ::close(server);
            ::close(client);
        }
        void pump(int a, int b)
        {
            char buf[16384];
            while (!m_stop)
            {
                pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
                if (::poll(fds, 2, 100) < 0)
                    return;
                for (int i = 0; i < 2; ++i)
                    if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
                    {
                        const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
                        if (n <= 0 || ::write(i == 0 ? b : a, buf, size_t(n)) != n)
                            return;
                    }
            }
        }

        std::string m_socketPath;
        int m_listen = -1;
        int m_port = 0;
        std::atomic_bool m_stop{false};
        std::thread m_thread;
    };

    /// Holds the cancel worker's tasks until the test runs them.
    struct HeldDispatcher
    {
        QMutex mutex;
        std::vector<std::function<void()>> tasks;
        HeldDispatcher()
        {
            CancelToken::setDispatcher([this](std::function<void()> task) {
                QMutexLocker lock(&mutex);
                tasks.push_back(std::move(task));
            });
        }
        ~HeldDispatcher() { CancelToken::setDispatcher({}); }
        /// Runs the held tasks on another thread, as the worker would.
        void runOnWorker()
        {
            std::vector<std::function<void()>> run;
            {
                QMutexLocker lock(&mutex);
                run.swap(tasks);
            }
            std::thread t([&] {
                for (auto &task : run)
                    task();
            });
            t.join();
        }
    };
}

class TestCancelThread final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { dbops::test::quietLogging(); }

    void requestCancelReturnsWhileTheHookStillBlocks()
    {
        CancelToken token;
        QSemaphore started, release;
        std::atomic_bool hookDone{false};
        std::atomic<bool> onCaller{false};
        const auto caller = std::this_thread::get_id();
        token.addHook([&] {
            onCaller = std::this_thread::get_id() == caller;
            started.release();
            release.acquire();
            hookDone = true;
        });
        QElapsedTimer timer;
        timer.start();
        token.requestCancel();
        const qint64 tookMs = timer.elapsed();
        QVERIFY(token.isCancelled()); // the flag at once
        QVERIFY(!hookDone);
        QVERIFY2(tookMs < 200, qPrintable(u"requestCancel took %1 ms"_s.arg(tookMs)));
        QVERIFY(started.tryAcquire(1, 60000)); // the hook runs, elsewhere
        QVERIFY(!onCaller);
        token.requestCancel(); // idempotent: no second run
        release.release();
        QTRY_VERIFY_WITH_TIMEOUT(hookDone.load(), 60000);
    }

    void hookWhoseScopeEndedBeforeTheWorkerNeverRuns()
    {
        HeldDispatcher held;
        CancelToken token;
        std::atomic<int> ran{0};
        {
            CancelHookScope scope(&token, [&] { ++ran; });
            token.requestCancel();
            QVERIFY(token.isCancelled());
        } // its connection goes away before the worker got to it
        held.runOnWorker();
        QCOMPARE(ran.load(), 0);
    }

    void deletedJobsHooksNeverRun()
    {
        HeldDispatcher held;
        auto alive = std::make_shared<std::atomic<int>>(0);
        auto *job = new Job(u"never started"_s, [](JobContext &) { return QVariant(); });
        job->token()->addHook([alive] { ++*alive; }); // e.g. PQcancel on the job's connection
        job->cancel();                                // returns at once: the hook waits for the worker
        QVERIFY(job->token()->isCancelled());
        delete job;
        held.runOnWorker(); // the worker runs after the job is gone: nothing runs
        QCOMPARE(alive->load(), 0);
    }

    void removalWaitsForTheHookRunningOnTheWorker()
    {
        CancelToken token;
        QSemaphore started;
        std::atomic_bool hookDone{false};
        const int id = token.addHook([&] {
            started.release();
            QThread::msleep(200);
            hookDone = true;
        });
        std::atomic<int> other{0};
        const int otherId = token.addHook([&] { ++other; });
        token.requestCancel();
        QVERIFY(started.tryAcquire(1, 60000));
        token.removeHook(otherId); // not running: returns without waiting for the first hook
        token.removeHook(id);
        QVERIFY2(hookDone, "removeHook returned while its hook was still running");
        QCOMPARE(other.load(), 0);
    }

    void cancelAgainstAnUnreachableServerReturnsAtOnce()
    {
        DBOPS_REQUIRE_PG();
        const ConnectParams direct = PgFixture::newDatabase(u"cancelthread"_s);
        ConnectParams params = direct;
        OneSessionRelay relay(u"%1/.s.PGSQL.%2"_s.arg(PgFixture::sandbox().socketDir()).arg(PgFixture::sandbox().port()));
        params.set(u"host"_s, u"127.0.0.1"_s);
        params.set(u"port"_s, QString::number(relay.port()));
        params.set(u"sslmode"_s, u"disable"_s);

        JobManager jobs;
        QSemaphore sleeping;
        std::atomic<int> pid{0};
        Job *job = jobs.start(u"Sleep behind a relay"_s, [params, &sleeping, &pid](JobContext &ctx) -> QVariant {
            auto conn = PgConnection::open(params, {}, ctx.token());
            pid = conn->backendPid();
            sleeping.release();
            conn->exec(u"SELECT pg_sleep(120)"_s, {}, ctx.token());
            return {};
        });
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(sleeping.tryAcquire(1, 60000));
        auto admin = PgFixture::connect(direct);
        // The query is running on the server (a cancel now has something to stop).
        QTRY_VERIFY_WITH_TIMEOUT(
            admin->exec(u"SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND state = 'active'"_s, {pid.load()}).value(0, 0).toInt()
                == 1,
            60000);

        QElapsedTimer timer;
        timer.start();
        job->cancel(); // what the Cancel button does, on this (the GUI) thread
        const qint64 tookMs = timer.elapsed();
        QVERIFY2(tookMs < 200, qPrintable(u"cancel took %1 ms"_s.arg(tookMs)));
        QVERIFY(job->token()->isCancelled());
        // The cancel request is stuck on the port that accepts nothing: the query still runs.
        QVERIFY(!job->isFinished());
        QCOMPARE(
            admin->exec(u"SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND state = 'active'"_s, {pid.load()}).value(0, 0).toInt(),
            1);

        // End it: the port closes (the stuck cancel returns), the session is terminated.
        relay.close();
        admin->exec(u"SELECT pg_terminate_backend($1)"_s, {pid.load()});
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QCOMPARE(toString(job->state()), u"cancelled"_s);
    }
};

QTEST_GUILESS_MAIN(TestCancelThread)
#include "test_cancel_thread.moc"
