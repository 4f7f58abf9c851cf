// The Locks view against a real PostgreSQL with real sessions and lock chains, offscreen (issue 12):
// the selection is a pid, not a row; what was not sent is an error with its reason; the header says
// what the filter hides; the tree's columns are never clipped and the view fits 1280x800.

#include "core/jobs/jobmanager.h"
#include "core/locks/lockmonitor.h"
#include "core/logging/logbuffer.h"
#include "core/store/store.h"
#include "tests/support/locksview.h"
#include "tests/support/pgfixture.h"
#include "tests/support/sessions.h"
#include "ui/locks/blockingtreemodel.h"
#include "ui/locks/locksview.h"
#include "ui/locks/sessionfiltermodel.h"
#include "ui/locks/sessiontablemodel.h"

#include <QAction>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QHeaderView>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocumentFragment>
#include <QTreeView>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::PgFixture;
using dbops::test::refreshOnce;
using dbops::test::refreshUntil;
using dbops::test::SessionThread;

namespace
{

    int pidOf(const QModelIndex &index)
    {
        return index.data(BlockingTreeModel::PidRole).toInt();
    }

    QString plain(const QString &html)
    {
        return QTextDocumentFragment::fromHtml(html).toPlainText().simplified();
    }

    void terminate(PgConnection &admin, int pid)
    {
        admin.exec(u"SELECT pg_terminate_backend($1)"_s, {pid});
    }

    bool gone(PgConnection &admin, int pid)
    {
        return admin.exec(u"SELECT count(*) FROM pg_stat_activity WHERE pid = $1"_s, {pid}).value(0, 0).toInt() == 0;
    }

    qint64 lastLogId()
    {
        const QList<LogRecord> all = LogBuffer::instance()->records();
        return all.isEmpty() ? 0 : all.last().id;
    }

    bool loggedAtError(qint64 after, const QString &needle)
    {
        for (const LogRecord &r : LogBuffer::instance()->records(after))
            if (r.level >= LogLevel::Error && r.message.contains(needle))
                return true;
        return false;
    }
}

class TestLocksViewUi final : public QObject
{
    Q_OBJECT

    std::unique_ptr<Store> m_store;
    std::unique_ptr<JobManager> m_jobs;
    QTemporaryDir m_home;

    /// A view and its monitor on `profile`, refreshed by the test only.
    struct Fixture
    {
        std::unique_ptr<LockMonitor> monitor;
        std::unique_ptr<LocksView> view;
    };
    Fixture open(const ConnectionProfile &profile, const QString &password = {}, QSize size = {1400, 800})
    {
        Fixture f;
        f.monitor = std::make_unique<LockMonitor>(*m_jobs, nullptr, m_store.get());
        f.view = std::make_unique<LocksView>(f.monitor.get());
        f.view->resize(size);
        f.view->show();
        f.view->setRefreshSeconds(30); // the test drives refreshes itself
        f.view->setTarget(profile, password);
        return f;
    }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        QVERIFY(m_home.isValid());
        dbops::test::usePrivateHome(m_home.path()); // logs to the in-app buffer only
        QCoreApplication::setOrganizationName(u"dbops-test"_s);
        QCoreApplication::setApplicationName(u"test_locks_view_ui"_s);
        m_store = std::make_unique<Store>();
        QVERIFY(m_store->open().has_value());
        m_jobs = std::make_unique<JobManager>();
    }

    void cleanupTestCase()
    {
        if (m_jobs)
            m_jobs->shutdown(10000);
    }

    /// Select a pid in a chain; sessions come and go, the chain re-forms around it, the monitor
    /// refreshes: the same pid stays selected (tree and table) and what the user collapsed stays
    /// collapsed. When it ends: nothing selected, Cancel and Terminate disabled.
    void selectionAndExpansionFollowThePid()
    {
        const ConnectParams params = PgFixture::newDatabase(u"lockview_sel"_s);
        auto admin = PgFixture::connect(params);
        admin->exec(u"CREATE TABLE orders (id int PRIMARY KEY, state text); INSERT INTO orders VALUES (1, 'new'), (2, 'new')"_s);
        // A (idle in transaction) <- B (row) <- C (table, queued) <- D (behind C's request).
        SessionThread a(params, u"holder"_s, {u"BEGIN"_s, u"UPDATE orders SET state = 'paid' WHERE id = 1"_s});
        QVERIFY(a.wait(60000));
        SessionThread b(params, u"api"_s, {u"UPDATE orders SET state = 'cancelled' WHERE id = 1"_s});
        QVERIFY(b.waitUntilBlocked());
        SessionThread c(params, u"migrator"_s, {u"BEGIN"_s, u"LOCK TABLE orders IN ACCESS EXCLUSIVE MODE"_s, u"COMMIT"_s});
        QVERIFY(c.waitUntilBlocked());
        SessionThread d(params, u"report"_s, {u"SELECT count(*) FROM orders"_s});
        QVERIFY(d.waitUntilBlocked());

        Fixture f = open(dbops::test::profileFor(u"lockview"_s, Environment::Development, params));
        LocksView &view = *f.view;
        BlockingTreeModel *tree = view.treeModel();
        QVERIFY(refreshUntil(view, *f.monitor, [&] {
            const QModelIndex id = tree->indexOfPid(d.pid());
            return id.isValid() && pidOf(id.parent()) == c.pid() && pidOf(id.parent().parent()) == b.pid();
        }));

        // The user selects C in the tree and collapses it.
        const QModelIndex ic = tree->indexOfPid(c.pid());
        view.treeView()->setCurrentIndex(ic);
        view.treeView()->collapse(ic);
        QCOMPARE(view.selectedPid(), c.pid());
        QCOMPARE(view.sessionView()->currentIndex().data(SessionTableModel::PidRole).toInt(), c.pid()); // one selection, both views
        QVERIFY(view.terminateAction()->isEnabled());
        QVERIFY(view.detailText().contains(u"LOCK TABLE orders IN ACCESS EXCLUSIVE MODE"_s));

        // Sessions come and go around it.
        for (int round = 0; round < 3; ++round)
        {
            auto noise1 = std::make_unique<SessionThread>(params, u"noise"_s, QStringList{u"SELECT 1"_s});
            auto noise2 = std::make_unique<SessionThread>(params, u"noise"_s, QStringList{u"SELECT 2"_s});
            const int n1 = noise1->pid(), n2 = noise2->pid();
            QVERIFY(refreshUntil(view, *f.monitor,
                                 [&] { return view.sessionModel()->rowOfPid(n1) >= 0 && view.sessionModel()->rowOfPid(n2) >= 0; }));
            QCOMPARE(view.selectedPid(), c.pid());
            noise1.reset();
            noise2.reset();
            QVERIFY(refreshUntil(view, *f.monitor,
                                 [&] { return view.sessionModel()->rowOfPid(n1) < 0 && view.sessionModel()->rowOfPid(n2) < 0; }));
            QCOMPARE(view.selectedPid(), c.pid());
            QCOMPARE(pidOf(view.treeView()->currentIndex()), c.pid());
            QCOMPARE(view.sessionView()->currentIndex().data(SessionTableModel::PidRole).toInt(), c.pid());
            QVERIFY(!view.treeView()->isExpanded(tree->indexOfPid(c.pid())));
        }

        // B ends: C now waits on A directly, so its row leaves B's subtree and comes back under A.
        // Qt moves the current index off a removed row onto a neighbour (another pid); the view
        // puts the selection back on C, and C stays collapsed.
        terminate(*admin, b.pid());
        QVERIFY(refreshUntil(view, *f.monitor, [&] { return pidOf(tree->indexOfPid(c.pid()).parent()) == a.pid(); }));
        QCOMPARE(view.selectedPid(), c.pid());
        QCOMPARE(pidOf(view.treeView()->currentIndex()), c.pid());
        QVERIFY(view.treeView()->selectionModel()->isRowSelected(view.treeView()->currentIndex().row(),
                                                                 view.treeView()->currentIndex().parent()));
        QCOMPARE(view.sessionView()->currentIndex().data(SessionTableModel::PidRole).toInt(), c.pid());
        QVERIFY(!view.treeView()->isExpanded(tree->indexOfPid(c.pid())));
        QVERIFY(view.treeView()->isExpanded(tree->indexOfPid(a.pid())));

        // The filter hides C from the table; the tree still shows it, so it stays selected; the
        // filter lifted, the table shows it selected again.
        view.filterEdit()->setText(u"no-such-session"_s);
        QCOMPARE(view.selectedPid(), c.pid());
        view.filterEdit()->clear();
        QCOMPARE(view.sessionView()->currentIndex().data(SessionTableModel::PidRole).toInt(), c.pid());

        // C ends: nothing is selected and nothing can be signalled.
        terminate(*admin, c.pid());
        QVERIFY(refreshUntil(view, *f.monitor, [&] { return view.sessionModel()->rowOfPid(c.pid()) < 0; }));
        QCOMPARE(view.selectedPid(), 0);
        QVERIFY(!view.treeView()->currentIndex().isValid());
        QVERIFY(!view.treeView()->selectionModel()->hasSelection());
        QVERIFY(!view.sessionView()->currentIndex().isValid());
        QVERIFY(!view.sessionView()->selectionModel()->hasSelection());
        QVERIFY(!view.cancelAction()->isEnabled());
        QVERIFY(!view.terminateAction()->isEnabled());
        QVERIFY(view.detailText().isEmpty());
    }

    /// The header says what the table shows and what its filter hides.
    void headerSaysWhatTheFilterHides()
    {
        const ConnectParams params = PgFixture::newDatabase(u"lockview_hdr"_s);
        SessionThread s1(params, u"hdr-one"_s, {u"SELECT 1"_s});
        SessionThread s2(params, u"hdr-two"_s, {u"SELECT 1"_s});
        QVERIFY(s1.pid() > 0 && s2.pid() > 0);
        Fixture f = open(dbops::test::profileFor(u"lockview"_s, Environment::Development, params));
        LocksView &view = *f.view;
        QVERIFY(refreshUntil(view, *f.monitor, [&] { return view.sessionModel()->rowOfPid(s2.pid()) >= 0; }));
        view.categoryBox()->setCurrentIndex(view.categoryBox()->findData(int(SessionFilter::Category::All)));
        const int total = int(view.sessionModel()->snapshot().sessions.size());
        QCOMPARE(view.sessionFilterModel()->rowCount(), total);
        QVERIFY2(plain(view.countsText()).startsWith(u"%1 sessions"_s.arg(total)), qPrintable(plain(view.countsText())));

        view.filterEdit()->setText(u"no-such-session"_s);
        QCOMPARE(view.sessionFilterModel()->rowCount(), 0);
        QVERIFY2(plain(view.countsText()).startsWith(u"0 of %1 sessions shown (filter: “no-such-session”)"_s.arg(total)),
                 qPrintable(plain(view.countsText())));

        view.filterEdit()->setText(u"hdr-one"_s);
        view.categoryBox()->setCurrentIndex(view.categoryBox()->findData(int(SessionFilter::Category::ClientBackends)));
        QCOMPARE(view.sessionFilterModel()->rowCount(), 1);
        QVERIFY2(plain(view.countsText()).startsWith(u"1 of %1 sessions shown (filter: Client backends, “hdr-one”)"_s.arg(total)),
                 qPrintable(plain(view.countsText())));
        // It stays true across refreshes.
        QVERIFY(refreshOnce(view, *f.monitor));
        const int totalNow = int(view.sessionModel()->snapshot().sessions.size());
        QVERIFY2(plain(view.countsText()).startsWith(u"1 of %1 sessions shown"_s.arg(totalNow)), qPrintable(plain(view.countsText())));
    }

    /// Nothing sent is an error (error colour, logged at error), with its reason: not confirmed,
    /// the pid typed wrong on production, already gone, not permitted (a plain role).
    void notSentIsAnErrorWithItsReason()
    {
        const ConnectParams params = PgFixture::newDatabase(u"lockview_sig"_s);
        auto admin = PgFixture::connect(params);
        SessionThread victim(params, u"victim"_s, {u"SELECT pg_sleep(600)"_s});
        const int pid = victim.pid();
        Fixture f = open(dbops::test::profileFor(u"lockview-prod"_s, Environment::Production, params));
        LocksView &view = *f.view;
        QVERIFY(refreshUntil(view, *f.monitor, [&] { return view.sessionModel()->rowOfPid(pid) >= 0; }));
        view.sessionView()->setCurrentIndex(
            view.sessionFilterModel()->mapFromSource(view.sessionModel()->index(view.sessionModel()->rowOfPid(pid), 0)));
        QCOMPARE(view.selectedPid(), pid);
        QSignalSpy done(&view, &LocksView::signalFinished);

        // Not confirmed.
        qint64 logId = lastLogId();
        view.setConfirmer([](QWidget *, const BackendSession &, BackendSignal, bool) { return SignalConsent(false); });
        view.cancelSelected();
        QVERIFY(view.lastActionIsError());
        QVERIFY2(view.lastActionText().startsWith(u"Nothing was sent to pid %1: not confirmed"_s.arg(pid)),
                 qPrintable(view.lastActionText()));
        QVERIFY(loggedAtError(logId, QString::number(pid)));

        // Production, the pid typed wrong.
        logId = lastLogId();
        done.clear();
        view.setConfirmer(
            [](QWidget *, const BackendSession &, BackendSignal, bool production) { return SignalConsent(production, u"12345678"_s); });
        view.cancelSelected();
        QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), 60000);
        QVERIFY(!done.first().at(0).toBool());
        QVERIFY(view.lastActionIsError());
        QVERIFY2(view.lastActionText().startsWith(u"Nothing was sent to pid %1: not confirmed: '12345678' is not '%1'"_s.arg(pid)),
                 qPrintable(view.lastActionText()));
        QVERIFY2(!view.lastActionText().contains(u"--"_s), qPrintable(view.lastActionText())); // no CLI flag in the GUI
        QVERIFY(loggedAtError(logId, QString::number(pid)));
        QVERIFY(!gone(*admin, pid));

        // Already gone: it ended after the last refresh.
        terminate(*admin, pid);
        QTRY_VERIFY_WITH_TIMEOUT(gone(*admin, pid), 60000);
        QCOMPARE(view.selectedPid(), pid); // the view has not refreshed yet
        logId = lastLogId();
        done.clear();
        view.setConfirmer(
            [pid](QWidget *, const BackendSession &, BackendSignal, bool) { return SignalConsent(true, QString::number(pid)); });
        view.terminateSelected();
        QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), 60000);
        QVERIFY(!done.first().at(0).toBool());
        QVERIFY(view.lastActionIsError());
        QVERIFY2(view.lastActionText().startsWith(u"Nothing was sent to pid %1: it is already gone"_s.arg(pid)),
                 qPrintable(view.lastActionText()));
        QVERIFY(loggedAtError(logId, QString::number(pid)));
        // The refresh after the action drops the selection with the session.
        QTRY_COMPARE_WITH_TIMEOUT(view.selectedPid(), 0, 60000);
        QVERIFY(!view.terminateAction()->isEnabled());

        // Not permitted: a plain role may not cancel the superuser's query.
        SessionThread su(params, u"su-app"_s, {u"SELECT pg_sleep(600)"_s});
        const int suPid = su.pid();
        const QString role = dbops::test::newRole(*admin, u"lockview_plain"_s, u"plain-pw"_s);
        ConnectionProfile plainProfile = dbops::test::profileFor(u"lockview-plain"_s, Environment::Development, params);
        plainProfile.user = role;
        Fixture g = open(plainProfile, u"plain-pw"_s);
        LocksView &plainView = *g.view;
        QVERIFY(refreshUntil(plainView, *g.monitor, [&] { return plainView.sessionModel()->rowOfPid(suPid) >= 0; }));
        plainView.sessionView()->setCurrentIndex(
            plainView.sessionFilterModel()->mapFromSource(plainView.sessionModel()->index(plainView.sessionModel()->rowOfPid(suPid), 0)));
        QCOMPARE(plainView.selectedPid(), suPid);
        QSignalSpy plainDone(&plainView, &LocksView::signalFinished);
        plainView.setConfirmer([](QWidget *, const BackendSession &, BackendSignal, bool) { return SignalConsent(true); });
        logId = lastLogId();
        plainView.cancelSelected();
        QTRY_VERIFY_WITH_TIMEOUT(!plainDone.isEmpty(), 60000);
        QVERIFY(!plainDone.first().at(0).toBool());
        QVERIFY(plainView.lastActionIsError());
        QVERIFY2(plainView.lastActionText().startsWith(u"Nothing was sent to pid %1: not permitted: "_s.arg(suPid)),
                 qPrintable(plainView.lastActionText()));
        QVERIFY(loggedAtError(logId, QString::number(suPid)));
        QVERIFY(!gone(*admin, suPid));
    }

    /// The tree's pid, state and wait are never clipped and its Query column is on screen at
    /// 1280x800 (the view beside the sidebar); the view asks for no more width than that; at 1920
    /// the tables use the width. The detail pane shows the selected session whole.
    void layoutFitsAndShowsTheSession()
    {
        const ConnectParams params = PgFixture::newDatabase(u"lockview_lay"_s);
        auto admin = PgFixture::connect(params);
        admin->exec(u"CREATE TABLE orders (id int PRIMARY KEY, state text); INSERT INTO orders VALUES (1, 'new')"_s);
        SessionThread a(params, u"holder"_s, {u"BEGIN"_s, u"UPDATE orders SET state = 'paid' WHERE id = 1"_s});
        QVERIFY(a.wait(60000));
        const QString longQuery = u"UPDATE orders SET state = 'cancelled' /* "_s + QString(u"x"_s).repeated(400) + u" */ WHERE id = 1"_s;
        SessionThread b(params, u"api"_s, {longQuery});
        QVERIFY(b.waitUntilBlocked());

        const int viewWidth1280 = 1280 - 250; // the window less the sidebar
        Fixture f = open(dbops::test::profileFor(u"lockview"_s, Environment::Development, params), {}, {viewWidth1280, 700});
        LocksView &view = *f.view;
        QVERIFY2(view.minimumSizeHint().width() <= viewWidth1280, qPrintable(QString::number(view.minimumSizeHint().width())));
        BlockingTreeModel *tree = view.treeModel();
        QVERIFY(refreshUntil(view, *f.monitor, [&] { return pidOf(tree->indexOfPid(b.pid()).parent()) == a.pid(); }));
        QCoreApplication::processEvents();
        QTreeView *tv = view.treeView();
        QHeaderView *header = tv->header();
        const QFontMetrics fm = tv->fontMetrics();
        for (const QModelIndex &row : {tree->indexOfPid(a.pid()), tree->indexOfPid(b.pid())})
        {
            const int depth = row.parent().isValid() ? 2 : 1;
            for (int column : {BlockingTreeModel::Pid, BlockingTreeModel::State, BlockingTreeModel::Wait})
            {
                const QString text = row.siblingAtColumn(column).data().toString();
                const int needed = fm.horizontalAdvance(text) + (column == BlockingTreeModel::Pid ? tv->indentation() * depth : 0);
                QVERIFY2(header->sectionSize(column) >= needed,
                         qPrintable(u"column %1 '%2': %3 px < %4 px"_s.arg(column).arg(text).arg(header->sectionSize(column)).arg(needed)));
            }
        }
        const int queryStart = header->sectionViewportPosition(BlockingTreeModel::Query);
        QVERIFY2(tv->viewport()->width() - queryStart >= 100,
                 qPrintable(u"Query column at %1 of %2 px"_s.arg(queryStart).arg(tv->viewport()->width())));

        // The detail pane: the whole query and what the table has no room for.
        tv->setCurrentIndex(tree->indexOfPid(b.pid()));
        const QString detail = view.detailText();
        QVERIFY2(detail.contains(longQuery), qPrintable(detail));
        QVERIFY(detail.contains(u"Blocked by"_s));
        QVERIFY(detail.contains(QString::number(a.pid())));
        QVERIFY(detail.contains(u"Lock / transactionid"_s) || detail.contains(u"Lock / tuple"_s));
        QVERIFY(detail.contains(u"Application"_s) && detail.contains(u"api"_s));
        QVERIFY(detail.contains(u"Backend start"_s) && detail.contains(u"Transaction age"_s) && detail.contains(u"Query age"_s));
        QVERIFY(detail.contains(u"Client address"_s));
        tv->setCurrentIndex(tree->indexOfPid(a.pid()));
        QVERIFY(view.detailText().contains(u"Blocking"_s));
        QVERIFY(view.detailText().contains(QString::number(b.pid())));

        // 1920: the tables use the width.
        view.resize(1920 - 250, 1000);
        QCoreApplication::processEvents();
        QVERIFY(header->length() >= tv->viewport()->width());
        QVERIFY(view.sessionView()->horizontalHeader()->length() >= view.sessionView()->viewport()->width());
        QVERIFY2(view.sessionView()->width() > 1000, qPrintable(QString::number(view.sessionView()->width())));
    }
};

QTEST_MAIN(TestLocksViewUi)
#include "test_locks_view_ui.moc"
