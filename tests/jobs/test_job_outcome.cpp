// A finished job tells the truth: its message is the outcome (the body's summary or "done", the
// error, "cancelled"), never its last progress message; a result that carries a failure is a failed
// job; every failure is logged once, at error, with the job's title and the reason; a poll (the same
// job every 2 s) logs what changes, not every run.
#include "core/jobs/job.h"
#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/logging/logbuffer.h"
#include "tests/support/pgfixture.h"

#include <QSignalSpy>
#include <QThread>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;

namespace
{
    /// A result that can carry its own failure, as MigrateResult does.
    struct Outcome
    {
        int applied = 0;
        std::optional<Error> failure;
    };
    std::optional<Error> jobFailure(const Outcome &r)
    {
        return r.failure;
    }

    /// The application log's records since `after` that contain `text`, as "level: message".
    QStringList logged(qint64 after, const QString &text)
    {
        QStringList out;
        for (const LogRecord &r : LogBuffer::instance()->records(after))
            if (r.message.contains(text))
                out << toString(r.level) + u": "_s + r.message;
        return out;
    }

    qint64 lastLogId()
    {
        const QList<LogRecord> all = LogBuffer::instance()->records();
        return all.isEmpty() ? 0 : all.last().id;
    }

    /// Runs the job through a manager and returns its final record.
    JobRecord finish(JobManager &manager, Job *job)
    {
        manager.start(job);
        const quint64 id = job->id();
        JobRecord out;
        auto found = [&] {
            for (const JobRecord &r : manager.records())
                if (r.id == id && r.finishedAt.isValid())
                {
                    out = r;
                    return true;
                }
            return false;
        };
        if (!QTest::qWaitFor(found, 60000))
            qWarning("the job did not finish");
        return out;
    }
}
Q_DECLARE_METATYPE(Outcome)

class TestJobOutcome final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { test::quietLogging(); }

    void succeededJobSaysDoneOrItsSummary()
    {
        JobManager manager;
        const JobRecord plain = finish(manager, makeJob<int>(u"Read"_s, [](JobContext &jc) {
                                           jc.progress(1, 3, u"reading the history"_s);
                                           return 1;
                                       }));
        QCOMPARE(dbops::toString(plain.state), dbops::toString(JobState::Succeeded));
        QCOMPARE(plain.message, u"done"_s);
        const JobRecord summarised = finish(manager, makeJob<int>(u"Apply"_s, [](JobContext &jc) {
                                                jc.progress(0, 0, u"taking the migration lock"_s);
                                                jc.setSummary(u"2 migration(s) applied"_s);
                                                return 2;
                                            }));
        QCOMPARE(summarised.message, u"2 migration(s) applied"_s);
    }

    void failedJobSaysTheErrorAndLogsItOnceAtError()
    {
        JobManager manager;
        const qint64 before = lastLogId();
        const JobRecord r = finish(manager, makeJob<int>(u"Apply migrations to staging"_s, [](JobContext &jc) -> int {
                                       jc.progress(1, 3, u"statement 1 of 3"_s);
                                       throw Exception(ErrorCode::OperationFailed,
                                                       u"migration 0015 (0015_x.up.sql) failed at statement 2, line 2:\n  no privilege"_s);
                                   }));
        QCOMPARE(dbops::toString(r.state), dbops::toString(JobState::Failed));
        QCOMPARE(r.message, u"migration 0015 (0015_x.up.sql) failed at statement 2, line 2: no privilege"_s);
        const QStringList lines = logged(before, u"no privilege"_s);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().startsWith(u"error: "_s) && lines.first().contains(u"Apply migrations to staging"_s),
                 qPrintable(lines.first()));
    }

    void resultThatCarriesAFailureIsAFailedJob()
    {
        JobManager manager;
        const qint64 before = lastLogId();
        const JobRecord r = finish(manager, makeJob<Outcome>(u"Carried"_s, [](JobContext &jc) {
                                       jc.progress(1, 3, u"statement 1 of 3"_s);
                                       return Outcome{1, Error::make(ErrorCode::OperationFailed, u"failed at 0015, statement 2: denied"_s)};
                                   }));
        QCOMPARE(dbops::toString(r.state), dbops::toString(JobState::Failed));
        QCOMPARE(r.message, u"failed at 0015, statement 2: denied"_s);
        QCOMPARE(logged(before, u"statement 2: denied"_s).size(), 1);
        QVERIFY(logged(before, u"statement 2: denied"_s).first().startsWith(u"error: "_s));
    }

    void cancelledJobSaysCancelled()
    {
        JobManager manager;
        const qint64 before = lastLogId();
        auto *job = makeJob<int>(u"Waits"_s, [](JobContext &jc) -> int {
            jc.progress(0, 0, u"taking the migration lock"_s);
            while (true)
            {
                jc.throwIfCancelled();
                QThread::msleep(5);
            }
        });
        manager.start(job);
        const quint64 id = job->id();
        QTRY_VERIFY_WITH_TIMEOUT(job->state() == JobState::Running, 60000);
        job->cancel();
        JobRecord r;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const JobRecord &x : manager.records())
                    if (x.id == id && x.finishedAt.isValid())
                        r = x;
                return r.id == id;
            }(),
            60000);
        QCOMPARE(dbops::toString(r.state), dbops::toString(JobState::Cancelled));
        QCOMPARE(r.message, u"cancelled"_s);
        for (const QString &line : logged(before, u"Waits"_s))
            QVERIFY2(!line.startsWith(u"error"_s), qPrintable(line));
    }

    void pollLogsWhatChangesNotEveryRun()
    {
        JobManager manager;
        const qint64 before = lastLogId();
        auto poll = [&](bool fail, const QString &reason) {
            auto *job = makeJob<int>(u"Migration lock of staging"_s, [fail, reason](JobContext &) -> int {
                if (fail)
                    throw Exception(ErrorCode::Connect, reason);
                return 1;
            });
            job->setPollKey(u"test poll"_s);
            return finish(manager, job);
        };
        for (int i = 0; i < 10; ++i)
            QCOMPARE(dbops::toString(poll(true, u"server down"_s).state), dbops::toString(JobState::Failed));
        QCOMPARE(logged(before, u"Migration lock of staging"_s).size(), 1);
        // A different reason is a change; so is the recovery (once); then nothing while it works.
        poll(true, u"password authentication failed"_s);
        for (int i = 0; i < 5; ++i)
            poll(false, {});
        const QStringList lines = logged(before, u"Migration lock of staging"_s);
        QCOMPARE(lines.size(), 3);
        QVERIFY2(lines.at(1).contains(u"password authentication failed"_s), qPrintable(lines.at(1)));
        QVERIFY2(lines.at(2).startsWith(u"info: "_s) && lines.at(2).contains(u"works again"_s), qPrintable(lines.at(2)));
        // A job without a poll key logs each of its failures.
        for (int i = 0; i < 2; ++i)
            finish(manager, makeJob<int>(u"One-off"_s, [](JobContext &) -> int { throw Exception(ErrorCode::Connect, u"down"_s); }));
        QCOMPARE(logged(before, u"One-off"_s).size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestJobOutcome)
#include "test_job_outcome.moc"
