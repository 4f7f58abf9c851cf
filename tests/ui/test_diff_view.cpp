// The drift view (ui/diff, issue 14) against a real PostgreSQL: two databases loaded as two jobs,
// the tree and its counts, the warning when a needed change is unchecked, an apply to a
// development profile ending in "no drift left", production's typed name and verified backup
// (its id recorded), the drift check preset and Save as migration that the timeline lists as
// pending, the script editor's edited mark, an unreachable side; and no libpq or SQLite call on
// the GUI thread in the whole suite.
#include "core/db/pgconnection.h"
#include "core/jobs/jobmanager.h"
#include "core/ops/migrateops.h"
#include "core/store/auditlog.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/files.h"
#include "tests/support/guithreadwatch.h"
#include "tests/support/pgfixture.h"
#include "ui/diff/difftree.h"
#include "ui/diff/diffview.h"
#include "ui/timeline/envmatrixmodel.h"
#include "ui/timeline/envmatrixview.h"
#include "ui/timeline/plandialog.h"
#include "ui/timeline/sidebysidemodel.h"
#include "ui/timeline/timelinemodel.h"
#include "ui/timeline/timelineview.h"
#include "ui/widgets/codeview.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

namespace
{
    const QString kLocal = u"CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);"_s;
    const QString kProduction = u"CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text);"
                                "CREATE TABLE orders (id int PRIMARY KEY, customer int REFERENCES customers, total numeric(10,2));"
                                "CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;"
                                "CREATE INDEX orders_customer ON orders (customer);"_s;

    /// All leaves of the model that are changes: their change index and object text.
    QList<QPair<int, QString>> changeRows(const QAbstractItemModel *model, const QModelIndex &parent = {})
    {
        QList<QPair<int, QString>> rows;
        for (int r = 0; r < model->rowCount(parent); ++r)
        {
            const QModelIndex i = model->index(r, 0, parent);
            if (const int change = i.data(DiffTreeModel::ChangeIndexRole).toInt(); change >= 0)
                rows << qMakePair(change, i.data().toString());
            rows << changeRows(model, i);
        }
        return rows;
    }

    int changeNamed(const DiffTreeModel *model, const QString &prefix)
    {
        for (const auto &[change, text] : changeRows(model))
            if (text.startsWith(prefix))
                return change;
        return -1;
    }
}

class TestDiffView final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<JobManager> m_jobs;
    int m_counter = 0;

    ConnectionProfile saveProfile(const QString &name, Environment env, const QString &sql, const QString &migrations = {})
    {
        return fixture([&] {
            const ConnectParams db = PgFixture::newDatabase(u"uidiff"_s);
            if (!sql.isEmpty())
                PgFixture::connect(db)->exec(sql);
            ConnectionProfile p = profileFor(name, env, db, migrations);
            p.project = u"shop"_s;
            auto saved = m_profiles->save(p);
            if (!saved)
                qFatal("%s", qPrintable(saved.error().toString()));
            return *saved;
        });
    }

    /// A view comparing `from` with `to` (both profiles' databases), compared.
    std::unique_ptr<DiffView> compared(const ConnectionProfile &from, const ConnectionProfile &to)
    {
        auto view = std::make_unique<DiffView>(m_store.get(), m_profiles.get(), m_jobs.get(), nullptr);
        view->resize(1280, 800);
        view->show();
        view->setTarget(from, {});
        view->setSide(DiffView::Which::From, {DiffView::SideKind::Profile, from.name, {}});
        view->setSide(DiffView::Which::To, {DiffView::SideKind::Profile, to.name, {}});
        QSignalSpy done(view.get(), &DiffView::compared);
        view->loadBoth();
        if (!done.wait(60000) && done.isEmpty())
            qWarning("not compared: %s / %s / %s", qPrintable(view->sideStatus(DiffView::Which::From)->text()),
                     qPrintable(view->sideStatus(DiffView::Which::To)->text()), qPrintable(view->summaryLabel()->text()));
        return view;
    }

    QList<AuditEntry> audit()
    {
        return fixture([&] {
            auto recent = AuditLog(*m_store).recent(100);
            return recent ? *recent : QList<AuditEntry>{};
        });
    }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        qputenv("DBOPS_HOME", m_dir.filePath(u"home"_s).toUtf8());
        qputenv("DBOPS_KEYCHAIN", "off");
        watchGuiThread();
    }

    void cleanupTestCase() { verifyGuiThreadClean(); }

    void init()
    {
        fixture([&] {
            m_store = std::make_unique<Store>(m_dir.filePath(u"store-%1.sqlite"_s.arg(++m_counter)));
            QVERIFY(m_store->open().has_value());
            m_profiles = std::make_unique<ProfileStore>(*m_store);
        });
        m_jobs = std::make_unique<JobManager>();
    }

    void cleanup()
    {
        m_jobs->shutdown(10000);
        m_jobs.reset();
        m_profiles.reset();
        m_store.reset();
    }

    void twoDatabasesShowTheTreeTheCountsAndTheDdlSideBySide()
    {
        const ConnectionProfile local = saveProfile(u"shop-local"_s, Environment::Development, kLocal);
        const ConnectionProfile prod = saveProfile(u"shop-prod"_s, Environment::Production, kProduction);
        auto view = compared(local, prod);
        QVERIFY(view->comparison());
        const QList<QPair<int, QString>> rows = changeRows(view->model());
        // added column email, table orders, view big_orders, index orders_customer (the FK and PK come with the table)
        QCOMPARE(rows.size(), int(view->comparison()->outcome.diff.changes.size()));
        QVERIFY2(rows.size() >= 4, qPrintable(view->summaryLabel()->text()));
        QVERIFY(changeNamed(view->model(), u"public.orders"_s) >= 0);
        QVERIFY(changeNamed(view->model(), u"public.big_orders"_s) >= 0);
        QVERIFY(changeNamed(view->model(), u"public.customers.email"_s) >= 0);
        // The schema node, then kinds with their counts.
        QModelIndex schemaNode;
        for (int r = 0; r < view->model()->rowCount(); ++r)
            if (view->model()->index(r, 0).data().toString() == u"public"_s)
                schemaNode = view->model()->index(r, 0);
        QVERIFY(schemaNode.isValid());
        QCOMPARE(schemaNode.siblingAtColumn(DiffTreeModel::ChangeColumn).data().toString(), u"%1 changed"_s.arg(rows.size()));
        QVERIFY(view->model()->rowCount(schemaNode) >= 3); // table, column, index, view: one row per kind
        for (int r = 0; r < view->model()->rowCount(schemaNode); ++r)
            QVERIFY(!view->model()->index(r, DiffTreeModel::ChangeColumn, schemaNode).data().toString().isEmpty());
        QVERIFY(view->summaryLabel()->text().contains(u"%1 change(s)"_s.arg(rows.size())));
        // Words and glyphs, readable without colour.
        const QModelIndex table = view->model()->indexOfChange(changeNamed(view->model(), u"public.orders"_s));
        QCOMPARE(table.siblingAtColumn(DiffTreeModel::ChangeColumn).data().toString(), u"+ added"_s);
        // Selecting the altered table shows its DDL on both sides with the changed lines marked.
        const QModelIndex customers = view->model()->indexOfChange(changeNamed(view->model(), u"public.customers.email"_s));
        view->tree()->setCurrentIndex(view->filter()->mapFromSource(customers));
        QVERIFY(view->ddlModel()->changedRows() > 0);
        QVERIFY(view->detailLabel()->text().contains(u"Hazards"_s));
        // Only hazardous hides what is not; the text filter finds by name.
        view->filterEdit()->setText(u"big_orders"_s);
        QCOMPARE(changeRows(view->filter()).size(), 1);
        QVERIFY(changeRows(view->filter()).first().second.startsWith(u"public.big_orders"_s));
        view->filterEdit()->clear();
        view->onlyHazardousBox()->setChecked(true);
        const QList<QPair<int, QString>> hazardous = changeRows(view->filter());
        QVERIFY(hazardous.size() < rows.size());
        for (const auto &[change, text] : hazardous)
            QVERIFY2(view->model()->indexOfChange(change).data(DiffTreeModel::HazardousRole).toBool(), qPrintable(text));
        view->onlyHazardousBox()->setChecked(false);
        // The script: generated, then edited by hand (marked, and it is what would run).
        QVERIFY(view->script().contains(u"CREATE TABLE public.orders"_s));
        QVERIFY(!view->isEdited());
        view->scriptEditor()->appendPlainText(u"-- reviewed by the DBA"_s);
        QVERIFY(view->isEdited());
        QVERIFY(view->script().endsWith(u"-- reviewed by the DBA"_s));
    }

    void uncheckingANeededChangeSaysWhichAndAsks()
    {
        const ConnectionProfile local = saveProfile(u"shop-local"_s, Environment::Development, kLocal);
        const ConnectionProfile prod = saveProfile(u"shop-prod"_s, Environment::Production, kProduction);
        auto view = compared(local, prod);
        QVERIFY(view->comparison());
        const int orders = changeNamed(view->model(), u"public.orders"_s);
        const int bigOrders = changeNamed(view->model(), u"public.big_orders"_s);
        QVERIFY(orders >= 0 && bigOrders >= 0);
        QStringList asked;
        bool answer = false;
        view->setUncheckConfirm([&](const QString &change, const QStringList &dependents) {
            asked = QStringList{change} + dependents;
            return answer;
        });
        // Unchecking the table through its check box: asked, "keep" keeps both.
        QVERIFY(view->model()->setData(view->model()->indexOfChange(orders), Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY2(asked.size() >= 2 && asked.first().contains(u"public.orders"_s), qPrintable(asked.join(u" | "_s)));
        QVERIFY(std::any_of(asked.cbegin() + 1, asked.cend(), [](const QString &s) { return s.contains(u"public.big_orders"_s); }));
        QVERIFY(view->model()->checked().contains(orders));
        // "Uncheck all": both go, and the script no longer creates either.
        answer = true;
        QSignalSpy scripts(view.get(), &DiffView::scriptChanged);
        view->setChangeChecked(orders, false);
        QVERIFY(!view->model()->checked().contains(orders) && !view->model()->checked().contains(bigOrders));
        QVERIFY(scripts.wait(30000));
        QVERIFY(!view->script().contains(u"CREATE TABLE public.orders"_s));
        QVERIFY(!view->script().contains(u"big_orders"_s));
        // Checking the view again checks the table it needs.
        view->setChangeChecked(bigOrders, true);
        QVERIFY(view->model()->checked().contains(orders));
        QVERIFY(scripts.wait(30000));
        QVERIFY(view->script().contains(u"CREATE TABLE public.orders"_s) && view->script().contains(u"big_orders"_s));
    }

    void applyToDevelopmentThenNoDriftLeft()
    {
        const ConnectionProfile local = saveProfile(u"shop-local"_s, Environment::Development, kLocal);
        const ConnectionProfile prod = saveProfile(u"shop-prod"_s, Environment::Production, kProduction);
        auto view = compared(local, prod);
        QVERIFY(view->applyButton()->isEnabled());
        view->applyToTarget();
        PlanDialog *dialog = view->openedPlanDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->requiredConfirmation().isEmpty()); // development: no typed name
        QVERIFY(dialog->acceptButton()->isEnabled());
        QSignalSpy verified(view.get(), &DiffView::verified);
        QTest::mouseClick(dialog->acceptButton(), Qt::LeftButton);
        QVERIFY(verified.wait(90000));
        QVERIFY2(verified.first().at(0).toBool(), qPrintable(verified.first().at(1).toString()));
        QVERIFY(view->resultLabel()->text().contains(u"No drift left"_s));
        QVERIFY(view->lastApply() && !view->lastApply()->failure);
        const AuditEntry last = audit().first();
        QCOMPARE(last.action, u"diff-apply"_s);
        QCOMPARE(last.profile, u"shop-local"_s);
        QCOMPARE(last.outcome, u"ok"_s);
        QVERIFY(last.details.contains(u"CREATE TABLE public.orders"_s));
    }

    void productionNeedsTheTypedNameAndGetsAVerifiedBackup()
    {
        const ConnectionProfile prod = saveProfile(u"shop-prod"_s, Environment::Production, kLocal);
        const ConnectionProfile local = saveProfile(u"shop-local"_s, Environment::Development, kProduction);
        auto view = compared(prod, local);
        view->applyToTarget();
        PlanDialog *dialog = view->openedPlanDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->requiredConfirmation(), prod.database);
        QVERIFY(!dialog->acceptButton()->isEnabled());
        QTest::keyClicks(dialog->confirmEdit(), u"wrong"_s);
        QVERIFY(!dialog->acceptButton()->isEnabled());
        dialog->confirmEdit()->setText(prod.database);
        QVERIFY(dialog->acceptButton()->isEnabled());
        QSignalSpy verified(view.get(), &DiffView::verified);
        QTest::mouseClick(dialog->acceptButton(), Qt::LeftButton);
        QVERIFY(verified.wait(120000));
        QVERIFY2(verified.first().at(0).toBool(), qPrintable(verified.first().at(1).toString()));
        QVERIFY(view->lastPreChange() && view->lastPreChange()->backupId > 0);
        QCOMPARE(view->lastApply()->backupId, QString::number(view->lastPreChange()->backupId));
        const AuditEntry last = audit().first();
        QCOMPARE(last.action, u"diff-apply"_s);
        QCOMPARE(last.environment, u"production"_s);
        QVERIFY(last.details.contains(u"pre-change backup #%1"_s.arg(view->lastPreChange()->backupId)));
    }

    void driftCheckThenSaveAsMigrationShowsPendingInTheTimeline()
    {
        QTemporaryDir migrations;
        writeFile(migrations.path(), u"0001_customers.sql"_s, kLocal.toUtf8());
        const ConnectionProfile dev = saveProfile(u"shop-dev"_s, Environment::Development, {}, migrations.path());
        // Applied by dbops, then a table made by hand (seed 001).
        fixture([&] {
            ops::MigrationRequest r;
            r.target = {dev, {}, m_store.get(), m_profiles.get()};
            r.options.migrationsDir = migrations.path();
            r.options.settings = *ops::settingsFromEnvironment();
            std::unique_ptr<TypedJob<MigrateResult>> job(
                makeJob<MigrateResult>(u"m"_s, [r](JobContext &jc) { return ops::migrate(r, jc); }));
            job->run();
            QVERIFY2(job->state() == JobState::Succeeded, qPrintable(job->error().toString()));
            PgFixture::connect(PgFixture::sandbox().connectParams(dev.database))->exec(u"CREATE TABLE handmade (x int)"_s);
        });
        DiffView view(m_store.get(), m_profiles.get(), m_jobs.get(), nullptr);
        view.resize(1280, 800);
        view.show();
        view.setTarget(dev, {});
        QSignalSpy done(&view, &DiffView::compared);
        view.presetDriftCheck();
        QVERIFY(done.wait(90000));
        QCOMPARE(view.side(DiffView::Which::To).kind, DiffView::SideKind::MigrationsApplied);
        QVERIFY2(view.sideStatus(DiffView::Which::To)->text().contains(u"@0001"_s),
                 qPrintable(view.sideStatus(DiffView::Which::To)->text()));
        const QList<QPair<int, QString>> rows = changeRows(view.model());
        QCOMPARE(rows.size(), 1);
        QVERIFY(rows.first().second.startsWith(u"public.handmade"_s));
        QCOMPARE(view.model()->indexOfChange(rows.first().first).siblingAtColumn(DiffTreeModel::ChangeColumn).data().toString(),
                 u"− removed"_s);
        QVERIFY(view.findChild<QLabel *>(u"diffWhy"_s)->text().contains(u"Save as migration"_s));
        const QString written = view.saveAsMigration();
        QCOMPARE(QFileInfo(written).fileName(), u"0002_drift_repair.sql"_s);
        QVERIFY(view.resultLabel()->text().contains(u"timeline:"_s));
        // The timeline lists it as pending, and its drift badge (a background job) says there is drift.
        TimelineView timeline(m_jobs.get(), m_profiles.get(), m_store.get());
        QSignalSpy loaded(&timeline, &TimelineView::timelineLoaded);
        QSignalSpy drift(&timeline, &TimelineView::driftChecked);
        timeline.setProfile(dev);
        QVERIFY(loaded.wait(60000));
        QTRY_COMPARE_WITH_TIMEOUT(drift.size(), 1, 90000);
        QVERIFY2(drift.first().at(0).toBool(), qPrintable(drift.first().at(1).toString()));
        QCOMPARE(timeline.driftBadge()->text(), u"⚠ Drift: 1 change(s)"_s);
        QSignalSpy clicked(&timeline, &TimelineView::driftClicked);
        QTest::mouseClick(timeline.driftBadge(), Qt::LeftButton);
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked.first().at(0).toString(), dev.name);
        // The environments matrix has a drift row: this environment is drifted (the new file is not applied yet).
        EnvMatrixView matrix(m_jobs.get(), m_profiles.get());
        matrix.setTarget(dev, {});
        EnvMatrixModel *m = matrix.model();
        QTRY_VERIFY_WITH_TIMEOUT(m->profileIndex(dev.name) >= 0, 60000);
        const auto driftCell = [&] { return m->index(m->driftRow(), EnvMatrixModel::FirstEnvironment + m->profileIndex(dev.name)); };
        QTRY_COMPARE_WITH_TIMEOUT(driftCell().data().toString(), u"⚠ 1 change(s)"_s, 90000);
        QVERIFY(driftCell().data(EnvMatrixModel::DriftRole).toBool());
        QCOMPARE(m->index(m->driftRow(), EnvMatrixModel::Version).data().toString(), u"drift"_s);
        bool pending = false;
        for (const TimelineRow &row : timeline.model()->snapshot().rows)
            pending = pending || (row.entry.version == u"0002"_s && row.entry.state == MigrationState::Pending);
        QVERIFY(pending);
    }

    void anUnreachableSideShowsItsErrorAndTheOtherStillLoads()
    {
        const ConnectionProfile local = saveProfile(u"shop-local"_s, Environment::Development, kLocal);
        ConnectionProfile gone = local;
        gone.name = u"gone"_s;
        gone.host = u"/nonexistent-socket-dir"_s;
        fixture([&] { QVERIFY(m_profiles->save(gone).has_value()); });
        DiffView view(m_store.get(), m_profiles.get(), m_jobs.get(), nullptr);
        view.setTarget(local, {});
        view.setSide(DiffView::Which::From, {DiffView::SideKind::Profile, local.name, {}});
        view.setSide(DiffView::Which::To, {DiffView::SideKind::Profile, u"gone"_s, {}});
        QSignalSpy loaded(&view, &DiffView::sideLoaded);
        view.loadBoth();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 2, 90000);
        bool fromOk = false, toOk = true;
        for (const QList<QVariant> &s : loaded)
            (s.at(0).value<DiffView::Which>() == DiffView::Which::From ? fromOk : toOk) = s.at(1).toBool();
        QVERIFY(fromOk);
        QVERIFY(!toOk);
        QVERIFY2(view.sideStatus(DiffView::Which::To)->text().contains(u"nonexistent-socket-dir"_s),
                 qPrintable(view.sideStatus(DiffView::Which::To)->text()));
        QVERIFY(view.sideStatus(DiffView::Which::From)->text().contains(u"objects"_s));
        QVERIFY(!view.applyButton()->isEnabled());
    }
};

QTEST_MAIN(TestDiffView)
#include "test_diff_view.moc"
