// Jobs tell the truth (issue 12): a migration that fails at its 2nd statement, applied from the
// timeline by a non-superuser role, is a FAILED job whose message is the outcome, logged once at
// error; a read the view superseded is cancelled, not failed; a failing poll logs once; and the Jobs
// and Log docks are one tabbed dock, collapsed to a one-line strip, that opens on a failure.
#include "core/db/pgconnection.h"
#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/logging/logbuffer.h"
#include "core/ops/operation.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/files.h"
#include "tests/support/guithreadwatch.h"
#include "tests/support/pgfixture.h"
#include "ui/jobs/activitydock.h"
#include "ui/jobs/jobmodel.h"
#include "ui/jobs/jobspanel.h"
#include "ui/jobs/viewjobs.h"
#include "ui/log/logpanel.h"
#include "ui/main/mainwindow.h"
#include "ui/timeline/plandialog.h"
#include "ui/timeline/timelineactions.h"
#include "ui/timeline/timelineview.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QPushButton>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QToolButton>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

namespace
{
    qint64 lastLogId()
    {
        const QList<LogRecord> all = LogBuffer::instance()->records();
        return all.isEmpty() ? 0 : all.last().id;
    }

    /// The log records since `after` that contain `text`.
    QList<LogRecord> logged(qint64 after, const QString &text)
    {
        QList<LogRecord> out;
        for (const LogRecord &r : LogBuffer::instance()->records(after))
            if (r.message.contains(text))
                out << r;
        return out;
    }

    const JobRecord *findJob(const JobModel &model, const QString &titlePrefix)
    {
        for (int row = 0; row < model.rowCount(); ++row)
            if (model.record(row).title.startsWith(titlePrefix))
                return &model.record(row);
        return nullptr;
    }

    bool ended(const JobRecord *r)
    {
        return r && (r->state == JobState::Succeeded || r->state == JobState::Failed || r->state == JobState::Cancelled);
    }
}

class TestJobsTruth final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QString storePath() const { return m_home.filePath(u"dbops.sqlite"_s); }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        QVERIFY(m_home.isValid());
        usePrivateHome(m_home.path());
        qunsetenv("RUN_MIGRATIONS");
        qunsetenv("MIGRATIONS_DIR");
        logging::Options options;
        options.toStderr = false;
        options.toFile = false;
        logging::init(options);
        watchGuiThread();
    }

    void cleanupTestCase() { verifyGuiThreadClean(); }

    void failedMigrationIsAFailedJobWithItsOutcome()
    {
        // A non-superuser role that may create tables but not roles: 0015's 2nd statement fails.
        QTemporaryDir dir;
        writeFile(dir.path(), u"0014_a.up.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"0015_roles.up.sql"_s,
                  "CREATE TABLE b (x int);\nCREATE ROLE dbops_jobs_truth_nope;\nCREATE TABLE c (x int);\n");
        ConnectParams db = fixture([] { return PgFixture::newDatabase(u"jobstruth"_s); });
        const QString password = u"s3cret-truth"_s;
        QString role;
        fixture([&] {
            auto admin = PgFixture::connect(db);
            role = newRole(*admin, u"truth"_s, password);
            admin->exec(u"GRANT CREATE ON SCHEMA public TO "_s + admin->escapeIdentifier(role));
        });
        db.set(u"user"_s, role);
        Store store(storePath());
        QVERIFY(fixture([&] { return store.open(); }).has_value());
        ProfileStore profiles(store);
        auto saved = fixture([&] { return profiles.save(profileFor(u"truth-dev"_s, Environment::Development, db, dir.path())); });
        QVERIFY(saved.has_value());

        JobManager jobs;
        JobModel model(&jobs);
        const qint64 before = lastLogId();
        {
            TimelineView view(&jobs, &profiles, &store);
            view.show();
            QSignalSpy loaded(&view, &TimelineView::timelineLoaded);
            QSignalSpy finished(view.actions(), &TimelineActions::actionFinished);
            QPointer<PlanDialog> plan;
            connect(view.actions(), &TimelineActions::planShown, this, [&plan](PlanDialog *d) { plan = d; });
            view.setProfile(*saved, password);
            QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
            view.actions()->applyPending();
            QTRY_VERIFY_WITH_TIMEOUT(plan, 60000);
            QVERIFY(plan->acceptButton()->isEnabled());
            QTest::mouseClick(plan->acceptButton(), Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
            QVERIFY(!finished.last().at(0).toBool());
            QTRY_VERIFY_WITH_TIMEOUT(ended(findJob(model, u"Apply migrations to truth-dev"_s)), 60000);
        }
        const JobRecord apply = *findJob(model, u"Apply migrations to truth-dev"_s);
        // A failed job, not "succeeded at 100% with statement 1 of 3".
        QCOMPARE(toString(apply.state), toString(JobState::Failed));
        const int row = model.rowOf(apply.id);
        QCOMPARE(model.index(row, JobModel::State).data().toString(), u"failed"_s);
        QVERIFY(model.index(row, JobModel::Progress).data(JobModel::PercentRole).toInt() < 100);
        // Its last message is the outcome: the file, the statement and the reason, in one line.
        const QString message = model.index(row, JobModel::Message).data().toString();
        QCOMPARE(apply.message, message);
        QVERIFY2(message.contains(u"0015"_s) && message.contains(u"statement 2"_s) && message.contains(u"permission denied"_s),
                 qPrintable(message));
        QVERIFY2(!message.contains(u'\n') && !message.contains(u"of 3"_s), qPrintable(message));
        // No finished job keeps a progress message as its final text.
        for (int i = 0; i < model.rowCount(); ++i)
        {
            const JobRecord &r = model.record(i);
            if (!ended(&r))
                continue; // a reload after the apply may still run
            if (r.state == JobState::Succeeded)
                QVERIFY2(!r.message.isEmpty(), qPrintable(r.title));
            for (const QString &progress : {u"reading the history"_s, u"taking the migration lock"_s, u"statement "_s})
                QVERIFY2(!r.message.startsWith(progress), qPrintable(r.title + u": "_s + r.message));
        }
        // Logged once, at error, with the job's title and the reason; never at info or warning.
        // (The audit record, "audit: migrate … : <outcome>", is logged for every operation whatever its
        // outcome: it is the audit trail, not the failure's report.)
        QList<LogRecord> failures = logged(before, u"permission denied to create role"_s);
        failures.removeIf([](const LogRecord &r) { return r.message.startsWith(u"audit: "_s); });
        QStringList seen;
        for (const LogRecord &r : failures)
            seen << toString(r.level) + u": "_s + r.message;
        QVERIFY2(failures.size() == 1, qPrintable(seen.join(u"\n---\n"_s)));
        QCOMPARE(toString(failures.first().level), toString(LogLevel::Error));
        QVERIFY2(failures.first().message.contains(u"Apply migrations to truth-dev"_s), qPrintable(failures.first().message));
        jobs.shutdown(5000);
    }

    void supersededReadIsCancelledNotFailed()
    {
        JobManager manager;
        JobsPanel panel(&manager);
        ViewJobs run(&manager);
        QSemaphore started;
        // A read for a target the view no longer shows (a password-less connect, a matrix column)
        // that fails after the view moved on.
        run.start<int>(
            u"Timeline of old-target (matrix)"_s,
            [&started](JobContext &jc) -> int {
                started.release();
                QElapsedTimer t;
                t.start();
                while (!jc.isCancelled() && t.elapsed() < 60000)
                    QThread::msleep(5);
                throw Exception(ErrorCode::Auth, u"no password supplied"_s);
            },
            {}, ViewJobs::Kind::Load);
        QVERIFY(started.tryAcquire(1, 60000));
        run.retarget();
        QTRY_VERIFY_WITH_TIMEOUT(ended(findJob(*panel.model(), u"Timeline of old-target"_s)), 60000);
        QCOMPARE(toString(findJob(*panel.model(), u"Timeline of old-target"_s)->state), toString(JobState::Cancelled));
        QCOMPARE(panel.failedCount(), 0);
        // A read of the current target that fails is a failure.
        run.start<int>(
            u"Timeline of new-target"_s, [](JobContext &) -> int { throw Exception(ErrorCode::Connect, u"down"_s); }, {},
            ViewJobs::Kind::Load);
        QTRY_COMPARE_WITH_TIMEOUT(panel.failedCount(), 1, 60000);
        manager.shutdown(5000);
    }

    void connectThatAsksForAPasswordIsNotAFailure()
    {
        // A connect without a password, which its view follows with a password prompt, asks a
        // question: it is listed, logged at info, not counted as failed, and does not open the dock.
        JobManager manager;
        JobsPanel panel(&manager);
        ViewJobs run(&manager);
        const qint64 before = lastLogId();
        JobHandlers<int> handlers;
        handlers.asksForInput = ops::needsPassword;
        run.start<int>(
            u"Connect to scram-dev"_s,
            [](JobContext &) -> int { throw Exception(ErrorCode::Auth, u"fe_sendauth: no password supplied"_s); }, handlers,
            ViewJobs::Kind::Load);
        QTRY_VERIFY_WITH_TIMEOUT(ended(findJob(*panel.model(), u"Connect to scram-dev"_s)), 60000);
        const int row = panel.model()->rowOf(findJob(*panel.model(), u"Connect to scram-dev"_s)->id);
        QCOMPARE(panel.model()->index(row, JobModel::State).data().toString(), u"needs input"_s);
        QCOMPARE(panel.failedCount(), 0);
        const QList<LogRecord> lines = logged(before, u"Connect to scram-dev"_s);
        QCOMPARE(lines.size(), 1);
        QCOMPARE(toString(lines.first().level), toString(LogLevel::Info));
        // A wrong password is a failure.
        run.start<int>(
            u"Connect to scram-dev again"_s,
            [](JobContext &) -> int { throw Exception(ErrorCode::Auth, u"password authentication failed for user \"x\""_s); }, handlers,
            ViewJobs::Kind::Load);
        QTRY_COMPARE_WITH_TIMEOUT(panel.failedCount(), 1, 60000);
        manager.shutdown(5000);
    }

    void failingProbeLogsOnce()
    {
        JobManager manager;
        ViewJobs probes(&manager);
        const qint64 before = lastLogId();
        int probesEnded = 0;
        for (int i = 0; i < 8; ++i)
        {
            JobHandlers<int> handlers;
            handlers.finished = [&probesEnded] { ++probesEnded; };
            probes.start<int>(
                u"Migration lock of probe-dev"_s,
                [](JobContext &) -> int { throw Exception(ErrorCode::Connect, u"connection refused (probe)"_s); }, handlers,
                ViewJobs::Kind::Probe);
            QTRY_COMPARE_WITH_TIMEOUT(probesEnded, i + 1, 60000);
        }
        QCOMPARE(logged(before, u"connection refused (probe)"_s).size(), 1);
    }

    void jobsAndLogAreOneDockCollapsedToAStrip()
    {
        Store store(m_home.filePath(u"dock.sqlite"_s));
        QVERIFY(fixture([&] { return store.open(); }).has_value());
        ProfileStore profiles(store);
        JobManager jobs;
        {
            MainWindow window({&store, &profiles, &jobs});
            window.resize(1280, 800);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            ActivityDock *dock = window.activityDock();
            QVERIFY(dock);
            QCOMPARE(dock->tabs()->count(), 2);
            QCOMPARE(dock->tabs()->tabText(0), u"Jobs"_s);
            QCOMPARE(dock->tabs()->tabText(1), u"Log"_s);
            // Collapsed by default: one line; the central views get the height.
            QVERIFY(!dock->isExpanded());
            QTRY_VERIFY2_WITH_TIMEOUT(dock->height() <= 3 * window.fontMetrics().height(), qPrintable(QString::number(dock->height())),
                                      5000);
            QTRY_VERIFY2_WITH_TIMEOUT(window.views()->height() >= window.height() * 3 / 4,
                                      qPrintable(u"%1 of %2"_s.arg(window.views()->height()).arg(window.height())), 5000);

            // A failure opens it on the Jobs tab and the strip counts it.
            jobs.start(u"Failing job"_s, [](JobContext &) -> QVariant { throw Exception(ErrorCode::OperationFailed, u"it broke"_s); });
            QTRY_VERIFY_WITH_TIMEOUT(dock->isExpanded(), 60000);
            QCOMPARE(dock->tabs()->currentIndex(), 0);
            QTRY_VERIFY_WITH_TIMEOUT(dock->height() > 100, 5000);
            QVERIFY2(dock->stripText().contains(u"1 failed"_s) && dock->stripText().contains(u"it broke"_s), qPrintable(dock->stripText()));
            // The strip's button closes it back; the View menu's action opens it again.
            QTest::mouseClick(dock->openButton(), Qt::LeftButton);
            QVERIFY(!dock->isExpanded());
            QTRY_VERIFY_WITH_TIMEOUT(dock->height() <= 3 * window.fontMetrics().height(), 5000);
            dock->toggleAction()->trigger();
            QVERIFY(dock->isExpanded());
            QVERIFY(dock->toggleAction()->isChecked());
            window.close(); // saves the settings, the dock open
        }
        {
            MainWindow window({&store, &profiles, &jobs});
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(window.activityDock()->isExpanded());
            QTRY_VERIFY_WITH_TIMEOUT(window.activityDock()->height() > 100, 5000);
            window.activityDock()->setExpanded(false);
            window.close();
        }
        {
            MainWindow window({&store, &profiles, &jobs});
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(!window.activityDock()->isExpanded());
            QTRY_VERIFY_WITH_TIMEOUT(window.activityDock()->height() <= 3 * window.fontMetrics().height(), 5000);
        }
        jobs.shutdown(5000);
    }
};

QTEST_MAIN(TestJobsTruth)
#include "test_jobs_truth.moc"
