// The console and the CLI run the same migration operations: the same audit record (action,
// target, details, outcome) and the same history rows, whichever face started migrate, repair,
// down and baseline; and the console's actions go through the core's rules (the typed word on
// production is checked in the operation; the down plan is the engine's, with its data loss).
#include "core/db/pgconnection.h"
#include "core/db/threadguard.h"
#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/ops/migrateops.h"
#include "core/store/auditlog.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/cli.h"
#include "tests/support/files.h"
#include "tests/support/guithreadwatch.h"
#include "tests/support/jobs.h"
#include "tests/support/net.h"
#include "tests/support/pgfixture.h"
#include "ui/timeline/lockindicator.h"
#include "ui/timeline/plandialog.h"
#include "ui/timeline/timelineactions.h"
#include "ui/timeline/timelinejobs.h"
#include "ui/timeline/timelineview.h"

#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

namespace
{
    /// What the audit log and the history say, without the clocks.
    struct Record
    {
        QStringList audit;   ///< "action | profile | environment | target | details | outcome", oldest first
        QStringList history; ///< "version | description | type | script | success | checksum"
    };

    /// Runs an operation as its job's body on this thread: the console's way without the view (which
    /// runs it on a worker), so the test's own work, which the guard does not count.
    template <class T, class F>
    std::optional<T> runJob(F &&body, Error *error = nullptr)
    {
        std::unique_ptr<TypedJob<T>> job(makeJob<T>(u"op"_s, std::forward<F>(body)));
        fixture([&] { job->run(); });
        if (error)
            *error = job->error();
        return job->value();
    }
}

class TestTimelineOps final : public QObject
{
    Q_OBJECT

private:
    QString storePath() const { return PgFixture::home() + u"/dbops.sqlite"_s; }

    /// The audit entries after the first `skip`, oldest first.
    QStringList auditSince(int skip)
    {
        FixtureWork pause;
        Store store(storePath());
        if (!store.open())
            return {u"cannot open the store"_s};
        auto recent = AuditLog(store).recent(1000);
        QStringList out;
        if (!recent)
            return out;
        for (const AuditEntry &a : *recent)
            out.prepend(QStringList{a.action, a.profile, a.environment, a.target, a.details, a.outcome}.join(u" | "_s));
        return out.mid(skip);
    }

    int auditCount() { return int(auditSince(0).size()); }

    QStringList historyRows(const ConnectParams &db)
    {
        FixtureWork pause;
        auto conn = PgFixture::connect(db);
        const QueryResult r = conn->exec(u"SELECT coalesce(version, ''), description, type, script, success::text, "
                                         u"coalesce(encode(checksum, 'hex'), '') FROM dbops_schema_history ORDER BY installed_rank"_s);
        QStringList out;
        for (int i = 0; i < r.rowCount(); ++i)
        {
            QStringList cols;
            for (int c = 0; c < 6; ++c)
                cols << r.value(i, c).toString();
            out << cols.join(u" | "_s);
        }
        return out;
    }

    void resetDatabase(const ConnectParams &db)
    {
        FixtureWork pause;
        auto conn = PgFixture::connect(db);
        conn->exec(u"DROP SCHEMA public CASCADE"_s);
        conn->exec(u"CREATE SCHEMA public"_s);
    }

    void writeMigrations(const QString &dir)
    {
        writeFile(dir, u"0001_a.up.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir, u"0001_a.down.sql"_s, "DROP TABLE a;");
        writeFile(dir, u"0002_b.up.sql"_s, "CREATE TABLE b (x int);");
        writeFile(dir, u"0002_b.down.sql"_s, "DROP TABLE b;");
        // Outside a transaction, failing at its first statement: a failed row for repair to remove.
        writeFile(dir, u"0003_c.up.sql"_s, "-- dbops:no-transaction\nINSERT INTO nowhere (nope) VALUES (1);\n");
    }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        QVERIFY2(!PgFixture::cliPath().isEmpty(), "DBOPS_CLI is not set");
        qputenv("DBOPS_HOME", PgFixture::home().toUtf8());
        qputenv("DBOPS_KEYCHAIN", "off");
        qunsetenv("RUN_MIGRATIONS");
        qunsetenv("MIGRATIONS_DIR");
        logging::Options options;
        options.toStderr = false;
        options.toFile = false;
        logging::init(options);
        // From here on, a libpq or SQLite call on this (the GUI) thread outside fixture() is counted.
        watchGuiThread();
    }

    void cleanupTestCase()
    {
        // The views made no libpq and no SQLite call on the GUI thread in the whole suite.
        verifyGuiThreadClean();
    }

    void consoleAndCliWriteTheSameAuditAndHistory()
    {
        // One profile, one folder, one database (reset between the faces), so that every field
        // of the records can be compared, the target included.
        QTemporaryDir dir;
        writeMigrations(dir.path());
        const ConnectParams db = fixture([] { return PgFixture::newDatabase(u"faces"_s); });
        const ConnectionProfile profile = profileFor(u"faces-dev"_s, Environment::Development, db, dir.path());
        {
            FixtureWork pause;
            Store store(storePath());
            QVERIFY(store.open().has_value());
            QVERIFY(ProfileStore(store).save(profile).has_value());
        }

        // The console's way: the request timelinejobs builds, the operation as the action starts it.
        Record console;
        {
            const int skip = auditCount();
            Store store(storePath());
            QVERIFY(fixture([&] { return store.open(); }).has_value());
            ProfileStore profiles(store);
            const TimelineTarget t{profile, {}, dir.path(), &profiles, &store};
            Error error;
            auto migrated = runJob<MigrateResult>([&](JobContext &jc) { return ops::migrate(timelinejobs::request(t), jc); }, &error);
            QVERIFY(migrated && migrated->failure); // 0003 fails
            auto plan = runJob<RepairPlan>([&](JobContext &jc) { return ops::planRepair(timelinejobs::request(t), {}, jc); }, &error);
            QVERIFY2(plan && !plan->isEmpty(), qPrintable(error.toString()));
            QVERIFY(runJob<RepairPlan>([&](JobContext &jc) { return ops::repair(timelinejobs::request(t), *plan, {}, jc); }, &error));
            QVERIFY2(runJob<DownResult>([&](JobContext &jc) { return ops::down(timelinejobs::request(t), u"0001"_s, jc); }, &error),
                     qPrintable(error.toString()));
            console.history = historyRows(db);
            resetDatabase(db);
            QVERIFY2(runJob<QString>(
                         [&](JobContext &jc) {
                             return ops::baseline(timelinejobs::request(t), u"0001"_s, u"baseline from the dbops console"_s, jc);
                         },
                         &error),
                     qPrintable(error.toString()));
            console.history += historyRows(db);
            console.audit = auditSince(skip);
        }
        QCOMPARE(console.audit.size(), 4);
        resetDatabase(db);

        // The CLI's way, as a child process.
        Record cli;
        {
            const int skip = auditCount();
            const auto run = [&](QStringList args) {
                return runCli(args << u"--profile"_s << profile.name << u"--migrations"_s << dir.path());
            };
            QCOMPARE(run({u"migrate"_s}).exitCode, 5);
            CliResult r = run({u"repair"_s, u"--yes"_s});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            r = run({u"down"_s, u"--target"_s, u"0001"_s, u"--yes"_s});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            cli.history = historyRows(db);
            resetDatabase(db);
            r = run({u"baseline"_s, u"--version"_s, u"0001"_s, u"--description"_s, u"baseline from the dbops console"_s});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            cli.history += historyRows(db);
            cli.audit = auditSince(skip);
        }

        // The same history rows: both faces ran the same engine.
        QCOMPARE(cli.history, console.history);
        // The same audit records, field by field: migrate, repair, down, baseline.
        QCOMPARE(cli.audit.size(), console.audit.size());
        for (int i = 0; i < console.audit.size(); ++i)
            QCOMPARE(cli.audit.at(i), console.audit.at(i));
    }

    void consolePassesTheTypedWordAndTheCoreChecksIt()
    {
        // Production: the plan dialog collects the word; the operation checks it. A request sent
        // with the wrong word (as a face that skipped the dialog would) changes nothing.
        QTemporaryDir dir;
        writeFile(dir.path(), u"0001_a.up.sql"_s, "CREATE TABLE a (x int);");
        writeFile(dir.path(), u"0001_a.down.sql"_s, "DROP TABLE a;");
        writeFile(dir.path(), u"0002_b.up.sql"_s, "CREATE TABLE b (x int);");
        writeFile(dir.path(), u"0002_b.down.sql"_s, "ALTER TABLE a DROP COLUMN x;\nDROP TABLE b;");
        const ConnectParams db = fixture([] { return PgFixture::newDatabase(u"consoleprod"_s); });
        Store store(storePath());
        QVERIFY(fixture([&] { return store.open(); }).has_value());
        ProfileStore profiles(store);
        auto saved = fixture([&] { return profiles.save(profileFor(u"console-prod"_s, Environment::Production, db, dir.path())); });
        QVERIFY(saved.has_value());
        const TimelineTarget t{*saved, {}, dir.path(), &profiles, &store};
        Error error;
        QVERIFY(!runJob<MigrateResult>([&](JobContext &jc) { return ops::migrate(timelinejobs::request(t, u"wrong"_s), jc); }, &error));
        QCOMPARE(int(error.code), int(ErrorCode::Usage));
        auto conn = fixture([&] { return PgFixture::connect(db); });
        QVERIFY(!fixture([&] { return conn->exec(u"SELECT to_regclass('dbops_schema_history') IS NOT NULL"_s); }).value(0, 0).toBool());

        // Through the view: the dialog's field goes into the request.
        JobManager jobs;
        const quint64 before = guiThreadDatabaseCalls();
        {
            TimelineView view(&jobs, &profiles, &store);
            view.show();
            QSignalSpy loaded(&view, &TimelineView::timelineLoaded);
            QSignalSpy finished(view.actions(), &TimelineActions::actionFinished);
            QPointer<PlanDialog> plan;
            connect(view.actions(), &TimelineActions::planShown, this, [&plan](PlanDialog *d) { plan = d; });
            view.setProfile(*saved);
            QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
            view.actions()->applyPending();
            QTRY_VERIFY_WITH_TIMEOUT(plan, 60000);
            QVERIFY(!plan->acceptButton()->isEnabled());
            plan->confirmEdit()->setText(plan->requiredConfirmation());
            QCOMPARE(plan->typedConfirmation(), ops::confirmationWord(*saved));
            QTest::mouseClick(plan->acceptButton(), Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() && finished.last().at(0).toBool(), 60000);
            QVERIFY2(finished.last().at(1).toString().startsWith(u"2 migration(s) applied"_s),
                     qPrintable(finished.last().at(1).toString()));

            // Down: the engine's plan (ops::planDown), its data loss named in the dialog.
            QTRY_VERIFY_WITH_TIMEOUT(!view.actions()->isBusy(), 60000);
            plan = nullptr;
            view.actions()->downTo(u"0001"_s);
            QTRY_VERIFY_WITH_TIMEOUT(plan, 60000);
            QCOMPARE(plan->content().items.size(), 1);
            QVERIFY2(plan->content().summaryHtml.contains(u"data loss"_s) || plan->content().summaryHtml.contains(u"destroy data"_s),
                     qPrintable(plan->content().summaryHtml));
            QVERIFY2(plan->content().summaryHtml.contains(u"a.x"_s) || plan->content().fullSql.contains(u"drops column"_s),
                     qPrintable(plan->content().fullSql));
            QVERIFY(plan->content().items.first().warn);
            plan->reject();
        }
        QCOMPARE(guiThreadDatabaseCalls(), before);
        jobs.shutdown(5000);
        QCOMPARE(fixture([&] { return conn->exec(u"SELECT count(*) FROM dbops_schema_history WHERE success"_s); }).value(0, 0).toInt(), 2);
        // Audited as the CLI would: the typed word was checked in the operation.
        QCOMPARE(fixture([&] { return AuditLog(store).recent(1); })->first().action, u"migrate"_s);
    }

    void closingTheViewDoesNotWaitForTheLockProbe()
    {
        // The probe leases one connection; closing the view returns at once (it cancels the probe
        // and lets it end on its own) even while a probe hangs on an unanswering server.
        HungListener hung;
        QTemporaryDir dir;
        writeFile(dir.path(), u"0001_a.sql"_s, "CREATE TABLE a (x int);");
        Store store(storePath());
        QVERIFY(fixture([&] { return store.open(); }).has_value());
        ProfileStore profiles(store);
        ConnectParams nowhere;
        nowhere.set(u"host"_s, u"127.0.0.1"_s);
        nowhere.set(u"port"_s, QString::number(hung.port()));
        nowhere.set(u"user"_s, u"x"_s);
        nowhere.set(u"dbname"_s, u"x"_s);
        JobManager jobs;
        auto view = std::make_unique<TimelineView>(&jobs, &profiles, &store);
        view->show();
        view->setProfile(profileFor(u"hung"_s, Environment::Development, nowhere, dir.path()));
        QElapsedTimer closing;
        closing.start();
        view.reset();
        QVERIFY2(closing.elapsed() < 1000, qPrintable(QString::number(closing.elapsed())));
        jobs.shutdown(10000);
    }

    void lockProbeReusesItsConnection()
    {
        QTemporaryDir dir;
        writeFile(dir.path(), u"0001_a.sql"_s, "CREATE TABLE a (x int);");
        const ConnectParams db = fixture([] { return PgFixture::newDatabase(u"probelease"_s); });
        Store store(storePath());
        QVERIFY(fixture([&] { return store.open(); }).has_value());
        ProfileStore profiles(store);
        JobManager jobs;
        auto conn = fixture([&] { return PgFixture::connect(db); });
        const auto monitors = [&] {
            FixtureWork pause;
            return conn->exec(u"SELECT count(*), count(DISTINCT backend_start) FROM pg_stat_activity "
                              u"WHERE application_name = 'dbops lock monitor' AND datname = $1"_s,
                              {db.value(u"dbname"_s)});
        };
        {
            TimelineView view(&jobs, &profiles, &store);
            view.show();
            QSignalSpy checked(&view, &TimelineView::lockChecked);
            view.setProfile(profileFor(u"probe-dev"_s, Environment::Development, db, dir.path()));
            QTRY_VERIFY_WITH_TIMEOUT(checked.count() >= 3, 60000); // the timer's 2-second probes
            QCOMPARE(int(view.lockIndicator()->kind()), int(LockIndicator::Kind::Free));
            const QueryResult r = monitors();
            QCOMPARE(r.value(0, 0).toInt(), 1); // one session, the same one for every probe
        }
        QTRY_COMPARE_WITH_TIMEOUT(monitors().value(0, 0).toInt(), 0, 30000); // closed after the view went
        jobs.shutdown(5000);
    }
};

QTEST_MAIN(TestTimelineOps)
#include "test_timeline_ops.moc"
