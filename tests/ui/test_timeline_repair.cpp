// No dead end to the command line (issue 12): a plan that the engine would refuse says so before
// Apply and offers the fix in the console (accept the changed SQL with its diff, resolve a dirty
// migration, adopt another tool's history), every message it shows names the console's control and
// never a CLI flag; "Down to here" is disabled where the engine would refuse it; after a baseline,
// rows sorted by version are in version order. Offscreen, against a real PostgreSQL 15, as a
// non-superuser role that owns its database.

#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/jobs/jobmanager.h"
#include "core/migrate/migrator.h"
#include "core/remedy.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/files.h"
#include "tests/support/guithreadwatch.h"
#include "tests/support/jobs.h"
#include "tests/support/pgfixture.h"
#include "tests/support/services.h"
#include "ui/timeline/plandialog.h"
#include "ui/timeline/timelineactions.h"
#include "ui/timeline/timelinefiltermodel.h"
#include "ui/timeline/timelinemodel.h"
#include "ui/timeline/timelineview.h"

#include <QCryptographicHash>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::fixture;
using dbops::test::PgFixture;
using dbops::test::writeFile;

namespace
{
    /// A fresh database owned by a new non-superuser role with a password.
    struct RoleDb
    {
        ConnectParams params; ///< as the role, password included (the engine's set-up)
        QString role;
        QString password;
    };

    RoleDb roleDb(const QString &prefix)
    {
        return fixture([&] {
            const ConnectParams admin = PgFixture::newDatabase(prefix);
            auto conn = PgFixture::connect(admin);
            RoleDb r;
            r.password = u"pw-"_s + prefix;
            r.role = dbops::test::newRole(*conn, prefix, r.password);
            const QString role = conn->escapeIdentifier(r.role);
            conn->exec(u"ALTER DATABASE "_s + conn->escapeIdentifier(admin.value(u"dbname"_s)) + u" OWNER TO "_s + role);
            conn->exec(u"ALTER SCHEMA public OWNER TO "_s + role);
            r.params = admin;
            r.params.set(u"user"_s, r.role);
            r.params.set(u"password"_s, r.password);
            return r;
        });
    }

    ConnectionProfile profileOf(const QString &name, Environment env, const RoleDb &db, const QString &dir)
    {
        ConnectionProfile p = dbops::test::profileFor(name, env, db.params, dir);
        p.user = db.role;
        return p;
    }

    /// Runs the engine on this thread (set-up only: fixture work).
    template <class F>
    void engine(const ConnectParams &params, const QString &dir, F &&body)
    {
        const auto r = fixture([&] {
            return dbops::test::runInJob([&](JobContext &ctx) {
                MigrateOptions o;
                o.migrationsDir = dir;
                Migrator m(params, o);
                m.load();
                body(m, ctx);
                return QVariant(true);
            });
        });
        if (!r)
            qWarning("set-up failed: %s", qPrintable(r.error().toString()));
    }

    QString query(const ConnectParams &params, const QString &sql)
    {
        return fixture([&] { return PgFixture::connect(params)->exec(sql).value(0, 0).toString(); });
    }

    /// Every message that names a CLI flag ("--accept-changed", "--dirty=complete", …) or command:
    /// any "--" at all (no message shown outside the SQL has one).
    QStringList withFlags(const QStringList &messages)
    {
        QStringList out;
        for (const QString &m : messages)
            if (m.contains(u"--"_s) || m.contains(u"dbops repair"_s) || m.contains(u"dbops adopt"_s))
                out << m;
        return out;
    }

    QStringList viewMessages(const TimelineView &view)
    {
        QStringList out{view.statusLine()->text(), view.errorBanner()->text()};
        for (const QPushButton *b : view.findChildren<QPushButton *>())
            out << b->toolTip();
        const QAbstractItemModel *m = view.tableView()->model();
        for (int r = 0; r < m->rowCount(); ++r)
            for (int c = 0; c < m->columnCount(); ++c)
                out << m->index(r, c).data().toString() << m->index(r, c).data(Qt::ToolTipRole).toString();
        out.removeAll(QString());
        return out;
    }

    int stateOf(const TimelineView &view, const QString &version)
    {
        const TimelineModel *m = view.model();
        return m->index(m->rowOf(version), 0).data(TimelineModel::StateRole).toInt();
    }
}

class TestTimelineRepair final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        QVERIFY(m_c.start());
        qunsetenv("RUN_MIGRATIONS");
        qunsetenv("MIGRATIONS_DIR");
        dbops::test::watchGuiThread();
    }

    void cleanupTestCase() { dbops::test::verifyGuiThreadClean(); }

    void init() { QVERIFY(m_c.open()); }

    void cleanup() { m_c.close(); }

    /// The remedy table: every CLI spelling the core writes has a console name without a flag.
    void consoleTextNamesControlsNotFlags()
    {
        for (const Remedy &r : remedies())
            QVERIFY2(withFlags({r.console}).isEmpty(), qPrintable(r.console));
        const QString refused = consoleText(
            u"0001 (0001_a.sql): SQL changed — not re-stamped without --accept-changed; see 'dbops validate'; fix the files, or run "
            u"'dbops repair' (--allow-out-of-order for out-of-order files); then run repair with --dirty=complete or "
            u"--dirty=reverted; --terminate-sessions; --some-new-flag X"_s);
        QVERIFY2(withFlags({refused}).isEmpty(), qPrintable(refused));
        QVERIFY2(refused.contains(u"Accept the changed SQL"_s) && refused.contains(u"Apply out of order"_s)
                     && refused.contains(u"Repair…"_s) && refused.contains(u"End other sessions connected to it"_s),
                 qPrintable(refused));
        // SQL comments and plain dashes are left alone.
        QCOMPARE(consoleText(u"a — b - c"_s), u"a — b - c"_s);
    }

    /// A migration edited after it ran: the plan says the apply will be refused and why, Apply is
    /// disabled, and "Accept the changed SQL…" shows the diff and repairs it; then Apply runs.
    void changedMigrationIsRefusedUpFrontAndAcceptedInTheConsole()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeFile(dir.path(), u"0001_users.sql"_s, "CREATE TABLE users (id int);\n");
        writeFile(dir.path(), u"0002_orders.sql"_s, "CREATE TABLE orders (id int);\n");
        const RoleDb db = roleDb(u"tlrchg"_s);
        engine(db.params, dir.path(), [](Migrator &m, JobContext &ctx) { m.migrate(ctx); });
        // Edited after it was applied (a real change), and a new pending one.
        writeFile(dir.path(), u"0001_users.sql"_s, "CREATE TABLE users (id int, email text);\n");
        writeFile(dir.path(), u"0003_audit.sql"_s, "CREATE TABLE audit (id int);\n");

        TimelineView view(m_c.jobs.get(), m_c.profiles.get(), m_c.store.get());
        view.resize(1280, 800);
        view.show();
        QSignalSpy loaded(&view, &TimelineView::timelineLoaded);
        view.setProfile(profileOf(u"tlr-staging"_s, Environment::Staging, db, dir.path()), db.password);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 60000);
        QCOMPARE(stateOf(view, u"0001"_s), int(MigrationState::ChecksumMismatch));

        QPointer<PlanDialog> plan;
        QStringList shown;
        connect(view.actions(), &TimelineActions::planShown, this, [&](PlanDialog *d) {
            plan = d;
            shown << d->shownMessages();
        });
        auto *apply = view.findChild<QPushButton *>(u"applyPending"_s);
        QTRY_VERIFY_WITH_TIMEOUT(apply->isEnabled(), 60000);
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(plan, 60000);

        // Up front: refused, why, and Apply disabled with the reason.
        auto *refusal = plan->findChild<QLabel *>(u"planRefusal"_s);
        QVERIFY(refusal);
        QVERIFY2(refusal->text().contains(u"would be refused"_s) && refusal->text().contains(u"0001"_s), qPrintable(refusal->text()));
        QVERIFY(!plan->acceptButton()->isEnabled());
        QVERIFY(plan->acceptButton()->toolTip().contains(u"refused"_s));
        QPushButton *accept = plan->fixButton(u"accept-changed"_s);
        QVERIFY(accept);
        QVERIFY(withFlags(plan->shownMessages()).isEmpty());

        // The fix: the repair plan with the diff between the SQL that ran and the file.
        QPointer<PlanDialog> first = plan;
        plan = nullptr;
        QTest::mouseClick(accept, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(plan && plan != first, 60000);
        QCOMPARE(plan->windowTitle(), u"Repair the migration history"_s);
        const PlanContent &c = plan->content();
        int changed = -1;
        for (int i = 0; i < c.items.size(); ++i)
            if (c.items[i].flag == u"changed SQL accepted"_s)
                changed = i;
        QVERIFY2(changed >= 0, qPrintable(c.fullSql));
        const QString diff = c.items[changed].sql;
        QVERIFY2(diff.contains(u"-CREATE TABLE users (id int);"_s) && diff.contains(u"+CREATE TABLE users (id int, email text);"_s),
                 qPrintable(diff));
        QVERIFY(plan->acceptButton()->isEnabled()); // staging: no typed word
        QVERIFY(withFlags(plan->shownMessages()).isEmpty());
        const int loads = int(loaded.count());
        QTest::mouseClick(plan->acceptButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(view.statusLine()->text().startsWith(u"Repaired"_s) || loaded.count() > loads, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(view, u"0001"_s), int(MigrationState::Applied), 60000);
        QVERIFY(withFlags(viewMessages(view)).isEmpty());

        // Now the plan is not refused, and Apply runs 0003.
        plan = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(apply->isEnabled(), 60000);
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(plan, 60000);
        QVERIFY(!plan->findChild<QLabel *>(u"planRefusal"_s));
        QVERIFY(plan->acceptButton()->isEnabled());
        QTest::mouseClick(plan->acceptButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(view, u"0003"_s), int(MigrationState::Applied), 60000);
        QCOMPARE(query(db.params, u"SELECT to_regclass('audit') IS NOT NULL"_s), u"true"_s);
        // Every message these flows showed names the console's controls, never a CLI flag.
        QVERIFY2(withFlags(shown).isEmpty(), qPrintable(withFlags(shown).join(u"\n"_s)));
        QVERIFY(withFlags(viewMessages(view)).isEmpty());
    }

    /// On production the accept-changed repair needs the typed database name (the ops layer's rule).
    void acceptChangedOnProductionNeedsTheTypedName()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeFile(dir.path(), u"0001_users.sql"_s, "CREATE TABLE users (id int);\n");
        const RoleDb db = roleDb(u"tlrprod"_s);
        engine(db.params, dir.path(), [](Migrator &m, JobContext &ctx) { m.migrate(ctx); });
        writeFile(dir.path(), u"0001_users.sql"_s, "CREATE TABLE users (id bigint);\n");

        TimelineView view(m_c.jobs.get(), m_c.profiles.get(), m_c.store.get());
        QSignalSpy loaded(&view, &TimelineView::timelineLoaded);
        view.setProfile(profileOf(u"tlr-prod"_s, Environment::Production, db, dir.path()), db.password);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 60000);
        QPointer<PlanDialog> plan;
        connect(view.actions(), &TimelineActions::planShown, this, [&](PlanDialog *d) { plan = d; });
        view.actions()->applyPending();
        QTRY_VERIFY_WITH_TIMEOUT(plan, 60000);
        QVERIFY(!plan->acceptButton()->isEnabled());
        QVERIFY(plan->fixButton(u"accept-changed"_s));
        QPointer<PlanDialog> first = plan;
        QTest::mouseClick(plan->fixButton(u"accept-changed"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(plan && plan != first, 60000);
        QVERIFY(!plan->requiredConfirmation().isEmpty());
        QVERIFY(!plan->acceptButton()->isEnabled());
        plan->confirmEdit()->setText(plan->requiredConfirmation());
        QVERIFY(plan->acceptButton()->isEnabled());
        plan->reject();
        QCOMPARE(stateOf(view, u"0001"_s), int(MigrationState::ChecksumMismatch)); // nothing changed
    }

    /// A dirty migration (outside a transaction, stopped part-way): the plan is refused and offers
    /// "Effects are complete…" / "Effects were reverted…", which repair it in the console.
    void dirtyMigrationIsResolvedInTheConsole()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeFile(dir.path(), u"0001_users.sql"_s, "CREATE TABLE users (id int);\n");
        writeFile(dir.path(), u"0002_half.sql"_s,
                  "-- dbops:no-transaction\nCREATE TABLE half (id int);\nINSERT INTO nowhere VALUES (1);\n");
        const RoleDb db = roleDb(u"tlrdirty"_s);
        engine(db.params, dir.path(), [](Migrator &m, JobContext &ctx) { m.migrate(ctx); });

        TimelineView view(m_c.jobs.get(), m_c.profiles.get(), m_c.store.get());
        QSignalSpy loaded(&view, &TimelineView::timelineLoaded);
        view.setProfile(profileOf(u"tlr-dirty"_s, Environment::Development, db, dir.path()), db.password);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 60000);
        QCOMPARE(stateOf(view, u"0002"_s), int(MigrationState::Dirty));

        QPointer<PlanDialog> plan;
        QStringList shown;
        connect(view.actions(), &TimelineActions::planShown, this, [&](PlanDialog *d) {
            plan = d;
            shown << d->shownMessages();
        });
        view.actions()->applyPending();
        QTRY_VERIFY_WITH_TIMEOUT(plan, 60000);
        {
            QVERIFY(plan->findChild<QLabel *>(u"planRefusal"_s));
            QVERIFY(!plan->acceptButton()->isEnabled());
            QPushButton *reverted = plan->fixButton(u"dirty-reverted"_s);
            QVERIFY(reverted && plan->fixButton(u"dirty-complete"_s));
            QPointer<PlanDialog> first = plan;
            QTest::mouseClick(reverted, Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(plan && plan != first, 60000);
            QVERIFY(plan->acceptButton()->isEnabled());
            QTest::mouseClick(plan->acceptButton(), Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(stateOf(view, u"0002"_s) != int(MigrationState::Dirty), 60000);
        }
        QVERIFY2(withFlags(shown).isEmpty(), qPrintable(withFlags(shown).join(u"\n"_s)));
        QVERIFY(withFlags(viewMessages(view)).isEmpty());
    }

    /// "Down to here" is disabled where the engine would refuse (a migration above without a down
    /// file; a baseline in the way), the reason in its tooltip; enabled where it would run, and
    /// its plan names the data the down files destroy before confirming.
    void downToHereFollowsTheEnginesRule()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeFile(dir.path(), u"0001_users.up.sql"_s, "CREATE TABLE users (id int, email text);\n");
        writeFile(dir.path(), u"0001_users.down.sql"_s, "DROP TABLE users;\n");
        writeFile(dir.path(), u"0002_orders.up.sql"_s, "CREATE TABLE orders (id int);\n");
        writeFile(dir.path(), u"0002_orders.down.sql"_s, "DROP TABLE orders;\nALTER TABLE users DROP COLUMN email;\n");
        writeFile(dir.path(), u"0003_audit.up.sql"_s, "CREATE TABLE audit (id int);\n");
        const RoleDb db = roleDb(u"tlrdown"_s);
        engine(db.params, dir.path(), [](Migrator &m, JobContext &ctx) { m.migrate(ctx); });

        TimelineView view(m_c.jobs.get(), m_c.profiles.get(), m_c.store.get());
        QSignalSpy loaded(&view, &TimelineView::timelineLoaded);
        view.setProfile(profileOf(u"tlr-down"_s, Environment::Development, db, dir.path()), db.password);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 60000);
        auto *down = view.findChild<QPushButton *>(u"downToHere"_s);
        view.selectVersion(u"0001"_s);
        QTRY_COMPARE_WITH_TIMEOUT(view.selectedVersion(), u"0001"_s, 60000);
        QVERIFY(!down->isEnabled());
        QVERIFY2(down->toolTip().contains(u"no down/undo file"_s) && down->toolTip().contains(u"0003"_s), qPrintable(down->toolTip()));

        // With the down file there, it is enabled, and the plan says what it destroys.
        writeFile(dir.path(), u"0003_audit.down.sql"_s, "TRUNCATE audit;\nDROP TABLE audit;\n");
        const int loads = int(loaded.count());
        view.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > loads, 60000);
        view.selectVersion(u"0001"_s);
        QTRY_VERIFY_WITH_TIMEOUT(down->isEnabled(), 60000);
        QPointer<PlanDialog> plan;
        connect(view.actions(), &TimelineActions::planShown, this, [&](PlanDialog *d) { plan = d; });
        QTest::mouseClick(down, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(plan, 60000);
        const QString summary = plan->content().summaryHtml;
        for (const QString &want : {u"drops table orders"_s, u"drops column users.email"_s, u"truncates audit"_s, u"drops table audit"_s})
            QVERIFY2(summary.contains(want), qPrintable(summary));
        QVERIFY(withFlags(plan->shownMessages()).isEmpty());
        plan->reject();
    }

    /// After a baseline, sorted by version means in version order; Down is disabled below it.
    void baselineRowsSortByVersion()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (int v = 1; v <= 7; ++v)
            writeFile(dir.path(), u"%1_m%1.sql"_s.arg(v, 4, 10, QChar(u'0')), QByteArray("SELECT ") + QByteArray::number(v) + ";\n");
        const RoleDb db = roleDb(u"tlrbase"_s);
        engine(db.params, dir.path(), [](Migrator &m, JobContext &ctx) { m.baseline(u"0005"_s, u"baseline"_s, ctx); });

        TimelineView view(m_c.jobs.get(), m_c.profiles.get(), m_c.store.get());
        QSignalSpy loaded(&view, &TimelineView::timelineLoaded);
        view.setProfile(profileOf(u"tlr-base"_s, Environment::Development, db, dir.path()), db.password);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 60000);
        QStringList shownOrder;
        const QAbstractItemModel *proxy = view.tableView()->model();
        for (int r = 0; r < proxy->rowCount(); ++r)
            shownOrder << proxy->index(r, 0).data(TimelineModel::VersionRole).toString();
        QCOMPARE(shownOrder, (QStringList{u"0001"_s, u"0002"_s, u"0003"_s, u"0004"_s, u"0005"_s, u"0006"_s, u"0007"_s}));
        QVERIFY(proxy->index(4, 0).data().toString().contains(u"0005"_s)); // ▶ 0005, the current version
        // Covered by the baseline: not pending, and no down through the baseline.
        QVERIFY(!proxy->index(1, 0).data(TimelineModel::IsPendingRole).toBool());
        view.selectVersion(u"0002"_s);
        auto *down = view.findChild<QPushButton *>(u"downToHere"_s);
        QTRY_COMPARE_WITH_TIMEOUT(view.selectedVersion(), u"0002"_s, 60000);
        QVERIFY(!down->isEnabled());
        QVERIFY2(down->toolTip().contains(u"baseline"_s), qPrintable(down->toolTip()));
        QVERIFY(!view.findChild<QPushButton *>(u"applyUpTo"_s)->isEnabled());
    }

    /// A database another tool (sqlx) migrated: the console offers Adopt history…, shows what it
    /// copies, and takes it over into dbops' history (ops::adopt).
    void adoptAnotherToolsHistoryInTheConsole()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const RoleDb db = roleDb(u"tlradopt"_s);
        const QList<QPair<QString, QByteArray>> files{{u"0001_users.sql"_s, "CREATE TABLE users (id int);\n"},
                                                      {u"0002_orders.sql"_s, "CREATE TABLE orders (id int);\n"}};
        fixture([&] {
            auto conn = PgFixture::connect(db.params);
            conn->exec(u"CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on "
                       u"TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT "
                       u"NOT NULL)"_s);
            for (const auto &[name, sql] : files)
            {
                writeFile(dir.path(), name, sql);
                conn->exec(QString::fromUtf8(sql));
                conn->exec(u"INSERT INTO _sqlx_migrations VALUES ($1::bigint, $2, now(), true, $3, 1000)"_s,
                           {name.left(4).toInt(), name.mid(5).chopped(4), QCryptographicHash::hash(sql, QCryptographicHash::Sha384)});
            }
        });
        writeFile(dir.path(), u"0003_audit.sql"_s, "CREATE TABLE audit (id int);\n");

        TimelineView view(m_c.jobs.get(), m_c.profiles.get(), m_c.store.get());
        view.resize(1280, 800);
        view.show();
        QSignalSpy loaded(&view, &TimelineView::timelineLoaded);
        view.setProfile(profileOf(u"tlr-adopt"_s, Environment::Development, db, dir.path()), db.password);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 60000);
        QCOMPARE(view.model()->snapshot().historyFormat, u"sqlx"_s);
        auto *adopt = view.findChild<QPushButton *>(u"adoptHistory"_s);
        QVERIFY(adopt);
        // The tool bar shows its widget when its layout next runs (a posted event), not at once.
        QTRY_VERIFY_WITH_TIMEOUT(adopt->isVisible(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(adopt->isEnabled(), 60000);

        QPointer<PlanDialog> plan;
        QStringList shown;
        connect(view.actions(), &TimelineActions::planShown, this, [&](PlanDialog *d) {
            plan = d;
            shown << d->shownMessages();
        });
        // The apply plan offers it too.
        view.actions()->applyPending();
        QTRY_VERIFY_WITH_TIMEOUT(plan, 60000);
        QPushButton *fix = plan->fixButton(u"adopt"_s);
        QVERIFY(fix);
        QPointer<PlanDialog> first = plan;
        QTest::mouseClick(fix, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(plan && plan != first, 60000);
        QCOMPARE(plan->content().items.size(), 2);
        QVERIFY(plan->acceptButton()->isEnabled());
        const int loads = int(loaded.count());
        QTest::mouseClick(plan->acceptButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > loads && view.model()->snapshot().historyFormat == u"dbops"_s, 60000);
        QCOMPARE(query(db.params, u"SELECT count(*) >= 2 FROM dbops_schema_history"_s), u"true"_s);
        QCOMPARE(query(db.params, u"SELECT count(*) FROM _sqlx_migrations"_s), u"2"_s); // left in place
        QTRY_VERIFY_WITH_TIMEOUT(!adopt->isVisible(), 60000);
        QVERIFY2(withFlags(shown).isEmpty(), qPrintable(withFlags(shown).join(u"\n"_s)));
        QVERIFY(withFlags(viewMessages(view)).isEmpty());
    }

private:
    dbops::test::TestServices m_c;
};

QTEST_MAIN(TestTimelineRepair)
#include "test_timeline_repair.moc"
