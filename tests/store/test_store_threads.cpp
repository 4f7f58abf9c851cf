// Store connections live on the thread that uses them and end with each job; the GUI-thread guard
// counts SQLite calls too (DESIGN.md, Threads; issue 11).

#include "core/db/sqlitesession.h"
#include "core/db/threadguard.h"
#include "core/jobs/job.h"
#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/pgfixture.h"

#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;

namespace
{
    struct ThreadCount
    {
        QThread *thread = nullptr;
        int before = 0; ///< store connections open on the worker when the body started
        int during = 0; ///< after the body used the store
    };
}

Q_DECLARE_METATYPE(ThreadCount)

class TestStoreThreads final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("DBOPS_HOME", m_home.path().toUtf8());
        dbops::test::quietLogging();
    }

    void aJobsStoreConnectionsCloseWhenItEnds()
    {
        Store store(m_home.filePath(u"jobs.sqlite"_s));
        store.openOnFirstUse();
        ProfileStore profiles(store);
        JobManager jobs(nullptr, 1); // one worker: the next job runs on the same thread
        const auto body = [&](JobContext &) {
            ThreadCount c;
            c.thread = QThread::currentThread();
            c.before = Store::openConnectionCount();
            if (auto listed = profiles.list(); !listed)
                throw Exception(listed.error());
            c.during = Store::openConnectionCount();
            return c;
        };
        const auto first = jobs.run(makeJob<ThreadCount>(u"first"_s, body));
        QVERIFY(first.ok());
        QCOMPARE(first.value->before, 0);
        QVERIFY(first.value->during >= 1); // the body opened one on its worker
        const auto second = jobs.run(makeJob<ThreadCount>(u"second"_s, body));
        QVERIFY(second.ok());
        QCOMPARE(second.value->thread, first.value->thread); // the same pool thread
        QCOMPARE(second.value->before, 0);                   // the first job's connection was closed at its end
        // And this thread opened none.
        QCOMPARE(Store::openConnectionCount(), 0);
    }

    void sqliteCallsOnTheGuiThreadAreCounted()
    {
        Store store(m_home.filePath(u"guard.sqlite"_s));
        QVERIFY(store.open().has_value()); // before a GUI thread is registered: not counted
        QCOMPARE(guiThreadStoreCalls(), quint64(0));

        setGuiThread(QThread::currentThread());
        JobManager jobs;
        // In a job: not counted.
        auto inJob = jobs.run(makeJob<int>(u"in a job"_s, [&](JobContext &) {
            store.exec(u"INSERT INTO settings(key, value) VALUES('a', '1')"_s);
            auto session = SqliteSession::open(store.path(), true);
            return session->exec(u"SELECT count(*) FROM settings"_s).value(0, 0).toInt();
        }));
        QVERIFY(inJob.ok());
        QCOMPARE(*inJob.value, 1);
        QCOMPARE(guiThreadStoreCalls(), quint64(0));
        QCOMPARE(guiThreadDatabaseCalls(), quint64(0));

        // On the GUI thread: each entry point counts.
        store.exec(u"INSERT INTO settings(key, value) VALUES('b', '2')"_s);
        QCOMPARE(guiThreadStoreCalls(), quint64(1));
        auto session = SqliteSession::open(store.path(), true);
        session->exec(u"SELECT 1"_s);
        QCOMPARE(guiThreadStoreCalls(), quint64(3));
        QCOMPARE(guiThreadDatabaseCalls(), quint64(0)); // libpq has its own count
        setGuiThread(nullptr);
        store.exec(u"SELECT 1"_s);
        QCOMPARE(guiThreadStoreCalls(), quint64(3));
    }

private:
    QTemporaryDir m_home;
};

QTEST_GUILESS_MAIN(TestStoreThreads)
#include "test_store_threads.moc"
