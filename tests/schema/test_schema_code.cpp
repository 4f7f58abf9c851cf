// The rules of the code kinds (views, functions, triggers, policies, statistics ...): what is
// altered in place and what is dropped and created. The cases under cases/code-* prove the SQL
// on a real server; these pin the decisions themselves.
#include "core/schema/rules.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops::schema;

namespace
{
    SchemaObject view(const QStringList &columns, const QStringList &types, const QString &definition, const QStringList &options = {})
    {
        SchemaObject o;
        o.kind = ObjectKind::View;
        o.schema = u"public"_s;
        o.name = u"My View"_s;
        o.attrs.insert(u"columns"_s, jsonList(columns));
        o.attrs.insert(u"_column_types"_s, jsonList(types));
        o.attrs.insert(u"definition"_s, definition);
        o.attrs.insert(u"options"_s, jsonList(options));
        return o;
    }

    SchemaObject function(const QString &kind, const QString &arguments, const QString &result, const QString &definition)
    {
        SchemaObject o;
        o.kind = ObjectKind::Function;
        o.schema = u"public"_s;
        o.name = u"f"_s;
        o.arguments = arguments;
        o.attrs.insert(u"kind"_s, kind);
        o.attrs.insert(u"_arguments"_s, arguments);
        o.attrs.insert(u"result"_s, result);
        o.attrs.insert(u"definition"_s, definition);
        return o;
    }
}

class TestSchemaCode final : public QObject
{
    Q_OBJECT

private:
    Snapshot m_from, m_to;
    SqlOptions m_options;
    WriteContext context() const { return WriteContext{m_from, m_to, m_options}; }

private slots:
    void viewAppendingColumnsIsReplaced()
    {
        const SchemaObject a = view({u"id"_s}, {u"integer"_s}, u"SELECT 1 AS id"_s);
        const SchemaObject b = view({u"id"_s, u"name"_s}, {u"integer"_s, u"text"_s}, u"SELECT 1 AS id, 'x'::text AS name"_s);
        const auto sql = rulesFor(ObjectKind::View).alter(a, b, {u"columns"_s, u"definition"_s}, context());
        QVERIFY(sql);
        QCOMPARE(sql->size(), 1);
        QVERIFY2(sql->first().startsWith(u"CREATE OR REPLACE VIEW public.\"My View\" (id, name) AS"_s), qPrintable(sql->first()));
    }

    void viewRemovingRenamingOrRetypingColumnsIsDroppedAndCreated()
    {
        const SchemaObject a = view({u"id"_s, u"name"_s}, {u"integer"_s, u"text"_s}, u"q1"_s);
        const KindRules &rules = rulesFor(ObjectKind::View);
        QVERIFY(!rules.alter(a, view({u"id"_s}, {u"integer"_s}, u"q2"_s), {u"columns"_s, u"definition"_s}, context()));
        QVERIFY(
            !rules.alter(a, view({u"id"_s, u"label"_s}, {u"integer"_s, u"text"_s}, u"q2"_s), {u"columns"_s, u"definition"_s}, context()));
        QVERIFY(!rules.alter(a, view({u"id"_s, u"name"_s}, {u"bigint"_s, u"text"_s}, u"q2"_s), {u"definition"_s}, context()));
    }

    void viewOptionsAreSetAndReset()
    {
        const SchemaObject a = view({u"id"_s}, {u"integer"_s}, u"q"_s, {u"security_barrier=true"_s});
        const SchemaObject b = view({u"id"_s}, {u"integer"_s}, u"q"_s, {u"check_option=local"_s, u"security_invoker=true"_s});
        const auto sql = rulesFor(ObjectKind::View).alter(a, b, {u"options"_s}, context());
        QVERIFY(sql);
        QCOMPARE(*sql, (QStringList{u"ALTER VIEW public.\"My View\" RESET (security_barrier);"_s,
                                    u"ALTER VIEW public.\"My View\" SET (check_option=local, security_invoker=true);"_s}));
    }

    void functionBodyIsReplacedSignatureIsNot()
    {
        const KindRules &rules = rulesFor(ObjectKind::Function);
        const SchemaObject a = function(u"f"_s, u"x integer"_s, u"integer"_s, u"CREATE OR REPLACE FUNCTION public.f(x integer) ... 1"_s);
        const SchemaObject body = function(u"f"_s, u"x integer"_s, u"integer"_s, u"CREATE OR REPLACE FUNCTION public.f(x integer) ... 2"_s);
        const auto replaced = rules.alter(a, body, {u"definition"_s}, context());
        QVERIFY(replaced);
        QCOMPARE(*replaced, QStringList{body.attr(u"definition"_s)});
        QVERIFY(!rules.alter(a, function(u"f"_s, u"x integer"_s, u"bigint"_s, u"d"_s), {u"definition"_s, u"result"_s}, context()));
        QVERIFY(!rules.alter(a, function(u"p"_s, u"x integer"_s, u"integer"_s, u"d"_s), {u"definition"_s, u"kind"_s}, context()));
        QVERIFY(!rules.alter(function(u"a"_s, u"integer"_s, u"integer"_s, u"a1"_s), function(u"a"_s, u"integer"_s, u"integer"_s, u"a2"_s),
                             {u"definition"_s}, context()));
        SchemaObject renamedArgument = body;
        renamedArgument.attrs.insert(u"_arguments"_s, u"y integer"_s);
        QVERIFY(!rules.alter(a, renamedArgument, {u"definition"_s}, context()));
    }

    void keywordsAndDrops()
    {
        QCOMPARE(rulesFor(ObjectKind::Function).keyword(function(u"p"_s, u""_s, u""_s, u""_s)), u"PROCEDURE"_s);
        QCOMPARE(rulesFor(ObjectKind::Function).keyword(function(u"a"_s, u""_s, u""_s, u""_s)), u"AGGREGATE"_s);
        QCOMPARE(rulesFor(ObjectKind::Function).drop(function(u"a"_s, u""_s, u"bigint"_s, u""_s), context()),
                 QStringList{u"DROP AGGREGATE IF EXISTS public.f(*);"_s});
        SchemaObject cast;
        cast.kind = ObjectKind::Cast;
        cast.name = u"public.pair AS text"_s;
        QCOMPARE(rulesFor(ObjectKind::Cast).drop(cast, context()), QStringList{u"DROP CAST IF EXISTS (public.pair AS text);"_s});
    }

    void policyRolesAndExpressionsAreAlteredCommandIsNot()
    {
        SchemaObject a;
        a.kind = ObjectKind::Policy;
        a.schema = u"public"_s;
        a.table = u"docs"_s;
        a.name = u"read"_s;
        a.attrs = {{u"command"_s, u"r"_s}, {u"permissive"_s, u"true"_s}, {u"roles"_s, jsonList({u"public"_s})}, {u"using"_s, u"(a > 1)"_s}};
        SchemaObject b = a;
        b.attrs.insert(u"roles"_s, jsonList({u"Admin"_s, u"reader"_s}));
        b.attrs.insert(u"using"_s, u"(a > 2)"_s);
        const KindRules &rules = rulesFor(ObjectKind::Policy);
        const auto sql = rules.alter(a, b, {u"roles"_s, u"using"_s}, context());
        QVERIFY(sql);
        QCOMPARE(*sql, QStringList{u"ALTER POLICY read ON public.docs TO \"Admin\", reader USING ((a > 2));"_s});
        SchemaObject c = a;
        c.attrs.insert(u"command"_s, u"*"_s);
        QVERIFY(!rules.alter(a, c, {u"command"_s}, context()));
        SchemaObject noUsing = a;
        noUsing.attrs.insert(u"using"_s, QString());
        QVERIFY(!rules.alter(a, noUsing, {u"using"_s}, context()));
        QCOMPARE(rules.create(a, context()),
                 QStringList{u"CREATE POLICY read ON public.docs AS PERMISSIVE FOR SELECT TO PUBLIC USING ((a > 1));"_s});
    }

    void triggerEnabledStateIsAlteredInPlace()
    {
        SchemaObject a;
        a.kind = ObjectKind::Trigger;
        a.schema = u"public"_s;
        a.table = u"Order"_s;
        a.name = u"t"_s;
        a.attrs = {{u"definition"_s, u"CREATE TRIGGER t ..."_s}, {u"enabled"_s, u"O"_s}};
        SchemaObject b = a;
        b.attrs.insert(u"enabled"_s, u"R"_s);
        const KindRules &rules = rulesFor(ObjectKind::Trigger);
        QCOMPARE(*rules.alter(a, b, {u"enabled"_s}, context()), QStringList{u"ALTER TABLE public.\"Order\" ENABLE REPLICA TRIGGER t;"_s});
        QCOMPARE(rules.create(b, context()),
                 (QStringList{u"CREATE TRIGGER t ...;"_s, u"ALTER TABLE public.\"Order\" ENABLE REPLICA TRIGGER t;"_s}));
        b.attrs.insert(u"definition"_s, u"CREATE TRIGGER t other"_s);
        QVERIFY(!rules.alter(a, b, {u"definition"_s, u"enabled"_s}, context()));
    }
};

QTEST_GUILESS_MAIN(TestSchemaCode)
#include "test_schema_code.moc"
