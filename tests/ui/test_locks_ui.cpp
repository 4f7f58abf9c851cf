// The lock view against a real PostgreSQL 15 with a real blocking chain, offscreen (STYLE T2/T4):
// the tree shows root blocker -> waiter -> waiter, and selection and expansion survive refreshes
// because the models update rows in place.

#include "core/db/pgconnection.h"
#include "core/jobs/jobmanager.h"
#include "core/locks/lockmonitor.h"
#include "core/ops/lockops.h"
#include "core/store/auditlog.h"
#include "core/store/store.h"
#include "tests/support/guithreadwatch.h"
#include "tests/support/locksview.h"
#include "tests/support/pgfixture.h"
#include "tests/support/sessions.h"
#include "ui/locks/blockingtreemodel.h"
#include "ui/locks/locksview.h"
#include "ui/locks/migrationlockmodel.h"
#include "ui/locks/sessionfiltermodel.h"
#include "ui/locks/sessiontablemodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::PgFixture;
using dbops::test::refreshOnce;
using dbops::test::refreshUntil;
using dbops::test::SessionThread;

namespace
{
    ConnectionProfile profileFor(const ConnectParams &params, Environment env = Environment::Development)
    {
        return dbops::test::profileFor(u"locks-ui"_s, env, params);
    }
}

class TestLocksUi final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        QVERIFY(m_home.isValid());
        qputenv("DBOPS_HOME", m_home.path().toUtf8());
        QCoreApplication::setOrganizationName(u"dbops-test"_s);
        QCoreApplication::setApplicationName(u"test_locks_ui"_s);
        dbops::test::watchGuiThread(); // the view and the monitor make no libpq/SQLite call on it
    }

    void cleanupTestCase() { dbops::test::verifyGuiThreadClean(); }

    void chainTreeAndSelectionSurviveRefresh()
    {
        auto setup = std::make_unique<dbops::test::FixtureWork>(); // the test's own sessions and store
        const ConnectParams params = PgFixture::newDatabase(u"lockui"_s);
        auto admin = PgFixture::connect(params);
        admin->exec(u"CREATE TABLE orders (id int PRIMARY KEY, state text); INSERT INTO orders VALUES (1, 'new'), (2, 'new')"_s);
        SessionThread a(params, u"billing-worker"_s, {u"BEGIN"_s, u"UPDATE orders SET state = 'paid' WHERE id = 1"_s});
        QVERIFY(a.wait(60000));
        SessionThread b(params, u"api"_s, {u"UPDATE orders SET state = 'cancelled' WHERE id = 1"_s});
        QVERIFY(b.pid() > 0);
        // C must queue behind B, not before it: B waits on A's row before C asks for the table.
        QVERIFY(b.waitUntilBlocked());
        SessionThread c(params, u"migrator"_s, {u"BEGIN"_s, u"LOCK TABLE orders IN ACCESS EXCLUSIVE MODE"_s, u"COMMIT"_s});
        QVERIFY(c.pid() > 0);

        Store store;
        QVERIFY(store.open().has_value());
        setup.reset();
        JobManager jobs;
        LockMonitor monitor(jobs, nullptr, &store);
        LocksView view(&monitor);
        view.resize(1400, 800);
        view.show();
        view.setRefreshSeconds(30); // the test drives refreshes itself
        QAbstractItemModelTester treeTester(view.treeModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester tableTester(view.sessionModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.setTarget(profileFor(params));

        BlockingTreeModel *tree = view.treeModel();
        QVERIFY(refreshUntil(view, monitor, [&] {
            const QModelIndex ic = tree->indexOfPid(c.pid());
            return ic.isValid() && ic.parent().data(BlockingTreeModel::PidRole).toInt() == b.pid();
        }));
        // Root blocker -> waiter -> waiter.
        const QModelIndex ia = tree->indexOfPid(a.pid());
        QVERIFY(ia.isValid());
        QVERIFY(!ia.parent().isValid());
        const QModelIndex ib = tree->indexOfPid(b.pid());
        QCOMPARE(ib.parent(), ia);
        QCOMPARE(tree->indexOfPid(c.pid()).parent(), ib);
        QVERIFY(ia.siblingAtColumn(BlockingTreeModel::State).data().toString().contains(u"idle in transaction"_s));
        QVERIFY(ia.siblingAtColumn(BlockingTreeModel::State).data().toString().contains(u"blocks 2"_s));
        QCOMPARE(ib.siblingAtColumn(BlockingTreeModel::User).data().toString(), params.value(u"user"_s));
        QCOMPARE(ib.siblingAtColumn(BlockingTreeModel::Application).data().toString(), u"api"_s);
        QCOMPARE(tree->indexOfPid(c.pid()).siblingAtColumn(BlockingTreeModel::Mode).data().toString(), u"AccessExclusiveLock"_s);
        QVERIFY(tree->indexOfPid(c.pid()).siblingAtColumn(BlockingTreeModel::Target).data().toString().startsWith(u"public.orders"_s));
        QVERIFY(ib.siblingAtColumn(BlockingTreeModel::Query).data().toString().contains(u"cancelled"_s));
        QVERIFY(view.treeView()->isExpanded(ia));
        QVERIFY(view.treeView()->isExpanded(ib));
        QVERIFY(ia.data(BlockingTreeModel::IdleInTransactionRole).toBool());
        QVERIFY(ia.data(Qt::BackgroundRole).isValid()); // flagged

        // Select B, collapse nothing, refresh several times: the same row stays selected, A and B stay expanded.
        view.treeView()->setCurrentIndex(ib);
        QCOMPARE(view.selectedPid(), b.pid());
        QSignalSpy resets(tree, &QAbstractItemModel::modelReset);
        QSignalSpy removed(tree, &QAbstractItemModel::rowsRemoved);
        for (int i = 0; i < 3; ++i)
        {
            QVERIFY(refreshOnce(view, monitor));
        }
        QCOMPARE(resets.count(), 0);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(view.treeView()->currentIndex().data(BlockingTreeModel::PidRole).toInt(), b.pid());
        QVERIFY(view.treeView()->selectionModel()->isRowSelected(view.treeView()->currentIndex().row(),
                                                                 view.treeView()->currentIndex().parent()));
        QVERIFY(view.treeView()->isExpanded(tree->indexOfPid(a.pid())));
        QCOMPARE(view.selectedPid(), b.pid());

        // The session table selection survives too, and its filter is the core SessionFilter.
        QTableView *table = view.sessionView();
        const QModelIndex rowA =
            view.sessionFilterModel()->mapFromSource(view.sessionModel()->index(view.sessionModel()->rowOfPid(a.pid()), 0));
        table->setCurrentIndex(rowA);
        {
            QVERIFY(refreshOnce(view, monitor));
        }
        QCOMPARE(table->currentIndex().data(SessionTableModel::PidRole).toInt(), a.pid());
        view.sessionFilterModel()->setFilter({SessionFilter::Category::Waiting, {}});
        QCOMPARE(view.sessionFilterModel()->rowCount(), 2);
        view.sessionFilterModel()->setFilter({});
        // Filtering A out moved the current row; select A again for the actions below.
        table->setCurrentIndex(
            view.sessionFilterModel()->mapFromSource(view.sessionModel()->index(view.sessionModel()->rowOfPid(a.pid()), 0)));
        QCOMPARE(view.selectedPid(), a.pid());

        // Copy the session as text for a ticket.
        view.copySelectedSession();
        QVERIFY(QApplication::clipboard()->text().contains(u"pid %1"_s.arg(a.pid())));
        view.copySelectedQuery();
        QVERIFY(QApplication::clipboard()->text().contains(u"paid"_s));

        // Terminate A through the view: confirmation names pid/user/query, the result is reported
        // and audited, and the chain dissolves on the next refresh.
        BackendSession confirmedFor;
        view.setConfirmer([&](QWidget *, const BackendSession &s, BackendSignal signal, bool production) {
            confirmedFor = s;
            return signal == BackendSignal::Terminate && !production;
        });
        QSignalSpy ok(&view, &LocksView::signalFinished); // the view runs the terminate operation (issue 11)
        view.terminateSelected();
        QTRY_VERIFY_WITH_TIMEOUT(!ok.isEmpty(), 60000);
        QVERIFY2(ok.first().at(0).toBool(), qPrintable(ok.first().at(1).toString()));
        QCOMPARE(confirmedFor.pid, a.pid());
        QVERIFY(confirmedFor.query.contains(u"paid"_s));
        QVERIFY(view.lastActionText().contains(QString::number(a.pid())));
        QVERIFY(c.wait(60000));
        QVERIFY(refreshUntil(view, monitor, [&] { return tree->rowCount() == 0; }));
        const auto audit = dbops::test::fixture([&] { return AuditLog(store).recent(10); });
        QVERIFY(audit.has_value());
        QVERIFY(!audit->isEmpty());
        QCOMPARE(audit->first().action, u"terminate"_s);
        QCOMPARE(audit->first().outcome, u"ok"_s);
        QVERIFY(audit->first().target.contains(QString::number(a.pid())));

        // A pid that no longer exists is reported as such.
        // (The cancel operation, core/ops/lockops.h, replaces LockMonitor::signalBackend.)
        const ops::Target target{monitor.profile(), {}, &store, nullptr};
        const int gone = a.pid();
        const auto failed = jobs.run(makeJob<SignalResult>(
            u"cancel"_s, [target, gone](JobContext &jc) { return ops::signalBackend(target, gone, BackendSignal::Cancel, {}, jc); }));
        QVERIFY(failed.error.has_value());
        QCOMPARE(failed.error->code, ErrorCode::NotFound);
    }

private:
    QTemporaryDir m_home;
};

QTEST_MAIN(TestLocksUi)
#include "test_locks_ui.moc"
