// Types and security readers and rules of the schema diff (issue 13) against a real PostgreSQL:
// what an extension owns stays out and is a dependency on the extension, a type's array type
// leads to the type, an explicit acl equal to the defaults is none, kinds dbops does not model are
// listed, enum label changes are written in place where PostgreSQL allows it.

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

class TestSchemaTypes final : public QObject
{
    Q_OBJECT

    static Snapshot snapshotAfter(const QStringList &statements)
    {
        const ConnectParams db = PgFixture::newDatabase(u"ty"_s);
        auto conn = PgFixture::connect(db);
        for (const QString &sql : statements)
            conn->exec(sql);
        auto s = snapshotPostgres(*conn);
        if (!s)
            qFatal("snapshot failed: %s", qPrintable(s.error().toString()));
        return *s;
    }

private slots:
    void initTestCase() { DBOPS_REQUIRE_PG(); }

    void extensionMembersAreLeftOutAndLeadToTheExtension()
    {
        const Snapshot s =
            snapshotAfter({u"CREATE SCHEMA ext"_s, u"CREATE EXTENSION citext SCHEMA ext"_s, u"CREATE DOMAIN public.email AS ext.citext"_s,
                           u"CREATE TYPE public.pair AS (a ext.citext[], b int)"_s});
        const SchemaObject *ext = s.find(u"extension:citext"_s);
        QVERIFY(ext);
        QCOMPARE(ext->attr(u"schema"_s), u"ext"_s);
        QVERIFY(!ext->attr(u"version"_s).isEmpty());
        for (const SchemaObject &o : s.objects)
            QVERIFY2(o.schema != u"ext"_s, qPrintable(o.id() + u" is the extension's"_s));
        const SchemaObject *email = s.find(u"domain:public.email"_s);
        QVERIFY(email);
        QVERIFY2(email->dependsOn.contains(u"extension:citext"_s), qPrintable(email->dependsOn.join(u", "_s)));
        const SchemaObject *pair = s.find(u"composite type:public.pair"_s);
        QVERIFY(pair);
        QVERIFY2(pair->dependsOn.contains(u"extension:citext"_s), qPrintable(pair->dependsOn.join(u", "_s)));
        QVERIFY(s.find(u"schema:ext"_s));
        QVERIFY(!s.find(u"schema:pg_toast"_s));
    }

    void anArrayOfATypeDependsOnTheType()
    {
        const Snapshot s =
            snapshotAfter({u"CREATE TYPE public.st AS ENUM ('a', 'b')"_s, u"CREATE TYPE public.holder AS (states public.st[])"_s});
        const SchemaObject *holder = s.find(u"composite type:public.holder"_s);
        QVERIFY(holder);
        QVERIFY2(holder->dependsOn.contains(u"enum:public.st"_s), qPrintable(holder->dependsOn.join(u", "_s)));
        QCOMPARE(holder->attr(u"attributes"_s), uR"([{"collation":"","name":"states","type":"public.st[]"}])"_s);
        QCOMPARE(s.find(u"enum:public.st"_s)->attr(u"labels"_s), uR"(["a","b"])"_s);
    }

    void anExplicitAclEqualToTheDefaultsIsNone()
    {
        const Snapshot plain = snapshotAfter({u"CREATE TYPE public.st AS ENUM ('a')"_s, u"CREATE SCHEMA s"_s});
        const Snapshot explicitAcl =
            snapshotAfter({u"CREATE TYPE public.st AS ENUM ('a')"_s, u"CREATE SCHEMA s"_s, u"GRANT USAGE ON TYPE public.st TO PUBLIC"_s,
                           u"REVOKE ALL ON SCHEMA s FROM postgres"_s, u"GRANT ALL ON SCHEMA s TO postgres"_s});
        QVERIFY(!plain.find(u"enum:public.st"_s)->attr(u"acl"_s).isEmpty());
        QCOMPARE(explicitAcl.find(u"enum:public.st"_s)->attr(u"acl"_s), plain.find(u"enum:public.st"_s)->attr(u"acl"_s));
        const auto d = diff(plain, explicitAcl);
        QVERIFY(d);
        QVERIFY2(d->isEmpty(), qPrintable(d->summary()));
    }

    void kindsNotModelledAreListed()
    {
        const Snapshot s =
            snapshotAfter({u"CREATE TEXT SEARCH CONFIGURATION public.my_cfg (COPY = pg_catalog.english)"_s,
                           u"CREATE FOREIGN DATA WRAPPER my_fdw"_s, u"CREATE PUBLICATION my_pub"_s, u"CREATE EXTENSION hstore"_s});
        QStringList listed;
        for (const NotCompared &n : s.notCompared)
            listed << n.kind + u' ' + n.name;
        QVERIFY2(listed.contains(u"text search configuration public.my_cfg"_s), qPrintable(listed.join(u", "_s)));
        QVERIFY2(listed.contains(u"foreign data wrapper my_fdw"_s), qPrintable(listed.join(u", "_s)));
        QVERIFY2(listed.contains(u"publication my_pub"_s), qPrintable(listed.join(u", "_s)));
        // hstore's operator classes are the extension's: not listed
        for (const QString &l : listed)
            QVERIFY2(!l.contains(u"hstore"_s), qPrintable(l));
    }

    void enumAdditionsAreAddValueAndCaseOnlyIsRenameValue()
    {
        const Snapshot a = snapshotAfter({u"CREATE TYPE public.st AS ENUM ('b', 'd')"_s, u"CREATE TYPE public.c AS ENUM ('X', 'y')"_s});
        const Snapshot b =
            snapshotAfter({u"CREATE TYPE public.st AS ENUM ('a', 'b', 'c', 'd', 'e')"_s, u"CREATE TYPE public.c AS ENUM ('x', 'Y')"_s});
        const auto d = diff(a, b);
        QVERIFY(d);
        const auto plan = writeSql(*d, a, b);
        QVERIFY(plan);
        const QStringList sql = plan->statements();
        QVERIFY2(sql.contains(u"ALTER TYPE public.st ADD VALUE 'a' BEFORE 'b';"_s), qPrintable(sql.join(u'\n')));
        QVERIFY2(sql.contains(u"ALTER TYPE public.st ADD VALUE 'c' AFTER 'b';"_s), qPrintable(sql.join(u'\n')));
        QVERIFY2(sql.contains(u"ALTER TYPE public.st ADD VALUE 'e' AFTER 'd';"_s), qPrintable(sql.join(u'\n')));
        QVERIFY2(sql.contains(u"ALTER TYPE public.c RENAME VALUE 'X' TO 'x';"_s), qPrintable(sql.join(u'\n')));
        QVERIFY2(sql.contains(u"ALTER TYPE public.c RENAME VALUE 'y' TO 'Y';"_s), qPrintable(sql.join(u'\n')));
        for (const QString &s : sql)
            QVERIFY2(!s.contains(u"DROP TYPE"_s), qPrintable(s));
        bool irreversible = false;
        for (const Change &c : d->changes)
            if (c.id == u"enum:public.st"_s)
                irreversible = c.has(Hazard::Irreversible);
        QVERIFY(irreversible);
    }
    void aDomainCheckOnlineIsAddedNotValidThenValidated()
    {
        const Snapshot a = snapshotAfter({u"CREATE DOMAIN public.d AS integer"_s});
        const Snapshot b = snapshotAfter({u"CREATE DOMAIN public.d AS integer CONSTRAINT pos CHECK (VALUE > 0)"_s});
        const auto d = diff(a, b);
        QVERIFY(d);
        const auto plain = writeSql(*d, a, b);
        QVERIFY(plain);
        QVERIFY2(plain->statements().contains(u"ALTER DOMAIN public.d ADD CONSTRAINT pos CHECK ((VALUE > 0));"_s),
                 qPrintable(plain->statements().join(u'\n')));
        SqlOptions online;
        online.online = true;
        const auto steps = writeSql(*d, a, b, online);
        QVERIFY(steps);
        const QStringList sql = steps->statements();
        const qsizetype added = sql.indexOf(u"ALTER DOMAIN public.d ADD CONSTRAINT pos CHECK ((VALUE > 0)) NOT VALID;"_s);
        const qsizetype validated = sql.indexOf(u"ALTER DOMAIN public.d VALIDATE CONSTRAINT pos;"_s);
        QVERIFY2(added >= 0 && validated > added, qPrintable(sql.join(u'\n')));
        QVERIFY(steps->steps.size() >= 2); // VALIDATE stands in a step of its own
    }

    void anEnumValueRemovedIsDataLossAndARebuild()
    {
        const Snapshot a = snapshotAfter({u"CREATE TYPE public.st AS ENUM ('a', 'b')"_s});
        const Snapshot b = snapshotAfter({u"CREATE TYPE public.st AS ENUM ('a')"_s});
        const auto d = diff(a, b);
        QVERIFY(d);
        QCOMPARE(d->changes.size(), qsizetype(1));
        QVERIFY(d->changes.first().has(Hazard::DataLoss));
        QVERIFY(!d->changes.first().has(Hazard::Irreversible));
        const auto plan = writeSql(*d, a, b);
        QVERIFY(plan);
        // The type made anew is given its owner again, as a created one is (whoever runs the
        // script creates it).
        QCOMPARE(plan->statements(),
                 (QStringList{u"ALTER TYPE public.st RENAME TO st__dbops_old;"_s, u"CREATE TYPE public.st AS ENUM ('a');"_s,
                              u"DROP TYPE public.st__dbops_old;"_s, u"ALTER TYPE public.st OWNER TO postgres;"_s}));
    }
};

QTEST_GUILESS_MAIN(TestSchemaTypes)
#include "test_schema_types.moc"
