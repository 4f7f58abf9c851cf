// The migration timeline and the environments matrix: the models directly, then the views
// against a real PostgreSQL 15 (STYLE T4), offscreen (T2).

#include "core/db/pgconnection.h"
#include "core/db/threadguard.h"
#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/migrate/historyformats.h"
#include "core/migrate/migrator.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/files.h"
#include "tests/support/guithreadwatch.h"
#include "tests/support/jobs.h"
#include "tests/support/pgfixture.h"
#include "tests/support/services.h"
#include "ui/timeline/envmatrixmodel.h"
#include "ui/timeline/envmatrixview.h"
#include "ui/timeline/lockindicator.h"
#include "ui/timeline/migrationdetail.h"
#include "ui/timeline/plandialog.h"
#include "ui/timeline/sidebysidemodel.h"
#include "ui/timeline/statestyle.h"
#include "ui/timeline/timelineactions.h"
#include "ui/timeline/timelinejobs.h"
#include "ui/timeline/timelinefiltermodel.h"
#include "ui/timeline/timelinemodel.h"
#include "ui/timeline/timelineview.h"
#include "ui/widgets/codeview.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QHeaderView>
#include <QTableView>
#include <QTreeView>
#include <QTreeWidget>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::countedOnGuiThread;
using dbops::test::fixture;
using dbops::test::PgFixture;
using dbops::test::writeFile;

namespace
{
    ConnectionProfile profileFor(const QString &name, Environment env, const ConnectParams &params, const QString &dir,
                                 const QString &project = {})
    {
        ConnectionProfile p = dbops::test::profileFor(name, env, params);
        p.project = project;
        p.migrationsDir = dir;
        return p;
    }

    /// Runs the engine on this thread (test set-up only: fixture work the guard does not count).
    QVariant runEngine(const std::function<QVariant(JobContext &)> &body)
    {
        const auto r = fixture([&] { return dbops::test::runInJob(body); });
        if (!r)
            qWarning("set-up failed: %s", qPrintable(r.error().toString()));
        return r.value_or(QVariant());
    }

    MigrateResult migrateTo(const ConnectParams &params, const QString &dir, const QString &target = {})
    {
        MigrateOptions o;
        o.migrationsDir = dir;
        o.target = target;
        return runEngine([&](JobContext &ctx) {
                   Migrator m(params, o);
                   m.load();
                   return QVariant::fromValue(m.migrate(ctx));
               })
            .value<MigrateResult>();
    }

    HistoryRow row(const QString &version, const QDateTime &at, qint64 ms)
    {
        HistoryRow r;
        r.version = version;
        r.installedOn = at;
        r.installedBy = u"alice"_s;
        r.osUser = u"alice"_s;
        r.clientHost = u"ws-7"_s;
        r.executionMs = ms;
        return r;
    }

    TimelineRow entry(const QString &version, const QString &description, MigrationState state, std::optional<HistoryRow> r = {},
                      MismatchKind mismatch = MismatchKind::None)
    {
        TimelineRow t;
        t.entry.version = version;
        t.entry.description = description;
        t.entry.state = state;
        t.entry.mismatch = mismatch;
        t.entry.row = r;
        t.entry.script = version + u"_"_s + description + u".sql"_s;
        t.historyFormat = r ? u"dbops"_s : QString();
        t.hasFile = state != MigrationState::MissingFile;
        t.sql = u"SELECT 1;\n"_s;
        return t;
    }

    /// 0001..0008 in every state; applied at different times (0006 earliest).
    TimelineSnapshot sample()
    {
        const QDateTime t0 = QDateTime(QDate(2026, 2, 3), QTime(9, 0), Qt::UTC);
        TimelineSnapshot s;
        s.profileName = u"shop-dev"_s;
        s.historyFormat = u"dbops"_s;
        s.historyTable = u"public.dbops_schema_history"_s;
        s.currentVersion = u"0006"_s;
        s.rows = {
            entry(u"0001"_s, u"baseline"_s, MigrationState::Baseline, row(u"0001"_s, t0.addSecs(60), 0)),
            entry(u"0002"_s, u"users"_s, MigrationState::Applied, row(u"0002"_s, t0.addSecs(120), 1250)),
            entry(u"0003"_s, u"orders"_s, MigrationState::ChecksumMismatch, row(u"0003"_s, t0.addSecs(180), 40), MismatchKind::LineEndings),
            entry(u"0004"_s, u"late_index"_s, MigrationState::OutOfOrder),
            entry(u"0005"_s, u"gone"_s, MigrationState::MissingFile, row(u"0005"_s, t0.addSecs(240), 7)),
            entry(u"0006"_s, u"concurrent_index"_s, MigrationState::Dirty, row(u"0006"_s, t0.addSecs(-600), 9)),
            entry(u"0007"_s, u"audit"_s, MigrationState::Pending),
            entry(u"0008"_s, u"broken"_s, MigrationState::Failed, row(u"0008"_s, t0.addSecs(300), 3))};
        return s;
    }

    QStringList column(const QAbstractItemModel &m, int role = TimelineModel::VersionRole)
    {
        QStringList out;
        for (int r = 0; r < m.rowCount(); ++r)
            out << m.index(r, 0).data(role).toString();
        return out;
    }
}

class TestTimeline final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void modelShowsEveryState();
    void modelPutsPendingAfterAppliedAndMarksCurrent();
    void filterByStateAndText();
    void sortByAppliedTime();
    void sideBySideShowsLineEndings();
    void planDialogRequiresDatabaseNameOnProduction();
    void matrixFromThreeDatabases();
    void viewAppliesPendingAndShowsFailure();
    void mismatchShowsDiffWithClassification();
    void lockIndicatorShowsOtherSession();
    void productionApplyTakesAVerifiedBackupFirst();
    void modelShowsUnknownValuesAsDash();
    void markAppliedByHandOnProductionAsksReasonAndDatabaseName();

private:
    dbops::test::TestServices m_c;
};

void TestTimeline::initTestCase()
{
    DBOPS_REQUIRE_PG();
    QVERIFY(m_c.start());
    // From here on, a libpq or SQLite call on this (the GUI) thread outside fixture() is counted.
    dbops::test::watchGuiThread();
}

void TestTimeline::cleanupTestCase()
{
    // The whole suite: the views made no libpq and no SQLite call on the GUI thread (the guard's
    // self-test in lockIndicatorShowsOtherSession is the one call excused, counted there).
    dbops::test::verifyGuiThreadClean();
}

void TestTimeline::init()
{
    QVERIFY(m_c.open());
}

void TestTimeline::cleanup()
{
    m_c.close();
}

void TestTimeline::modelShowsEveryState()
{
    TimelineModel model;
    model.setSnapshot(sample());
    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(model.columnCount(), int(TimelineModel::NB_COLUMNS));
    const auto at = [&](const QString &v) { return model.rowOf(v); };

    QCOMPARE(model.index(at(u"0003"_s), TimelineModel::State).data().toString(), u"Checksum mismatch — line endings only"_s);
    QCOMPARE(model.index(at(u"0003"_s), 0).data(TimelineModel::StateRole).toInt(), int(MigrationState::ChecksumMismatch));
    QCOMPARE(model.index(at(u"0004"_s), TimelineModel::State).data().toString(), u"Out of order"_s);
    QCOMPARE(model.index(at(u"0005"_s), TimelineModel::State).data().toString(), u"Missing file"_s);
    QCOMPARE(model.index(at(u"0006"_s), TimelineModel::State).data().toString(), u"Dirty"_s);
    QCOMPARE(model.index(at(u"0008"_s), TimelineModel::State).data().toString(), u"Failed"_s);
    QCOMPARE(model.index(at(u"0001"_s), TimelineModel::State).data().toString(), u"Baseline"_s);

    // Applied at: local time shown, the exact UTC on hover; by; duration; history format.
    const QModelIndex appliedAt = model.index(at(u"0002"_s), TimelineModel::AppliedAt);
    const QDateTime utc(QDate(2026, 2, 3), QTime(9, 2), Qt::UTC);
    QCOMPARE(appliedAt.data().toString(), utc.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s));
    QCOMPARE(appliedAt.data(Qt::ToolTipRole).toString(), u"2026-02-03 09:02:00.000 UTC"_s);
    QCOMPARE(model.index(at(u"0002"_s), TimelineModel::AppliedBy).data().toString(), u"alice"_s);
    QCOMPARE(model.index(at(u"0002"_s), TimelineModel::Duration).data().toString(), QLocale().toString(1.25, 'f', 1) + u" s"_s);
    QCOMPARE(model.index(at(u"0002"_s), TimelineModel::History).data().toString(), u"dbops"_s);
    QCOMPARE(model.index(at(u"0007"_s), TimelineModel::History).data().toString(), QString());

    // Every state has its own icon, word and glyph (reads without colour).
    QSet<QString> labels, glyphs;
    for (int s = 0; s <= int(MigrationState::Dirty); ++s)
    {
        QVERIFY(!statestyle::icon(MigrationState(s)).isNull());
        labels << statestyle::label(MigrationState(s));
        glyphs << statestyle::glyph(MigrationState(s));
    }
    QCOMPARE(labels.size(), 8);
    QCOMPARE(glyphs.size(), 8);
    QVERIFY(!model.index(at(u"0003"_s), TimelineModel::State).data(Qt::DecorationRole).value<QIcon>().isNull());
}

void TestTimeline::modelPutsPendingAfterAppliedAndMarksCurrent()
{
    TimelineModel model;
    model.setSnapshot(sample());
    // Everything the history has (version order), then what is still to run.
    QCOMPARE(column(model), (QStringList{u"0001"_s, u"0002"_s, u"0003"_s, u"0005"_s, u"0006"_s, u"0008"_s, u"0004"_s, u"0007"_s}));
    TimelineFilterModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(TimelineModel::Version, Qt::AscendingOrder);
    QCOMPARE(column(proxy), column(model));
    for (int r = 0; r < model.rowCount(); ++r)
        QCOMPARE(model.index(r, 0).data(TimelineModel::IsPendingRole).toBool(), r >= 6);

    const QModelIndex current = model.index(model.rowOf(u"0006"_s), TimelineModel::Version);
    QVERIFY(current.data(TimelineModel::IsCurrentRole).toBool());
    QCOMPARE(current.data().toString(), u"▶ 0006"_s);
    QVERIFY(current.data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(!model.index(model.rowOf(u"0005"_s), 0).data(TimelineModel::IsCurrentRole).toBool());
}

void TestTimeline::filterByStateAndText()
{
    TimelineModel model;
    model.setSnapshot(sample());
    TimelineFilterModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(TimelineModel::Version);

    proxy.setFilter({{MigrationState::Pending, MigrationState::OutOfOrder}, {}});
    QCOMPARE(column(proxy), (QStringList{u"0004"_s, u"0007"_s}));
    proxy.setFilter({{}, u"ORDERS"_s});
    QCOMPARE(column(proxy), QStringList{u"0003"_s});
    proxy.setFilter({{}, u"line endings"_s}); // the classification is searchable
    QCOMPARE(column(proxy), QStringList{u"0003"_s});
    proxy.setFilter({{MigrationState::Applied}, u"orders"_s});
    QCOMPARE(proxy.rowCount(), 0);
    proxy.setFilter({{MigrationState::Dirty, MigrationState::Failed}, {}});
    QCOMPARE(column(proxy), (QStringList{u"0006"_s, u"0008"_s}));
    proxy.setFilter({});
    QCOMPARE(proxy.rowCount(), 8);

    // The plain filter value on its own.
    const TimelineFilter f{{MigrationState::Applied}, u"use"_s};
    QVERIFY(f.accepts(MigrationState::Applied, u"0002 users"_s));
    QVERIFY(!f.accepts(MigrationState::Pending, u"0002 users"_s));
    QVERIFY(!f.accepts(MigrationState::Applied, u"0003 orders"_s));
}

void TestTimeline::sortByAppliedTime()
{
    TimelineModel model;
    model.setSnapshot(sample());
    TimelineFilterModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(TimelineModel::AppliedAt, Qt::AscendingOrder);
    // 0006 was applied first (09:50 the day before... 10 minutes before t0); pending rows last.
    QCOMPARE(column(proxy), (QStringList{u"0006"_s, u"0001"_s, u"0002"_s, u"0003"_s, u"0005"_s, u"0008"_s, u"0004"_s, u"0007"_s}));
    proxy.sort(TimelineModel::AppliedAt, Qt::DescendingOrder);
    QCOMPARE(column(proxy).mid(2), (QStringList{u"0008"_s, u"0005"_s, u"0003"_s, u"0002"_s, u"0001"_s, u"0006"_s}));
}

void TestTimeline::sideBySideShowsLineEndings()
{
    const auto rows = SideBySideModel::compare(u"CREATE TABLE t (id int);\r\nSELECT 1;\r\n"_s, u"CREATE TABLE t (id int);\nSELECT 1;\n"_s);
    QCOMPARE(rows.size(), 2);
    for (const auto &r : rows)
    {
        QCOMPARE(int(r.kind), int(SideBySideModel::Kind::Changed));
        QVERIFY(r.left.endsWith(u"\\r"_s));
        QVERIFY(!r.right.contains(u"\\r"_s));
    }
    const auto changed = SideBySideModel::compare(u"a\nb\nc\n"_s, u"a\nB\nc\nd\n"_s);
    QCOMPARE(changed.size(), 4);
    QCOMPARE(int(changed.at(0).kind), int(SideBySideModel::Kind::Same));
    QCOMPARE(int(changed.at(1).kind), int(SideBySideModel::Kind::Changed));
    QCOMPARE(changed.at(1).left, u"b"_s);
    QCOMPARE(changed.at(1).right, u"B"_s);
    QCOMPARE(int(changed.at(3).kind), int(SideBySideModel::Kind::Added));
    QCOMPARE(changed.at(3).rightLine, 4);
    QCOMPARE(changed.at(3).leftLine, 0);
}

void TestTimeline::planDialogRequiresDatabaseNameOnProduction()
{
    ConnectionProfile prod;
    prod.name = u"shop-prod"_s;
    prod.environment = Environment::Production;
    prod.host = u"db.example.com"_s;
    prod.database = u"shop"_s;
    PlanContent c;
    c.title = u"Apply pending migrations"_s;
    c.acceptText = u"Apply 1 migration(s)"_s;
    c.items = {{u"0002  users"_s, u"no transaction"_s, u"CREATE INDEX CONCURRENTLY i ON t (a);"_s, true}};
    c.fullSql = u"CREATE INDEX CONCURRENTLY i ON t (a);"_s;
    PlanDialog dialog(prod, c);
    QCOMPARE(dialog.requiredConfirmation(), u"shop"_s);
    QVERIFY(dialog.confirmEdit());
    QVERIFY(!dialog.acceptButton()->isEnabled());
    QTest::keyClicks(dialog.confirmEdit(), u"sho"_s);
    QVERIFY(!dialog.acceptButton()->isEnabled());
    QTest::keyClicks(dialog.confirmEdit(), u"p"_s);
    QVERIFY(dialog.acceptButton()->isEnabled());
    QCOMPARE(dialog.itemsView()->topLevelItem(1)->text(1), u"no transaction"_s);

    ConnectionProfile dev = prod;
    dev.environment = Environment::Development;
    PlanDialog devDialog(dev, c);
    QVERIFY(devDialog.requiredConfirmation().isEmpty());
    QVERIFY(!devDialog.confirmEdit());
    QVERIFY(devDialog.acceptButton()->isEnabled());
}

void TestTimeline::matrixFromThreeDatabases()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeFile(dir.path(), u"0001_users.sql"_s, "CREATE TABLE users (id int);\n");
    writeFile(dir.path(), u"0002_orders.sql"_s, "CREATE TABLE orders (id int);\n");
    writeFile(dir.path(), u"0003_items.sql"_s, "CREATE TABLE items (id int);\n");
    writeFile(dir.path(), u"0004_audit.sql"_s, "CREATE TABLE audit (id int);\n");
    const ConnectParams dev = fixture([] { return PgFixture::newDatabase(u"mdev"_s); }),
                        staging = fixture([] { return PgFixture::newDatabase(u"mstg"_s); }),
                        prod = fixture([] { return PgFixture::newDatabase(u"mprod"_s); });
    QCOMPARE(migrateTo(dev, dir.path()).applied.size(), 4);
    QCOMPARE(migrateTo(staging, dir.path(), u"0003"_s).applied.size(), 3);
    QCOMPARE(migrateTo(prod, dir.path(), u"0002"_s).applied.size(), 2);
    ConnectionProfile gone = profileFor(u"shop-dr"_s, Environment::Other, dev, dir.path(), u"shop"_s);
    gone.host = u"127.0.0.1"_s;
    gone.port = 1; // nothing listens there
    const auto save = [&](const ConnectionProfile &p) { return fixture([&] { return m_c.profiles->save(p); }).has_value(); };
    QVERIFY(save(profileFor(u"shop-prod"_s, Environment::Production, prod, dir.path(), u"shop"_s)));
    QVERIFY(save(profileFor(u"shop-dev"_s, Environment::Development, dev, dir.path(), u"shop"_s)));
    QVERIFY(save(profileFor(u"shop-staging"_s, Environment::Staging, staging, dir.path(), u"shop"_s)));
    QVERIFY(save(gone));
    QVERIFY(save(profileFor(u"other-app"_s, Environment::Development, dev, dir.path(), u"billing"_s)));

    const quint64 before = guiThreadDatabaseCalls();
    const quint64 storeBefore = guiThreadStoreCalls();
    EnvMatrixView view(m_c.jobs.get(), m_c.profiles.get());
    QSignalSpy loaded(&view, &EnvMatrixView::allLoaded);
    view.setProject(u"shop"_s);
    EnvMatrixModel *m = view.model();
    // The profiles are read in a job (the store is never called on the GUI thread).
    QTRY_COMPARE_WITH_TIMEOUT(m->profiles().size(), 4, 60000); // billing's profile is not in the group
    QCOMPARE(view.project(), u"shop"_s);
    // Each column is its own job: the three reachable ones load while the unreachable one retries.
    QTRY_VERIFY_WITH_TIMEOUT(m->status(m->profileIndex(u"shop-prod"_s)) == EnvMatrixModel::ColumnStatus::Loaded, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
    QCOMPARE(guiThreadDatabaseCalls(), before);
    QCOMPARE(guiThreadStoreCalls(), storeBefore);

    QStringList headers;
    for (int c = EnvMatrixModel::FirstEnvironment; c < m->columnCount(); ++c)
        headers << m->headerData(c, Qt::Horizontal).toString().section(u'\n', 0, 0);
    QCOMPARE(headers, (QStringList{u"shop-dev"_s, u"shop-staging"_s, u"shop-prod"_s, u"shop-dr"_s}));
    QCOMPARE(m->rowCount(), 5); // four versions and the drift row
    QCOMPARE(m->driftRow(), 4);
    const auto state = [&](int row, const QString &profile) {
        return m->index(row, EnvMatrixModel::FirstEnvironment + m->profileIndex(profile)).data(EnvMatrixModel::StateRole).toInt();
    };
    QCOMPARE(state(2, u"shop-dev"_s), int(MigrationState::Applied));
    QCOMPARE(state(2, u"shop-staging"_s), int(MigrationState::Applied));
    QCOMPARE(state(2, u"shop-prod"_s), int(MigrationState::Pending));
    QCOMPARE(state(3, u"shop-staging"_s), int(MigrationState::Pending));
    QVERIFY(m->index(2, EnvMatrixModel::FirstEnvironment + m->profileIndex(u"shop-prod"_s)).data(EnvMatrixModel::BehindRole).toBool());
    QCOMPARE(m->missingIn(m->profileIndex(u"shop-prod"_s)), (QStringList{u"0003"_s, u"0004"_s}));
    QCOMPARE(m->missingIn(m->profileIndex(u"shop-staging"_s)), QStringList{u"0004"_s});
    QVERIFY(m->missingIn(m->profileIndex(u"shop-dev"_s)).isEmpty());
    QVERIFY(view.summaryLabel()->text().contains(u"shop-prod is missing 0003, 0004"_s));

    // The unreachable environment shows its error in its own column; the others loaded.
    const int dr = m->profileIndex(u"shop-dr"_s);
    QVERIFY(m->status(dr) == EnvMatrixModel::ColumnStatus::Failed);
    QVERIFY(m->index(0, EnvMatrixModel::FirstEnvironment + dr).data().toString().startsWith(u"✕ unreachable"_s));
    QCOMPARE(view.tableView()->rowSpan(0, EnvMatrixModel::FirstEnvironment + dr), m->rowCount()); // the versions and the drift row
    QVERIFY(view.summaryLabel()->text().contains(u"shop-dr unreachable"_s));
}

void TestTimeline::viewAppliesPendingAndShowsFailure()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeFile(dir.path(), u"0001_users.sql"_s, "CREATE TABLE users (id int);\n");
    writeFile(dir.path(), u"0002_orders.sql"_s, "CREATE TABLE orders (id int);\nINSERT INTO orders VALUES (1);\n");
    writeFile(dir.path(), u"0003_report.sql"_s, "-- a report view\nCREATE VIEW r AS SELECT 1 AS one;\nSELECT * FROM no_such_table;\n");
    writeFile(dir.path(), u"0004_audit.sql"_s, "CREATE TABLE audit (id int);\n");
    const ConnectParams db = fixture([] { return PgFixture::newDatabase(u"tlv"_s); });
    const ConnectionProfile profile = profileFor(u"tl-dev"_s, Environment::Development, db, dir.path());

    const quint64 before = guiThreadDatabaseCalls();
    TimelineView view(m_c.jobs.get(), m_c.profiles.get(), m_c.store.get());
    view.resize(1200, 800);
    view.show();
    QSignalSpy loaded(&view, &TimelineView::timelineLoaded);
    view.setProfile(profile);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
    TimelineModel *m = view.model();
    QCOMPARE(m->rowCount(), 4);
    for (int r = 0; r < 4; ++r)
        QCOMPARE(m->index(r, 0).data(TimelineModel::StateRole).toInt(), int(MigrationState::Pending));

    // Apply pending: the plan first, then the run.
    QPointer<PlanDialog> plan;
    connect(view.actions(), &TimelineActions::planShown, this, [&plan](PlanDialog *d) { plan = d; });
    auto *apply = view.findChild<QPushButton *>(u"applyPending"_s);
    QVERIFY(apply);
    QTRY_VERIFY_WITH_TIMEOUT(apply->isEnabled(), 60000);
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(plan, 60000);
    QCOMPARE(plan->content().items.size(), 4);
    QVERIFY(plan->content().fullSql.contains(u"SELECT * FROM no_such_table"_s));
    QVERIFY(plan->acceptButton()->isEnabled()); // development: no typed confirmation
    QTest::mouseClick(plan->acceptButton(), Qt::LeftButton);

    // 0001 and 0002 turn applied; 0003 fails with its statement, line and SQLSTATE; 0004 stays pending.
    const auto stateOf = [&](const QString &v) { return m->index(m->rowOf(v), 0).data(TimelineModel::StateRole).toInt(); };
    QTRY_VERIFY_WITH_TIMEOUT(view.errorBanner()->isVisible(), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(u"0002"_s), int(MigrationState::Applied), 60000);
    QCOMPARE(stateOf(u"0001"_s), int(MigrationState::Applied));
    QCOMPARE(stateOf(u"0003"_s), int(MigrationState::Pending));
    QCOMPARE(stateOf(u"0004"_s), int(MigrationState::Pending));
    const QString error = view.errorBanner()->text();
    QVERIFY2(error.contains(u"0003"_s) && error.contains(u"line 3"_s) && error.contains(u"42P01"_s) && error.contains(u"statement 2"_s),
             qPrintable(error));
    QVERIFY(error.contains(u"no_such_table"_s));
    // The failing file is open at the failing line.
    QCOMPARE(view.detail()->shownVersion(), u"0003"_s);
    QTRY_COMPARE_WITH_TIMEOUT(view.detail()->tabs()->currentIndex(), int(MigrationDetail::SqlTab), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(view.detail()->sqlView()->textCursor().blockNumber(), 2, 60000);
    QCOMPARE(view.selectedVersion(), u"0003"_s);

    // Fixed, applied again: every row turns applied and 0004 is the current version.
    writeFile(dir.path(), u"0003_report.sql"_s, "-- a report view\nCREATE VIEW r AS SELECT 1 AS one;\nSELECT 2;\n");
    const int loads = int(loaded.count());
    view.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > loads, 60000);
    plan = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(apply->isEnabled(), 60000);
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(plan, 60000);
    QCOMPARE(plan->content().items.size(), 2);
    QTest::mouseClick(plan->acceptButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(u"0004"_s), int(MigrationState::Applied), 60000);
    QCOMPARE(stateOf(u"0003"_s), int(MigrationState::Applied));
    QVERIFY(m->index(m->rowOf(u"0004"_s), 0).data(TimelineModel::IsCurrentRole).toBool());
    QVERIFY(!m->index(m->rowOf(u"0004"_s), TimelineModel::AppliedAt).data().toString().isEmpty());

    // The GUI thread made no database call while the view did all of this.
    QCOMPARE(guiThreadDatabaseCalls(), before);
}

void TestTimeline::mismatchShowsDiffWithClassification()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeFile(dir.path(), u"0001_users.sql"_s, "CREATE TABLE users (id int);\nCREATE INDEX users_id ON users (id);\n");
    const ConnectParams db = fixture([] { return PgFixture::newDatabase(u"tlm"_s); });
    QCOMPARE(migrateTo(db, dir.path()).applied.size(), 1);
    // git on Windows: the same file with CRLF.
    writeFile(dir.path(), u"0001_users.sql"_s, "CREATE TABLE users (id int);\r\nCREATE INDEX users_id ON users (id);\r\n");

    const quint64 before = guiThreadDatabaseCalls();
    TimelineView view(m_c.jobs.get(), m_c.profiles.get(), m_c.store.get());
    QSignalSpy loaded(&view, &TimelineView::timelineLoaded);
    view.setProfile(profileFor(u"tl-mm"_s, Environment::Development, db, dir.path()));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
    view.selectVersion(u"0001"_s);
    TimelineModel *m = view.model();
    QCOMPARE(m->index(0, 0).data(TimelineModel::StateRole).toInt(), int(MigrationState::ChecksumMismatch));
    QCOMPARE(m->index(0, TimelineModel::State).data().toString(), u"Checksum mismatch — line endings only"_s);
    MigrationDetail *d = view.detail();
    QCOMPARE(d->tabs()->currentIndex(), int(MigrationDetail::DiffTab));
    QVERIFY(d->diffHeader()->text().contains(u"line endings only"_s));
    QCOMPARE(d->diffModel()->rowCount(), 2);
    QCOMPARE(d->diffModel()->changedRows(), 2);
    QVERIFY(d->diffModel()->index(0, SideBySideModel::RightText).data().toString().endsWith(u"\\r"_s));

    // Validate shows its result on the rows.
    QSignalSpy validated(view.actions(), &TimelineActions::validated);
    view.actions()->validate();
    QTRY_COMPARE_WITH_TIMEOUT(validated.count(), 1, 60000);
    QVERIFY(m->index(0, TimelineModel::Check).data().toString().startsWith(u"✕"_s));
    QVERIFY(!view.tableView()->header()->isSectionHidden(TimelineModel::Check));
    QCOMPARE(guiThreadDatabaseCalls(), before);
}

void TestTimeline::lockIndicatorShowsOtherSession()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeFile(dir.path(), u"0001_users.sql"_s, "CREATE TABLE users (id int);\n");
    const ConnectParams db = fixture([] { return PgFixture::newDatabase(u"tll"_s); });
    QCOMPARE(migrateTo(db, dir.path()).applied.size(), 1);
    // Another session holds the migration lock (the key of the history this database keeps).
    auto other = fixture([&] { return PgFixture::connect(db); });
    const qint64 key = fixture([&] {
        auto history = resolveHistory(*other, {}, {}, nullptr);
        const qint64 k = history->lockKey(*other, nullptr);
        other->exec(u"SELECT pg_advisory_lock($1)"_s, {k});
        return k;
    });

    const quint64 before = guiThreadDatabaseCalls();
    TimelineView view(m_c.jobs.get(), m_c.profiles.get(), m_c.store.get());
    view.show();
    view.setProfile(profileFor(u"tl-lock"_s, Environment::Development, db, dir.path()));
    LockIndicator *lock = view.lockIndicator();
    QTRY_COMPARE_WITH_TIMEOUT(int(lock->kind()), int(LockIndicator::Kind::HeldByOther), 60000);
    QCOMPARE(lock->holderPid(), other->backendPid());
    QVERIFY(lock->text().contains(u"pid %1"_s.arg(other->backendPid())));
    QCOMPARE(guiThreadDatabaseCalls(), before);

    fixture([&] { other->exec(u"SELECT pg_advisory_unlock($1)"_s, {key}); });
    // Updated live (every 2 s while visible).
    QTRY_COMPARE_WITH_TIMEOUT(int(lock->kind()), int(LockIndicator::Kind::Free), 60000);
    QCOMPARE(guiThreadDatabaseCalls(), before);

    // The guard itself: calls made on the watched thread are counted, one for one. These are the
    // only ones cleanupTestCase excuses (countedOnGuiThread), so every other one still fails the suite.
    QVERIFY(countedOnGuiThread([&] { auto onGuiThread = PgFixture::connect(db); }) >= 1);
    QCOMPARE(countedOnGuiThread([&] { other->exec(u"SELECT 1"_s); }), quint64(1));
    QCOMPARE(countedOnGuiThread([] {}), quint64(0));
}

void TestTimeline::productionApplyTakesAVerifiedBackupFirst()
{
    // The timeline's apply job on a production profile: a verified backup first, referenced by
    // every history row it writes.
    QTemporaryDir dir;
    writeFile(dir.path(), u"1_a.sql"_s, "CREATE TABLE a (x int);");
    writeFile(dir.path(), u"2_b.sql"_s, "CREATE TABLE b (x int);");
    const ConnectParams db = fixture([] { return PgFixture::newDatabase(u"prodbackup"_s); });
    auto saved = fixture([&] { return m_c.profiles->save(profileFor(u"shop-prod"_s, Environment::Production, db, dir.path())); });
    QVERIFY(saved.has_value());
    TimelineTarget target{*saved, {}, dir.path(), m_c.profiles.get(), m_c.store.get()};
    // The confirmation the plan dialog collected (production): the operation checks it.
    TypedJob<MigrateResult> job(u"apply"_s, [target](JobContext &jc) {
        return ops::migrate(timelinejobs::request(target, ops::confirmationWord(target.profile)), jc);
    });
    // The operation itself, run here as its job's body (what the view runs on a worker).
    fixture([&] { job.run(); });
    QVERIFY2(job.state() == JobState::Succeeded, qPrintable(job.error().toString()));
    QCOMPARE(job.value()->applied.size(), 2);
    auto conn = fixture([&] { return PgFixture::connect(db); });
    const QueryResult rows = fixture([&] { return conn->exec(u"SELECT DISTINCT backup_id FROM dbops_schema_history"_s); });
    QCOMPARE(rows.rowCount(), 1);
    QVERIFY(!rows.isNull(0, u"backup_id"_s));
    QSqlQuery q = fixture([&] { return QSqlQuery(m_c.store->database()); });
    QVERIFY(fixture([&] { return q.exec(u"SELECT count(*) FROM backups WHERE id = %1"_s.arg(rows.text(0, u"backup_id"_s))) && q.next(); }));
    QCOMPARE(q.value(0).toInt(), 1);
}

void TestTimeline::modelShowsUnknownValuesAsDash()
{
    // A plain history's row: no duration, no user, no time (seed 002's table kept none of them).
    HistoryRow foreign;
    foreign.version = u"0002"_s;
    TimelineSnapshot s = sample();
    s.rows[1].entry.row = foreign;
    TimelineModel model;
    model.setSnapshot(s);
    const int r = model.rowOf(u"0002"_s);
    QCOMPARE(model.index(r, TimelineModel::Duration).data().toString(), u"—"_s); // never "-1 ms"
    QCOMPARE(model.index(r, TimelineModel::AppliedBy).data().toString(), u"—"_s);
    QCOMPARE(model.index(r, TimelineModel::AppliedAt).data().toString(), u"—"_s);
    // A pending entry has no history row: nothing, not "—".
    QCOMPARE(model.index(model.rowOf(u"0007"_s), TimelineModel::Duration).data().toString(), QString());
}

void TestTimeline::markAppliedByHandOnProductionAsksReasonAndDatabaseName()
{
    // Seed 001: 0002 was run by hand; the timeline records it as such, on production, as a Job.
    QTemporaryDir dir;
    writeFile(dir.path(), u"0001_a.sql"_s, "CREATE TABLE a (x int);\n");
    writeFile(dir.path(), u"0002_jobs.sql"_s, "CREATE TABLE jobs (id int);\n");
    writeFile(dir.path(), u"0003_c.sql"_s, "CREATE TABLE c (x int);\n");
    const ConnectParams db = fixture([] { return PgFixture::newDatabase(u"tlmark"_s); });
    QCOMPARE(migrateTo(db, dir.path(), u"0001"_s).applied.size(), 1);
    auto conn = fixture([&] { return PgFixture::connect(db); });
    fixture([&] { conn->exec(u"CREATE TABLE jobs (id int)"_s); }); // what the DBA ran by hand
    auto saved = fixture([&] { return m_c.profiles->save(profileFor(u"tl-mark-prod"_s, Environment::Production, db, dir.path())); });
    QVERIFY(saved.has_value());

    const quint64 before = guiThreadDatabaseCalls();
    TimelineView view(m_c.jobs.get(), m_c.profiles.get(), m_c.store.get());
    view.resize(1200, 800);
    view.show();
    QSignalSpy loaded(&view, &TimelineView::timelineLoaded);
    view.setProfile(*saved);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
    TimelineModel *m = view.model();
    const auto stateOf = [&](const QString &v) { return m->index(m->rowOf(v), 0).data(TimelineModel::StateRole).toInt(); };
    QCOMPARE(stateOf(u"0002"_s), int(MigrationState::Pending));

    auto *mark = view.findChild<QPushButton *>(u"markApplied"_s);
    QVERIFY(mark);
    view.selectVersion(u"0001"_s);
    QVERIFY(!mark->isEnabled()); // an applied row
    view.selectVersion(u"0002"_s);
    QTRY_VERIFY(mark->isEnabled());
    QPointer<PlanDialog> plan;
    connect(view.actions(), &TimelineActions::planShown, this, [&plan](PlanDialog *d) { plan = d; });
    QTest::mouseClick(mark, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(plan, 20000);
    const QString summary = plan->content().summaryHtml;
    QVERIFY2(summary.contains(u"without running it"_s) && summary.contains(u"marked by hand"_s), qPrintable(summary));
    QVERIFY2(summary.contains(u"database role <b>%1</b>"_s.arg(db.value(u"user"_s))), qPrintable(summary));
    QVERIFY(plan->content().fullSql.contains(u"why:"_s));
    QVERIFY(plan->content().items.value(0).sql.contains(u"CREATE TABLE jobs"_s));
    // A reason and, on production, the database name: both, before it can be accepted.
    QVERIFY(plan->reasonEdit());
    QVERIFY(plan->confirmEdit());
    QVERIFY(!plan->acceptButton()->isEnabled());
    plan->reasonEdit()->setText(u"we ran 0002 by hand during the incident"_s);
    QVERIFY(!plan->acceptButton()->isEnabled());
    plan->confirmEdit()->setText(plan->requiredConfirmation());
    QVERIFY(plan->acceptButton()->isEnabled());
    plan->reasonEdit()->setText(u"   "_s);
    QVERIFY(!plan->acceptButton()->isEnabled());
    plan->reasonEdit()->setText(u"we ran 0002 by hand during the incident"_s);
    QSignalSpy finished(view.actions(), &TimelineActions::actionFinished);
    QTest::mouseClick(plan->acceptButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
    QVERIFY2(finished.at(0).at(1).toString().contains(u"Marked 0002 applied by hand; recorded in the dbops history"_s),
             qPrintable(finished.at(0).at(1).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(u"0002"_s), int(MigrationState::Applied), 20000);
    QCOMPARE(stateOf(u"0003"_s), int(MigrationState::Pending));
    QCOMPARE(guiThreadDatabaseCalls(), before);

    const QueryResult row = fixture([&] {
        return conn->exec(u"SELECT applied_sql IS NULL, dbops_version, execution_ms FROM dbops_schema_history "
                          u"WHERE version = '0002' AND type = 'SQL'"_s);
    });
    QCOMPARE(row.rowCount(), 1);
    QVERIFY(row.value(0, 0).toBool());
    QVERIFY(row.value(0, 1).toString().endsWith(u", marked by hand"_s));
    const QueryResult repairRow =
        fixture([&] { return conn->exec(u"SELECT description FROM dbops_schema_history WHERE version = '0002' AND type = 'REPAIR'"_s); });
    QVERIFY(repairRow.value(0, 0).toString().contains(u"we ran 0002 by hand during the incident"_s));
    QSqlQuery q = fixture([&] { return QSqlQuery(m_c.store->database()); });
    QVERIFY(fixture([&] {
        return q.exec(u"SELECT count(*) FROM audit_log WHERE action = 'mark-applied' AND profile = 'tl-mark-prod' AND outcome = 'ok'"_s)
               && q.next();
    }));
    QCOMPARE(q.value(0).toInt(), 1);
}

QTEST_MAIN(TestTimeline)
#include "test_timeline.moc"
