// The relation kinds' hazards and --online plans (issue 13), which the case corpus cannot assert:
// what a change risks (data loss, rewrite with the table's size, the lock and on what, a
// write-blocking build, a validating scan) and the lock-friendly plan (CONCURRENTLY, NOT VALID +
// VALIDATE, SET NOT NULL through a validated CHECK), applied step by step to a real PostgreSQL 15.

#include "core/db/pgconnection.h"
#include "core/schema/diff.h"
#include "core/schema/pgintrospect.h"
#include "core/schema/sqlwriter.h"
#include "tests/support/pgfixture.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::schema;
using dbops::test::PgFixture;

namespace
{
    struct Pair
    {
        ConnectParams a, b;
        Snapshot from, to;
        SchemaDiff diff;
    };

    void run(const ConnectParams &db, const QString &sql)
    {
        auto conn = PgFixture::connect(db);
        auto r = conn->tryExec(sql);
        QVERIFY2(r.has_value(), qPrintable(r ? QString() : r.error().toString()));
    }

    Snapshot snap(const ConnectParams &db)
    {
        auto conn = PgFixture::connect(db);
        auto s = snapshotPostgres(*conn);
        if (!s)
            qFatal("snapshot: %s", qPrintable(s.error().toString()));
        return *s;
    }

    /// Two databases from two scripts, snapshotted and diffed.
    Pair pairOf(const QString &aSql, const QString &bSql)
    {
        Pair p;
        p.a = PgFixture::newDatabase(u"ra"_s);
        p.b = PgFixture::newDatabase(u"rb"_s);
        run(p.a, aSql);
        run(p.b, bSql);
        p.from = snap(p.a);
        p.to = snap(p.b);
        auto d = diff(p.from, p.to);
        if (!d)
            qFatal("diff: %s", qPrintable(d.error().toString()));
        p.diff = *d;
        return p;
    }

    const Change *changeOf(const SchemaDiff &d, const QString &id)
    {
        for (const Change &c : d.changes)
            if (c.id == id)
                return &c;
        return nullptr;
    }

    QString hazardText(const Change &c, Hazard h)
    {
        QStringList details;
        for (const HazardNote &n : c.hazards)
            if (n.hazard == h)
                details << n.detail;
        return details.join(u" | "_s);
    }

    /// Applies an --online plan step by step (each step its own transaction unless it must run
    /// outside one), as a DBA would.
    void applyOnline(const ConnectParams &db, const SqlPlan &plan)
    {
        auto conn = PgFixture::connect(db);
        for (const PlanStep &step : plan.steps)
        {
            const bool outside = !step.statements.isEmpty() && step.statements.first().outsideTransaction;
            if (!outside)
                QVERIFY(conn->tryExec(u"BEGIN"_s).has_value());
            for (const PlanStatement &s : step.statements)
            {
                auto r = conn->tryExec(s.sql);
                QVERIFY2(r.has_value(), qPrintable(s.sql + u": "_s + (r ? QString() : r.error().toString())));
            }
            if (!outside)
                QVERIFY(conn->tryExec(u"COMMIT"_s).has_value());
        }
    }
}

class TestSchemaRelations final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { DBOPS_REQUIRE_PG(); }

    void hazardsOfColumnChanges()
    {
        const Pair p = pairOf(u"CREATE TABLE t (id integer, big bigint, name text, v varchar(10), gone int, n numeric(10,2));"
                              "INSERT INTO t SELECT g, g, 'x', 'y', g, 1 FROM generate_series(1, 1000) g; ANALYZE t;"_s,
                              u"CREATE TABLE t (id bigint, big integer, name varchar(5), v varchar(20), n numeric(8,2),"
                              " r double precision DEFAULT random());"_s);
        const Change *widen = changeOf(p.diff, u"column:public.t.id"_s);
        QVERIFY(widen);
        QVERIFY2(widen->has(Hazard::TableRewrite), qPrintable(hazardText(*widen, Hazard::TableRewrite)));
        QVERIFY(!widen->has(Hazard::DataLoss));
        QVERIFY2(hazardText(*widen, Hazard::TableRewrite).contains(u"public.t ("_s), qPrintable(hazardText(*widen, Hazard::TableRewrite)));
        QVERIFY(hazardText(*widen, Hazard::Lock).contains(u"ACCESS EXCLUSIVE on public.t"_s));

        for (const QString &narrow : {u"column:public.t.big"_s, u"column:public.t.name"_s, u"column:public.t.n"_s})
        {
            const Change *c = changeOf(p.diff, narrow);
            QVERIFY2(c && c->has(Hazard::DataLoss), qPrintable(narrow));
        }
        const Change *longer = changeOf(p.diff, u"column:public.t.v"_s);
        QVERIFY(longer);
        QVERIFY2(!longer->has(Hazard::TableRewrite) && !longer->has(Hazard::DataLoss),
                 "varchar(10) -> varchar(20) neither rewrites nor loses");
        const Change *gone = changeOf(p.diff, u"column:public.t.gone"_s);
        QVERIFY(gone && gone->type == Change::Type::Removed && gone->has(Hazard::DataLoss));
        const Change *added = changeOf(p.diff, u"column:public.t.r"_s);
        QVERIFY2(added && added->has(Hazard::TableRewrite), "a volatile default rewrites");
    }

    void hazardsOfTablesIndexesConstraints()
    {
        const Pair p =
            pairOf(u"CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int, v int); CREATE TABLE old (id int);"
                   "CREATE TABLE l (id int);"_s,
                   u"CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int REFERENCES p (id), v int CHECK (v > 0));"
                   "CREATE INDEX c_v ON c (v); CREATE UNLOGGED TABLE l (id int);"_s);
        const Change *dropped = changeOf(p.diff, u"table:public.old"_s);
        QVERIFY(dropped && dropped->has(Hazard::DataLoss));
        const Change *index = changeOf(p.diff, u"index:public.c.c_v"_s);
        QVERIFY(index && index->has(Hazard::BlocksWrites));
        QVERIFY2(hazardText(*index, Hazard::Lock).contains(u"SHARE on public.c"_s), qPrintable(hazardText(*index, Hazard::Lock)));
        const Change *fk = changeOf(p.diff, u"constraint:public.c.c_p_id_fkey"_s);
        QVERIFY(fk);
        QVERIFY2(hazardText(*fk, Hazard::Lock).contains(u"SHARE ROW EXCLUSIVE on public.c and public.p"_s),
                 qPrintable(hazardText(*fk, Hazard::Lock)));
        QVERIFY(fk->has(Hazard::FullScan));
        const Change *check = changeOf(p.diff, u"constraint:public.c.c_v_check"_s);
        QVERIFY(check && check->has(Hazard::FullScan));
        const Change *logged = changeOf(p.diff, u"table:public.l"_s);
        QVERIFY(logged && logged->has(Hazard::TableRewrite));
    }

    void narrowedIdentityRestartsPastTheValuesInTheColumn()
    {
        const Pair p = pairOf(u"CREATE TABLE n (id int GENERATED BY DEFAULT AS IDENTITY, v text);"
                              "INSERT INTO n (v) SELECT 'x' FROM generate_series(1, 5);"_s,
                              u"CREATE TABLE n (id int GENERATED BY DEFAULT AS IDENTITY (MAXVALUE 1000), v text);"_s);
        const Change *c = changeOf(p.diff, u"column:public.n.id"_s);
        QVERIFY(c);
        QVERIFY2(hazardText(*c, Hazard::FullScan).contains(u"restarts past max(id)"_s), qPrintable(hazardText(*c, Hazard::FullScan)));
        auto plan = writeSql(p.diff, p.from, p.to, SqlOptions{});
        QVERIFY(plan.has_value());
        applyOnline(p.a, *plan);
        // The next value is past the rows already there, not the START it was restarted at.
        auto conn = PgFixture::connect(p.a);
        QCOMPARE(conn->exec(u"INSERT INTO n (v) VALUES ('new') RETURNING id"_s).value(0, 0).toInt(), 6);
        auto again = diff(snap(p.a), p.to);
        QVERIFY(again.has_value());
        QVERIFY2(again->isEmpty(), qPrintable(again->summary()));
    }

    void tableToPartitionedIsDataLoss()
    {
        const Pair p = pairOf(u"CREATE TABLE m (id int, at date);"_s, u"CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);"_s);
        const Change *c = changeOf(p.diff, u"table:public.m"_s);
        QVERIFY(c);
        QVERIFY2(hazardText(*c, Hazard::DataLoss).contains(u"cannot turn"_s), qPrintable(hazardText(*c, Hazard::DataLoss)));
    }

    void onlinePlanAppliesInSteps()
    {
        const Pair p = pairOf(u"CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int, v int, w int);"
                              "CREATE INDEX c_w ON c (w); CREATE TABLE k (id int NOT NULL, code text, extra text);"
                              "INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1, 1, 1); INSERT INTO k VALUES (1, 'a', 'x');"_s,
                              u"CREATE TABLE p (id int PRIMARY KEY);"
                              "CREATE TABLE c (id int NOT NULL, p_id int REFERENCES p (id), v int CHECK (v > 0), w int);"
                              "CREATE INDEX c_v ON c (v);"
                              "CREATE TABLE k (id int NOT NULL, code text, extra text, CONSTRAINT k_pkey PRIMARY KEY (id),"
                              " CONSTRAINT k_code UNIQUE NULLS NOT DISTINCT (code) INCLUDE (extra) DEFERRABLE);"_s);
        SqlOptions online;
        online.online = true;
        auto plan = writeSql(p.diff, p.from, p.to, online);
        QVERIFY2(plan.has_value(), qPrintable(plan ? QString() : plan.error().toString()));
        const QString script = plan->script(u"a"_s, u"b"_s);
        const QStringList statements = plan->statements();
        const auto has = [&](const QString &re) {
            const QRegularExpression r(re);
            return std::any_of(statements.cbegin(), statements.cend(), [&](const QString &s) { return r.match(s).hasMatch(); });
        };
        QVERIFY2(has(u"^CREATE INDEX CONCURRENTLY c_v ON public.c"_s), qPrintable(script));
        QVERIFY2(has(u"^DROP INDEX CONCURRENTLY IF EXISTS public.c_w"_s), qPrintable(script));
        QVERIFY2(has(u"ADD CONSTRAINT c_p_id_fkey FOREIGN KEY .* NOT VALID;$"_s), qPrintable(script));
        QVERIFY2(has(u"VALIDATE CONSTRAINT c_p_id_fkey"_s), qPrintable(script));
        QVERIFY2(has(u"ADD CONSTRAINT c_v_check CHECK .* NOT VALID;$"_s), qPrintable(script));
        QVERIFY2(has(u"ADD CONSTRAINT c_id_not_null CHECK \\(id IS NOT NULL\\) NOT VALID"_s), qPrintable(script));
        QVERIFY2(has(u"ALTER COLUMN id SET NOT NULL"_s), qPrintable(script));
        QVERIFY2(has(u"DROP CONSTRAINT c_id_not_null"_s), qPrintable(script));
        QVERIFY2(has(u"^SET lock_timeout"_s), qPrintable(script));
        // A primary key and a unique constraint on a table that exists: the index CONCURRENTLY,
        // then the constraint USING it (no write-blocking build).
        QVERIFY2(has(u"^CREATE UNIQUE INDEX CONCURRENTLY k_pkey ON public.k USING btree \\(id\\);$"_s), qPrintable(script));
        QVERIFY2(has(u"ADD CONSTRAINT k_pkey PRIMARY KEY USING INDEX k_pkey;$"_s), qPrintable(script));
        QVERIFY2(has(u"^CREATE UNIQUE INDEX CONCURRENTLY k_code ON public.k USING btree \\(code\\) INCLUDE \\(extra\\) NULLS NOT "
                     "DISTINCT;$"_s),
                 qPrintable(script));
        QVERIFY2(has(u"ADD CONSTRAINT k_code UNIQUE USING INDEX k_code DEFERRABLE;$"_s), qPrintable(script));
        QVERIFY2(plan->steps.size() > 3, qPrintable(script));
        // The VALIDATE of the NOT NULL check comes before SET NOT NULL, each in order.
        const qsizetype validate = statements.indexOf(u"ALTER TABLE public.c VALIDATE CONSTRAINT c_id_not_null;"_s);
        const qsizetype setNotNull = statements.indexOf(u"ALTER TABLE public.c ALTER COLUMN id SET NOT NULL;"_s);
        QVERIFY2(validate >= 0 && setNotNull > validate, qPrintable(script));

        applyOnline(p.a, *plan);
        auto again = diff(snap(p.a), p.to);
        QVERIFY(again.has_value());
        QVERIFY2(again->isEmpty(), qPrintable(again->summary() + u"\n"_s + script));
    }

    void onlinePlanOnAPartitionedTable()
    {
        // CONCURRENTLY and NOT VALID foreign keys are refused on a partitioned table: the online
        // plan uses the plain forms there, and still applies.
        const Pair p =
            pairOf(u"CREATE TABLE k (id int PRIMARY KEY); CREATE TABLE m (id int, k_id int, at date) PARTITION BY RANGE (at);"
                   "CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');"_s,
                   u"CREATE TABLE k (id int PRIMARY KEY); CREATE TABLE m (id int, k_id int REFERENCES k (id), at date)"
                   " PARTITION BY RANGE (at);"
                   "CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01'); CREATE INDEX m_at ON m (at);"_s);
        SqlOptions online;
        online.online = true;
        auto plan = writeSql(p.diff, p.from, p.to, online);
        QVERIFY(plan.has_value());
        const QString script = plan->script(u"a"_s, u"b"_s);
        QVERIFY2(plan->statements().contains(u"CREATE INDEX m_at ON public.m USING btree (at);"_s), qPrintable(script));
        QVERIFY2(!script.contains(u"NOT VALID"_s), qPrintable(script));
        applyOnline(p.a, *plan);
        auto again = diff(snap(p.a), p.to);
        QVERIFY(again.has_value());
        QVERIFY2(again->isEmpty(), qPrintable(again->summary() + u"\n"_s + script));
    }

    void serialToIdentityDoesNotCollide()
    {
        const Pair p = pairOf(u"CREATE TABLE t (id serial PRIMARY KEY, v text); INSERT INTO t (v) SELECT 'x' FROM generate_series(1, 7);"_s,
                              u"CREATE TABLE t (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text);"_s);
        auto plan = writeSql(p.diff, p.from, p.to);
        QVERIFY(plan.has_value());
        auto conn = PgFixture::connect(p.a);
        QVERIFY(conn->tryExec(u"BEGIN"_s).has_value());
        for (const QString &s : plan->statements())
            QVERIFY2(conn->tryExec(s).has_value(), qPrintable(s));
        QVERIFY(conn->tryExec(u"COMMIT"_s).has_value());
        auto inserted = conn->tryExec(u"INSERT INTO t (v) VALUES ('new') RETURNING id"_s);
        QVERIFY2(inserted.has_value(), "a new row after serial -> identity must not collide with the rows there");
        QCOMPARE(inserted->text(0, u"id"_s), u"8"_s);
    }

    void renamesUseRename()
    {
        const QString a = u"CREATE TABLE \"Order\" (id int PRIMARY KEY, \"select\" text); INSERT INTO \"Order\" VALUES (1, 'kept');"_s;
        const QString b = u"CREATE TABLE \"Order\" (id int PRIMARY KEY, \"From\" text);"_s;
        Pair p = pairOf(a, b);
        DiffOptions options;
        options.renames << qMakePair(u"public.Order.select"_s, u"From"_s);
        auto d = diff(p.from, p.to, options);
        QVERIFY2(d.has_value(), qPrintable(d ? QString() : d.error().toString()));
        auto plan = writeSql(*d, p.from, p.to);
        QVERIFY(plan.has_value());
        QCOMPARE(plan->statements(), QStringList{u"ALTER TABLE public.\"Order\" RENAME COLUMN \"select\" TO \"From\";"_s});
        run(p.a, plan->statements().join(u'\n'));
        auto kept = PgFixture::connect(p.a)->tryExec(u"SELECT \"From\" FROM \"Order\""_s);
        QVERIFY(kept.has_value());
        QCOMPARE(kept->text(0, u"From"_s), u"kept"_s);

        Pair t = pairOf(u"CREATE TABLE old_name (id int, v text);"_s, u"CREATE TABLE \"New Name\" (id int, v text);"_s);
        DiffOptions tableRename;
        tableRename.renames << qMakePair(u"public.old_name"_s, u"New Name"_s);
        auto td = diff(t.from, t.to, tableRename);
        QVERIFY(td.has_value());
        auto tplan = writeSql(*td, t.from, t.to);
        QVERIFY(tplan.has_value());
        QCOMPARE(tplan->statements(), QStringList{u"ALTER TABLE public.old_name RENAME TO \"New Name\";"_s});
        run(t.a, tplan->statements().join(u'\n'));
        auto again = diff(snap(t.a), t.to);
        QVERIFY(again.has_value() && again->isEmpty());
    }

    void renamedTableGetsItsNewColumns()
    {
        Pair t =
            pairOf(u"CREATE TABLE old_name (id int, v text);"_s, u"CREATE TABLE fresh (id bigint, v text, w int NOT NULL DEFAULT 1);"_s);
        DiffOptions options;
        options.renames << qMakePair(u"public.old_name"_s, u"fresh"_s);
        auto d = diff(t.from, t.to, options);
        QVERIFY(d.has_value());
        auto plan = writeSql(*d, t.from, t.to);
        QVERIFY(plan.has_value());
        const QString script = plan->script(u"a"_s, u"b"_s);
        QVERIFY2(plan->statements().contains(u"ALTER TABLE public.fresh ADD COLUMN w integer DEFAULT 1 NOT NULL;"_s), qPrintable(script));
        QVERIFY2(plan->statements().contains(u"ALTER TABLE public.fresh ALTER COLUMN id TYPE bigint;"_s), qPrintable(script));
        run(t.a, plan->statements().join(u'\n'));
        auto again = diff(snap(t.a), t.to);
        QVERIFY(again.has_value());
        QVERIFY2(again->isEmpty(), qPrintable(again->summary() + u"\n"_s + script));
    }

    void columnsAreAddedInTheirOrder()
    {
        const Pair p = pairOf(u"CREATE TABLE t (id int);"_s, u"CREATE TABLE t (id int, zeta int, alpha int, mid int);"_s);
        auto plan = writeSql(p.diff, p.from, p.to);
        QVERIFY(plan.has_value());
        QCOMPARE(plan->statements(),
                 (QStringList{u"ALTER TABLE public.t ADD COLUMN zeta integer;"_s, u"ALTER TABLE public.t ADD COLUMN alpha integer;"_s,
                              u"ALTER TABLE public.t ADD COLUMN mid integer;"_s}));
    }
};

QTEST_GUILESS_MAIN(TestSchemaRelations)
#include "test_schema_relations.moc"
