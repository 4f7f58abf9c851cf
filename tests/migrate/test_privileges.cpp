// The whole migration engine as a least-privileged role: LOGIN, CONNECT on the database, CREATE and
// USAGE on schema public; not a superuser, not the owner of the database or of the schema. Each
// operation works, or fails with a clear 42501 that names the statement.
#include "core/db/pgconnection.h"
#include "core/migrate/migrator.h"
#include "tests/support/files.h"
#include "tests/support/jobs.h"
#include "tests/support/pgfixture.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

namespace
{
    /// A fresh database and a role that may only connect and create in schema public.
    struct LeastPrivileged
    {
        ConnectParams admin;
        ConnectParams role;
        QString roleName;
    };

    LeastPrivileged leastPrivileged(const QString &prefix)
    {
        LeastPrivileged lp;
        lp.admin = PgFixture::newDatabase(prefix);
        lp.roleName = u"lp_"_s + lp.admin.value(u"dbname"_s);
        auto su = PgFixture::connect(lp.admin);
        const QString role = su->escapeIdentifier(lp.roleName);
        su->exec(u"CREATE ROLE "_s + role + u" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'lp-secret'"_s);
        su->exec(u"GRANT CONNECT ON DATABASE "_s + su->escapeIdentifier(lp.admin.value(u"dbname"_s)) + u" TO "_s + role);
        su->exec(u"GRANT CREATE, USAGE ON SCHEMA public TO "_s + role);
        lp.role = lp.admin;
        lp.role.set(u"user"_s, lp.roleName);
        lp.role.password = u"lp-secret"_s;
        return lp;
    }

    MigrateOptions options(const QString &dir)
    {
        MigrateOptions o;
        o.migrationsDir = dir;
        o.settings.retryBackoffMs = 50;
        o.settings.maxRetries = 0;
        return o;
    }

    template <typename T>
    Expected<T> run(const ConnectParams &db, const MigrateOptions &o, const std::function<T(Migrator &, JobContext &)> &body)
    {
        Migrator m(db, o);
        auto r = runInJob([&](JobContext &jc) { return QVariant::fromValue(body(m, jc)); });
        if (!r)
            return std::unexpected(r.error());
        return r->template value<T>();
    }

    void writePairs(const QString &dir)
    {
        writeFile(dir, u"1_a.up.sql"_s, "CREATE TABLE a (x int);\n");
        writeFile(dir, u"1_a.down.sql"_s, "DROP TABLE a;\n");
        writeFile(dir, u"2_b.up.sql"_s, "CREATE TABLE b (x int);\n");
        writeFile(dir, u"2_b.down.sql"_s, "DROP TABLE b;\n");
    }
}

class TestPrivileges final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { DBOPS_REQUIRE_PG(); }

    void roleIsReallyLeastPrivileged()
    {
        const LeastPrivileged lp = leastPrivileged(u"lpcheck"_s);
        auto conn = PgConnection::open(lp.role);
        QVERIFY(!conn->exec(u"SELECT rolsuper FROM pg_roles WHERE rolname = current_user"_s).value(0, 0).toBool());
        QVERIFY(!conn->exec(u"SELECT has_database_privilege(current_database(), 'CREATE')"_s).value(0, 0).toBool());
        QVERIFY(conn->exec(u"SELECT has_schema_privilege('public', 'CREATE')"_s).value(0, 0).toBool());
        QVERIFY(!conn->exec(u"SELECT pg_has_role(nspowner, 'USAGE') FROM pg_namespace WHERE nspname = 'public'"_s).value(0, 0).toBool());
        // What dbops used to run first, and PostgreSQL refuses although the schema exists.
        auto refused = conn->tryExec(u"CREATE SCHEMA IF NOT EXISTS public"_s);
        QVERIFY(!refused);
        QCOMPARE(refused.error().sqlstate, u"42501"_s);
    }

    void infoMigrateValidateRepairDown()
    {
        QTemporaryDir dir;
        writePairs(dir.path());
        const LeastPrivileged lp = leastPrivileged(u"lpflow"_s);
        const MigrateOptions o = options(dir.path());

        auto t = run<Timeline>(lp.role, o, [](Migrator &m, JobContext &jc) { return m.info(jc); });
        QVERIFY2(t, qPrintable(t ? QString() : t.error().toString()));
        QVERIFY(!t->historyExists);

        auto r = run<MigrateResult>(lp.role, o, [](Migrator &m, JobContext &jc) { return m.migrate(jc); });
        QVERIFY2(r, qPrintable(r ? QString() : r.error().toString()));
        QVERIFY2(!r->failure, qPrintable(r->failure ? r->failure->toText() : QString()));
        QCOMPARE(r->applied.size(), 2);
        auto su = PgFixture::connect(lp.admin);
        QCOMPARE(su->exec(u"SELECT tableowner FROM pg_tables WHERE tablename = 'dbops_schema_history'"_s).value(0, 0).toString(),
                 lp.roleName);

        auto v = run<ValidateResult>(lp.role, o, [](Migrator &m, JobContext &jc) { return m.validate(jc); });
        QVERIFY2(v, qPrintable(v ? QString() : v.error().toString()));
        QVERIFY(v->problems.isEmpty());

        // A CRLF checkout: repair realigns the checksum.
        writeFile(dir.path(), u"1_a.up.sql"_s, "CREATE TABLE a (x int);\r\n");
        auto plan = run<RepairPlan>(lp.role, o, [](Migrator &m, JobContext &jc) { return m.planRepair({}, jc); });
        QVERIFY2(plan, qPrintable(plan ? QString() : plan.error().toString()));
        QCOMPARE(plan->actions.size(), 1);
        const RepairPlan shown = *plan;
        auto repaired = run<RepairPlan>(lp.role, o, [&](Migrator &m, JobContext &jc) { return m.repair(shown, {}, jc); });
        QVERIFY2(repaired, qPrintable(repaired ? QString() : repaired.error().toString()));

        auto down = run<DownResult>(lp.role, o, [](Migrator &m, JobContext &jc) { return m.down(u"0"_s, jc); });
        QVERIFY2(down, qPrintable(down ? QString() : down.error().toString()));
        QCOMPARE(down->reverted.size(), 2);
        QVERIFY(!tableExists(*su, u"a"_s) && !tableExists(*su, u"b"_s));
    }

    void baseline()
    {
        QTemporaryDir dir;
        writePairs(dir.path());
        const LeastPrivileged lp = leastPrivileged(u"lpbase"_s);
        auto done = run<bool>(lp.role, options(dir.path()), [](Migrator &m, JobContext &jc) {
            m.baseline(u"1"_s, {}, jc);
            return true;
        });
        QVERIFY2(done, qPrintable(done ? QString() : done.error().toString()));
        auto t = run<Timeline>(lp.role, options(dir.path()), [](Migrator &m, JobContext &jc) { return m.info(jc); });
        QVERIFY(t);
        QCOMPARE(t->currentVersion, u"1"_s);
    }

    void adoptAPlainHistoryGrantedToTheRole()
    {
        QTemporaryDir dir;
        writePairs(dir.path());
        const LeastPrivileged lp = leastPrivileged(u"lpadopt"_s);
        auto su = PgFixture::connect(lp.admin);
        su->exec(u"CREATE TABLE schema_migrations (name text PRIMARY KEY); INSERT INTO schema_migrations VALUES ('1_a.up.sql'); "
                 u"CREATE TABLE a (x int)"_s);
        su->exec(u"GRANT SELECT ON schema_migrations TO "_s + su->escapeIdentifier(lp.roleName));
        auto adopted = run<AdoptResult>(lp.role, options(dir.path()), [](Migrator &m, JobContext &jc) { return m.adopt(jc); });
        QVERIFY2(adopted, qPrintable(adopted ? QString() : adopted.error().toString()));
        QCOMPARE(adopted->rows, 1);
        QVERIFY(tableExists(*su, u"dbops_schema_history"_s));
    }

    void refusalsAreNamed42501()
    {
        QTemporaryDir dir;
        writePairs(dir.path());
        const LeastPrivileged lp = leastPrivileged(u"lpdeny"_s);

        // A history schema that does not exist: the role may not create schemas.
        MigrateOptions o = options(dir.path());
        o.settings.historyTable = u"audit.history"_s;
        auto r = run<MigrateResult>(lp.role, o, [](Migrator &m, JobContext &jc) { return m.migrate(jc); });
        QVERIFY(!r);
        QCOMPARE(r.error().sqlstate, u"42501"_s);
        QVERIFY2(r.error().toString().contains(u"CREATE SCHEMA \"audit\""_s), qPrintable(r.error().toString()));
        auto su = PgFixture::connect(lp.admin);
        QVERIFY(!tableExists(*su, u"a"_s));

        // A history the superuser keeps and did not grant: reading it is refused, by name.
        auto bySuperuser = run<MigrateResult>(lp.admin, options(dir.path()), [](Migrator &m, JobContext &jc) { return m.migrate(jc); });
        QVERIFY(bySuperuser && bySuperuser->applied.size() == 2);
        for (const char *op : {"info", "migrate"})
        {
            Expected<bool> failed =
                std::string(op) == "info"
                    ? run<bool>(lp.role, options(dir.path()), [](Migrator &m, JobContext &jc) { return !m.info(jc).entries.isEmpty(); })
                    : run<bool>(lp.role, options(dir.path()), [](Migrator &m, JobContext &jc) { return !m.migrate(jc).failure; });
            QVERIFY2(!failed, op);
            QCOMPARE(failed.error().sqlstate, u"42501"_s);
            QVERIFY2(failed.error().toString().contains(u"permission denied for table dbops_schema_history"_s),
                     qPrintable(failed.error().toString()));
            QVERIFY2(failed.error().toString().contains(u"SELECT … FROM \"public\".\"dbops_schema_history\""_s),
                     qPrintable(failed.error().toString()));
        }
    }
};

QTEST_GUILESS_MAIN(TestPrivileges)
#include "test_privileges.moc"
