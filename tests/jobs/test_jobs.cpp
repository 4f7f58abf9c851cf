// Jobs: cancellation of a running query, progress throttling, failures, records, cancel hooks.
#include "core/db/pgconnection.h"
#include "core/jobs/canceltoken.h"
#include "core/jobs/job.h"
#include "core/jobs/jobmanager.h"
#include "tests/support/pgfixture.h"
#include "tests/support/wait.h"

#include <QElapsedTimer>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <stdexcept>
#include <thread>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::PgFixture;

namespace
{
    /// A result that can carry its own failure, as MigrateResult does.
    struct PartResult
    {
        int done = 0;
        std::optional<Error> failure;
    };
    std::optional<Error> jobFailure(const PartResult &r)
    {
        return r.failure;
    }
}
Q_DECLARE_METATYPE(PartResult)

namespace
{
    /// Collects a job's signals on the test thread (queued), in order.
    struct Watcher
    {
        QStringList events;
        QList<QPair<qint64, qint64>> progress;
        QVariant result;
        Error error;
        bool finished = false;

        void watch(Job *job, QObject *context)
        {
            QObject::connect(job, &Job::progressChanged, context, [this](qint64 d, qint64 t, const QString &) { progress.append({d, t}); });
            QObject::connect(job, &Job::stateChanged, context, [this](JobState s) { events << u"state:"_s + dbops::toString(s); });
            QObject::connect(job, &Job::succeeded, context, [this](const QVariant &v) {
                events << u"succeeded"_s;
                result = v;
            });
            QObject::connect(job, &Job::failed, context, [this](const Error &e) {
                events << u"failed"_s;
                error = e;
            });
            QObject::connect(job, &Job::cancelled, context, [this] { events << u"cancelled"_s; });
            QObject::connect(job, &Job::finished, context, [this] {
                events << u"finished"_s;
                finished = true;
            });
        }
    };

    /// Waits until the backend `pid` runs a query containing `text`.
    bool waitForQuery(PgConnection &monitor, int pid, const QString &text, int timeoutMs = 60000)
    {
        return dbops::test::waitUntil(
            [&] {
                const QueryResult r = monitor.exec(u"SELECT state, query FROM pg_stat_activity WHERE pid = $1"_s, {pid});
                return r.text(0, u"state"_s) == u"active"_s && r.text(0, u"query"_s).contains(text);
            },
            timeoutMs);
    }

    /// How long a job body waits for the test to cancel or release it: a bound for a failure only
    /// (the suite's own timeout), so a broken cancel fails the test instead of hanging it.
    constexpr int kUntilReleased = 300000;

    const JobRecord *findRecord(const QList<JobRecord> &records, quint64 id)
    {
        for (const JobRecord &r : records)
            if (r.id == id)
                return &r;
        return nullptr;
    }
}

class TestJobs final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { DBOPS_REQUIRE_PG(); }

    // The named test.
    void cancelRunningQuery_data()
    {
        QTest::addColumn<bool>("waitForQuery");
        QTest::newRow("while pg_sleep runs") << true;
        QTest::newRow("right after start") << false;
    }
    void cancelRunningQuery()
    {
        QFETCH(bool, waitForQuery);
        const ConnectParams db = PgFixture::newDatabase(u"cancel"_s);
        // The connection outlives the job so its reuse can be checked; only one thread uses it at a time.
        std::shared_ptr<PgConnection> conn = PgFixture::connect(db);
        auto monitor = PgFixture::connect(db);
        const int pid = conn->backendPid();

        JobManager manager;
        std::atomic_bool bodyRan{false};
        Job *job = manager.start(u"sleep"_s, [conn, &bodyRan](JobContext &jc) {
            bodyRan = true;
            conn->exec(u"SELECT pg_sleep(30)"_s, {}, jc.token());
            return QVariant(u"finished sleeping"_s);
        });
        const quint64 id = job->id();
        Watcher w;
        w.watch(job, this);
        if (waitForQuery)
            QVERIFY(::waitForQuery(*monitor, pid, u"pg_sleep"_s));

        QElapsedTimer t;
        t.start();
        manager.cancel(id);
        QTRY_VERIFY_WITH_TIMEOUT(w.finished, 60000);
        // Cancelled, not waited out: well before the 30 s sleep would end (a bound that holds under load).
        QVERIFY2(t.elapsed() < 15000, qPrintable(u"cancel took %1 ms"_s.arg(t.elapsed())));
        QCOMPARE(w.events.mid(w.events.size() - 2), (QStringList{u"cancelled"_s, u"finished"_s}));
        QVERIFY(!w.events.contains(u"succeeded"_s));
        QVERIFY(!w.events.contains(u"failed"_s));

        const JobRecord *rec = findRecord(manager.records(), id);
        QVERIFY(rec);
        QCOMPARE(dbops::toString(rec->state), dbops::toString(JobState::Cancelled));
        QCOMPARE(rec->error.code, ErrorCode::Cancelled);

        // The connection is still usable and no longer busy.
        QVERIFY(conn->isOk());
        QCOMPARE(conn->exec(u"SELECT 1"_s).value(0, 0), QVariant(1LL));
        QCOMPARE(conn->backendPid(), pid);
        if (bodyRan)
        {
            const QueryResult r = monitor->exec(u"SELECT state FROM pg_stat_activity WHERE pid = $1"_s, {pid});
            QCOMPARE(r.text(0, u"state"_s), u"idle"_s);
        }
    }

    void cancelReuseInsideBody()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cancelbody"_s);
        JobManager manager;
        std::atomic<int> pid{0};
        QVariant afterCancel;
        QMutex m;
        Job *job = manager.start(u"sleep and reuse"_s, [&, db](JobContext &jc) {
            auto conn = PgConnection::open(db);
            pid = conn->backendPid();
            auto r = conn->tryExec(u"SELECT pg_sleep(30)"_s, {}, jc.token());
            QMutexLocker lock(&m);
            afterCancel = r ? QVariant(u"not cancelled"_s) : QVariant(int(r.error().code));
            if (!r)
                afterCancel = conn->exec(u"SELECT 'still usable'"_s).value(0, 0);
            jc.throwIfCancelled(); // a body that honours cancel says so; one that returns has succeeded
            return QVariant();
        });
        auto monitor = PgFixture::connect(db);
        QTRY_VERIFY_WITH_TIMEOUT(pid != 0, 60000);
        QVERIFY(waitForQuery(*monitor, pid, u"pg_sleep"_s));
        QSignalSpy cancelled(job, &Job::cancelled);
        QElapsedTimer t;
        t.start();
        job->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.size(), 1, 60000);
        QVERIFY(t.elapsed() < 15000); // cancelled, not the 30 s sleep waited out
        QMutexLocker lock(&m);
        QCOMPARE(afterCancel, QVariant(u"still usable"_s));
    }

    void bodyThatFinishesDespiteALateCancelSucceeds()
    {
        // A migration that committed must not be reported as cancelled because Cancel came late.
        JobManager manager;
        QSemaphore entered, proceed;
        auto *job = new Job(u"late"_s, [&](JobContext &) {
            entered.release();
            proceed.acquire();
            return QVariant(42);
        });
        QSignalSpy ok(job, &Job::succeeded);
        QSignalSpy cancelled(job, &Job::cancelled);
        manager.start(job);
        entered.acquire();
        job->cancel();
        proceed.release();
        QTRY_COMPARE_WITH_TIMEOUT(ok.size(), 1, 60000);
        QCOMPARE(ok.first().first().toInt(), 42);
        QCOMPARE(cancelled.size(), 0);
    }

    void cancelledTokenMakesQueryError()
    {
        const ConnectParams db = PgFixture::newDatabase(u"token"_s);
        auto conn = PgFixture::connect(db);
        auto monitor = PgFixture::connect(db);
        const int pid = conn->backendPid();
        CancelToken token;
        std::thread canceller([&] {
            // Cancel the query while it runs (not before it is sent).
            waitForQuery(*monitor, pid, u"pg_sleep"_s);
            token.cancel();
        });
        QElapsedTimer t;
        t.start();
        auto r = conn->tryExec(u"SELECT pg_sleep(30)"_s, {}, &token);
        canceller.join();
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Cancelled);
        QCOMPARE(r.error().sqlstate, u"57014"_s);
        QVERIFY(t.elapsed() < 15000); // cancelled, not the 30 s sleep waited out
        // A cancelled token refuses new work at once.
        auto again = conn->tryExec(u"SELECT 1"_s, {}, &token);
        QCOMPARE(again.error().code, ErrorCode::Cancelled);
        QCOMPARE(conn->exec(u"SELECT 2"_s).value(0, 0), QVariant(2LL));
    }

    void progressIsThrottled()
    {
        JobManager manager;
        Job *job = manager.start(u"busy"_s, [](JobContext &jc) {
            for (int i = 1; i <= 1000; ++i)
                jc.progress(i, 1000, u"step %1"_s.arg(i));
            return QVariant();
        });
        Watcher w;
        w.watch(job, this);
        QString lastProgress;
        connect(job, &Job::progressChanged, this, [&lastProgress](qint64, qint64, const QString &m) { lastProgress = m; });
        QTRY_VERIFY_WITH_TIMEOUT(w.finished, 60000);
        QCOMPARE(lastProgress, u"step 1000"_s);
        QVERIFY2(!w.progress.isEmpty() && w.progress.size() < 50, qPrintable(QString::number(w.progress.size())));
        QCOMPARE(w.progress.last(), (QPair<qint64, qint64>{1000, 1000}));
        QCOMPARE(manager.records().last().done, 1000);
        // The last progress arrived (1000 of 1000); once finished, the message is the outcome.
        QCOMPARE(manager.records().last().message, u"done"_s);
    }

    void progressRateOverTime()
    {
        JobManager manager;
        std::atomic<qint64> ranMs{0};
        Job *job = manager.start(u"slow"_s, [&ranMs](JobContext &jc) {
            QElapsedTimer t;
            t.start();
            qint64 i = 0;
            while (t.elapsed() < 1000)
            {
                jc.progress(++i, 0, u"working"_s);
                QThread::usleep(200); // the body's work: one progress report per step (not a wait)
            }
            ranMs = t.elapsed();
            return QVariant();
        });
        Watcher w;
        w.watch(job, this);
        QTRY_VERIFY_WITH_TIMEOUT(w.finished, 60000);
        // At most 10 a second (plus the first one) over the time the body really ran (a loaded
        // machine may stretch it), and more than the first one.
        const qint64 most = 2 + ranMs / 100;
        QVERIFY2(w.progress.size() >= 3 && w.progress.size() <= most,
                 qPrintable(u"%1 signals in %2 ms"_s.arg(w.progress.size()).arg(ranMs.load())));
    }

    void outcomes_data()
    {
        QTest::addColumn<int>("kind"); // 0 value, 1 dbops::Exception, 2 std::exception, 3 throws Cancelled
        QTest::addColumn<QString>("event");
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("value") << 0 << u"succeeded"_s << int(JobState::Succeeded) << -1 << QString();
        QTest::newRow("dbops exception") << 1 << u"failed"_s << int(JobState::Failed) << int(ErrorCode::OperationFailed)
                                         << u"disk on fire"_s;
        QTest::newRow("std exception") << 2 << u"failed"_s << int(JobState::Failed) << int(ErrorCode::Internal) << u"bad alloc-ish"_s;
        QTest::newRow("cancelled error") << 3 << u"cancelled"_s << int(JobState::Cancelled) << int(ErrorCode::Cancelled) << u"cancelled"_s;
    }
    void outcomes()
    {
        QFETCH(int, kind);
        QFETCH(QString, event);
        QFETCH(int, state);
        QFETCH(int, code);
        QFETCH(QString, message);
        JobManager manager;
        Job *job = manager.start(u"outcome"_s, [kind](JobContext &jc) -> QVariant {
            jc.log(u"about to decide"_s);
            switch (kind)
            {
            case 1:
                throw Exception(ErrorCode::OperationFailed, u"disk on fire"_s);
            case 2:
                throw std::runtime_error("bad alloc-ish");
            case 3:
                throw Exception(ErrorCode::Cancelled, u"cancelled"_s);
            default:
                return 42;
            }
        });
        const quint64 id = job->id();
        QSignalSpy logLines(job, &Job::logLine);
        Watcher w;
        w.watch(job, this);
        QTRY_VERIFY_WITH_TIMEOUT(w.finished, 60000);
        QCOMPARE(w.events, (QStringList{u"state:running"_s, u"state:"_s + dbops::toString(JobState(state)), event, u"finished"_s}));
        QCOMPARE(logLines.size(), 1);
        QCOMPARE(logLines.first().first().toString(), u"about to decide"_s);
        QTRY_VERIFY_WITH_TIMEOUT(findRecord(manager.records(), id) && findRecord(manager.records(), id)->state == JobState(state), 60000);
        const JobRecord rec = *findRecord(manager.records(), id);
        if (kind == 0)
        {
            QCOMPARE(w.result, QVariant(42));
            QCOMPARE(rec.error.message, QString());
        }
        else
        {
            QCOMPARE(rec.error.code, ErrorCode(code));
            QCOMPARE(rec.error.message, message);
            if (event == u"failed"_s)
            {
                QCOMPARE(w.error.code, ErrorCode(code));
                QCOMPARE(w.error.message, message);
            }
        }
    }

    void recordsListFinishedJobs()
    {
        JobManager manager(nullptr, 4);
        QSignalSpy added(&manager, &JobManager::jobAdded);
        Job *ok = manager.start(u"ok"_s, [](JobContext &) { return QVariant(1); });
        Job *bad = manager.start(u"bad"_s, [](JobContext &) -> QVariant { throw Exception(ErrorCode::Io, u"no disk"_s); });
        Job *slow = manager.start(u"slow"_s, [](JobContext &jc) {
            dbops::test::waitUntil([&jc] { return jc.isCancelled(); }, kUntilReleased);
            jc.throwIfCancelled();
            return QVariant();
        });
        const quint64 ids[] = {ok->id(), bad->id(), slow->id()};
        QCOMPARE(added.size(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(
            findRecord(manager.records(), ids[0]) && findRecord(manager.records(), ids[0])->state == JobState::Succeeded, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(dbops::toString(findRecord(manager.records(), ids[2])->state), dbops::toString(JobState::Running), 60000);
        manager.cancel(ids[2]);
        QTRY_COMPARE_WITH_TIMEOUT(manager.activeCount(), 0, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(manager.records().size(), 3, 60000);
        const QList<JobRecord> records = manager.records();
        const JobState expected[] = {JobState::Succeeded, JobState::Failed, JobState::Cancelled};
        const QString titles[] = {u"ok"_s, u"bad"_s, u"slow"_s};
        for (int i = 0; i < 3; ++i)
        {
            const JobRecord *r = findRecord(records, ids[i]);
            QVERIFY(r);
            QCOMPARE(dbops::toString(r->state), dbops::toString(expected[i]));
            QCOMPARE(r->title, titles[i]);
            QVERIFY(r->queuedAt.isValid() && r->startedAt.isValid() && r->finishedAt.isValid());
            QVERIFY(r->queuedAt <= r->startedAt && r->startedAt <= r->finishedAt);
        }
        QCOMPARE(findRecord(records, ids[1])->error.message, u"no disk"_s);
        // Finished jobs are no longer findable as live jobs.
        QCOMPARE(manager.find(ids[0]), nullptr);
    }

    void cancelQueuedJobNeverRunsBody()
    {
        JobManager manager(nullptr, 1);
        std::atomic_bool release{false};
        std::atomic_bool secondRan{false};
        Job *blocker = manager.start(u"blocker"_s, [&](JobContext &) {
            dbops::test::waitUntil([&] { return release.load(); }, kUntilReleased);
            return QVariant();
        });
        Job *queued = manager.start(u"queued"_s, [&](JobContext &) {
            secondRan = true;
            return QVariant();
        });
        const quint64 queuedId = queued->id();
        QCOMPARE(dbops::toString(queued->state()), dbops::toString(JobState::Queued));
        QSignalSpy cancelled(queued, &Job::cancelled);
        queued->cancel();
        release = true;
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.size(), 1, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(manager.records().size(), 2, 60000);
        QVERIFY(!secondRan);
        QCOMPARE(dbops::toString(findRecord(manager.records(), queuedId)->state), dbops::toString(JobState::Cancelled));
        Q_UNUSED(blocker);
    }

    void runWaitsForTheResult()
    {
        JobManager manager;
        auto ok = manager.run(new Job(u"sync"_s, [](JobContext &) { return QVariant(u"done"_s); }));
        QVERIFY(ok);
        QCOMPARE(ok->toString(), u"done"_s);
        auto bad = manager.run(new Job(u"sync bad"_s, [](JobContext &) -> QVariant { throw Exception(ErrorCode::BadInput, u"nope"_s); }));
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, ErrorCode::BadInput);
        QCOMPARE(bad.error().message, u"nope"_s);
    }

    void shutdownCancelsRunningJobs()
    {
        auto manager = std::make_unique<JobManager>();
        std::atomic_bool started{false};
        manager->start(u"forever"_s, [&](JobContext &jc) {
            started = true;
            dbops::test::waitUntil([&jc] { return jc.isCancelled(); }, kUntilReleased);
            jc.throwIfCancelled();
            return QVariant();
        });
        QTRY_VERIFY_WITH_TIMEOUT(started, 60000);
        QElapsedTimer t;
        t.start();
        manager.reset();
        QVERIFY(t.elapsed() < 4000); // cancelled, not left to shutdown's 5 s wait
    }

    // --- CancelToken ------------------------------------------------------------------------------

    void typedJobCarriesItsResult()
    {
        JobManager jobs;
        auto ok = jobs.run(makeJob<int>(u"answer"_s, [](JobContext &) { return 42; }));
        QVERIFY(ok.ok());
        QCOMPARE(ok.value.value_or(0), 42);

        // A returned result that carries a failure is a failed job, and its result stays readable.
        auto part = jobs.run(makeJob<PartResult>(u"part"_s, [](JobContext &) {
            return PartResult{2, Error::make(ErrorCode::OperationFailed, u"file 3 failed"_s)};
        }));
        QVERIFY(!part.ok());
        QCOMPARE(part.error->code, ErrorCode::OperationFailed);
        QVERIFY(part.value.has_value());
        QCOMPARE(part.value->done, 2);

        auto *failing = makeJob<PartResult>(u"part"_s, [](JobContext &) {
            return PartResult{1, Error::make(ErrorCode::Cancelled, u"cancelled after file 1"_s)};
        });
        QSignalSpy cancelled(failing, &Job::cancelled);
        auto c = jobs.run(failing);
        QCOMPARE(cancelled.size(), 1);
        QCOMPARE(c.error->message, u"cancelled after file 1"_s);

        // A thrown error leaves no result.
        auto thrown = jobs.run(
            makeJob<PartResult>(u"throws"_s, [](JobContext &) -> PartResult { throw Exception(ErrorCode::BadInput, u"bad file"_s); }));
        QCOMPARE(thrown.error->code, ErrorCode::BadInput);
        QVERIFY(!thrown.value.has_value());
    }

    void cancelTokenHooks()
    {
        CancelToken token;
        int a = 0, b = 0, c = 0;
        token.addHook([&] { ++a; });
        const int idB = token.addHook([&] { ++b; });
        token.removeHook(idB);
        {
            CancelHookScope scope(&token, [&] { ++c; });
        }
        QVERIFY(!token.isCancelled());
        token.throwIfCancelled(); // no throw
        QCOMPARE(a + b + c, 0);

        token.cancel();
        QVERIFY(token.isCancelled());
        QCOMPARE(a, 1);
        QCOMPARE(b, 0); // removed
        QCOMPARE(c, 0); // its scope ended
        token.cancel(); // idempotent: hooks run once
        QCOMPARE(a, 1);

        int late = 0;
        token.addHook([&] { ++late; });
        QCOMPARE(late, 1); // added after cancel: runs at once
        {
            int scoped = 0;
            CancelHookScope scope(&token, [&] { ++scoped; });
            QCOMPARE(scoped, 1);
        }
        try
        {
            token.throwIfCancelled();
            QFAIL("should throw");
        }
        catch (const Exception &e)
        {
            QCOMPARE(e.error().code, ErrorCode::Cancelled);
            QVERIFY(e.error().isCancelled());
        }
    }

    void removeHookWaitsForARunningHook()
    {
        // A CancelHookScope ends (and its connection, whose PGcancel the hook uses, goes away)
        // while another thread is cancelling: removal must wait until the hook has finished.
        CancelToken token;
        QSemaphore hookStarted;
        std::atomic_bool hookDone{false};
        const int id = token.addHook([&] {
            hookStarted.release();
            QThread::msleep(200); // a slow hook is the thing under test (not a wait for a condition)
            hookDone = true;
        });
        std::thread canceller([&] { token.cancel(); });
        QVERIFY(hookStarted.tryAcquire(1, 60000));
        token.removeHook(id);
        const bool doneWhenRemoved = hookDone;
        canceller.join();
        QVERIFY2(doneWhenRemoved, "removeHook returned while the hook was still running");
    }

    void cancelTokenFromAnotherThread()
    {
        CancelToken token;
        std::atomic<int> ranOn{0};
        const auto main = std::this_thread::get_id();
        token.addHook([&] { ranOn = std::this_thread::get_id() == main ? 1 : 2; });
        std::thread t([&] { token.cancel(); });
        t.join();
        QCOMPARE(ranOn.load(), 2); // hooks run on the cancelling thread
        QVERIFY(token.isCancelled());
    }
};

QTEST_GUILESS_MAIN(TestJobs)
#include "test_jobs.moc"
