// Views, materialized views, functions (procedures, aggregates), operators, casts, triggers,
// rules, policies and extended statistics: one bulk query per kind (core/schema/sql/code_*.sql).
#include "core/db/queryresult.h"
#include "core/schema/pgintrospect.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    using namespace catalog;

    namespace
    {

        QString boolText(const QueryResult &rows, int r, const QString &column)
        {
            const QString t = rows.text(r, column);
            return (t == u"t"_s || t == u"true"_s) ? u"true"_s : u"false"_s;
        }

        /// The view's text without the trailing ';' pg_get_viewdef prints, so it can be followed by
        /// WITH CHECK OPTION or WITH DATA.
        QString viewBody(QString text)
        {
            text = text.trimmed();
            while (text.endsWith(u';'))
                text.chop(1);
            return text;
        }

        void readViews(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                const QString schema = rows.text(r, u"schema"_s);
                if (!context.wanted(schema))
                    continue;
                SchemaObject o;
                o.kind = rows.text(r, u"relkind"_s) == u"m"_s ? ObjectKind::MaterializedView : ObjectKind::View;
                o.schema = schema;
                o.name = rows.text(r, u"name"_s);
                o.attrs.insert(u"definition"_s, viewBody(rows.text(r, u"definition"_s)));
                o.attrs.insert(u"options"_s, rows.text(r, u"options"_s));
                o.attrs.insert(u"columns"_s, rows.text(r, u"columns"_s));
                o.attrs.insert(u"_column_types"_s, rows.text(r, u"column_types"_s));
                if (o.kind == ObjectKind::MaterializedView)
                    o.attrs.insert(u"populated"_s, boolText(rows, r, u"populated"_s));
                const quint32 oid = oidOf(rows, r);
                const QString id = o.id();
                context.add(std::move(o), {kPgClass, oid, 0});
                // The parts the view owns: its rewrite rule (what pg_depend names for what the view
                // reads), its row type and that type's array type.
                if (const quint32 rule = oidOf(rows, r, u"rule_oid"_s); rule != 0)
                    context.ownedBy.insert({kPgRewrite, rule, 0}, id);
                if (const quint32 type = oidOf(rows, r, u"reltype"_s); type != 0)
                    context.ownedBy.insert({kPgType, type, 0}, id);
                if (const quint32 array = oidOf(rows, r, u"arraytype"_s); array != 0)
                    context.ownedBy.insert({kPgType, array, 0}, id);
            }
        }

        void readFunctions(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                const QString schema = rows.text(r, u"schema"_s);
                if (!context.wanted(schema))
                    continue;
                SchemaObject o;
                o.kind = ObjectKind::Function;
                o.schema = schema;
                o.name = rows.text(r, u"name"_s);
                o.arguments = rows.text(r, u"arguments"_s);
                // An aggregate of no arguments is named agg(*) by every statement (DROP, ALTER,
                // GRANT, COMMENT ON AGGREGATE).
                if (o.arguments.isEmpty() && rows.text(r, u"kind"_s) == u"a"_s)
                    o.arguments = u"*"_s;
                o.attrs.insert(u"kind"_s, rows.text(r, u"kind"_s));
                o.attrs.insert(u"definition"_s, rows.text(r, u"definition"_s).trimmed());
                o.attrs.insert(u"result"_s, rows.text(r, u"result"_s));
                o.attrs.insert(u"language"_s, rows.text(r, u"language"_s));
                o.attrs.insert(u"_arguments"_s, rows.text(r, u"arguments_full"_s));
                context.add(std::move(o), {kPgProc, oidOf(rows, r), 0});
            }
        }

        /// Operators, casts and statistics: a schema (or none), a name and a definition.
        void readOperators(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                const QString schema = rows.text(r, u"schema"_s);
                if (!context.wanted(schema))
                    continue;
                SchemaObject o;
                o.kind = ObjectKind::Operator;
                o.schema = schema;
                o.name = rows.text(r, u"name"_s);
                o.arguments = rows.text(r, u"arguments"_s);
                o.attrs.insert(u"definition"_s, rows.text(r, u"definition"_s));
                context.add(std::move(o), {kPgOperator, oidOf(rows, r), 0});
            }
        }

        void readCasts(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                SchemaObject o;
                o.kind = ObjectKind::Cast;
                o.name = rows.text(r, u"name"_s);
                o.attrs.insert(u"definition"_s, rows.text(r, u"definition"_s));
                context.add(std::move(o), {kPgCast, oidOf(rows, r), 0});
            }
        }

        void readTriggers(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                auto row = context.fromRow(rows, r, ObjectKind::Trigger, u"table_name"_s);
                if (!row)
                    continue;
                SchemaObject &o = *row;
                o.attrs.insert(u"definition"_s, rows.text(r, u"definition"_s));
                o.attrs.insert(u"enabled"_s, rows.text(r, u"enabled"_s));
                const QString id = o.id();
                context.add(std::move(o), {kPgTrigger, oidOf(rows, r), 0});
                // A constraint trigger's pg_constraint row is a part of the trigger (CREATE
                // CONSTRAINT TRIGGER makes both), unless a reader made it an object.
                if (const quint32 constraint = oidOf(rows, r, u"constraint_oid"_s); constraint != 0)
                    if (!context.ids.contains({kPgConstraint, constraint, 0}))
                        context.ownedBy.insert({kPgConstraint, constraint, 0}, id);
            }
        }

        void readRules(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                auto row = context.fromRow(rows, r, ObjectKind::Rule, u"table_name"_s);
                if (!row)
                    continue;
                SchemaObject &o = *row;
                o.attrs.insert(u"definition"_s, rows.text(r, u"definition"_s));
                o.attrs.insert(u"enabled"_s, rows.text(r, u"enabled"_s));
                context.add(std::move(o), {kPgRewrite, oidOf(rows, r), 0});
            }
        }

        void readPolicies(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                auto row = context.fromRow(rows, r, ObjectKind::Policy, u"table_name"_s);
                if (!row)
                    continue;
                SchemaObject &o = *row;
                o.attrs.insert(u"command"_s, rows.text(r, u"command"_s));
                o.attrs.insert(u"permissive"_s, boolText(rows, r, u"permissive"_s));
                o.attrs.insert(u"roles"_s, rows.text(r, u"roles"_s));
                o.attrs.insert(u"using"_s, rows.text(r, u"using_expr"_s));
                o.attrs.insert(u"check"_s, rows.text(r, u"check_expr"_s));
                context.add(std::move(o), {kPgPolicy, oidOf(rows, r), 0});
            }
        }

        void readStatistics(const QueryResult &rows, IntrospectContext &context)
        {
            for (int r = 0; r < rows.rowCount(); ++r)
            {
                auto row = context.fromRow(rows, r, ObjectKind::Statistics);
                if (!row)
                    continue;
                SchemaObject &o = *row;
                o.attrs.insert(u"definition"_s, rows.text(r, u"definition"_s));
                o.attrs.insert(u"target"_s, rows.text(r, u"target"_s));
                context.add(std::move(o), {kPgStatisticExt, oidOf(rows, r), 0});
            }
        }
    }

    QList<KindReader> codeReaders()
    {
        return {
            KindReader{u"schema/code_views"_s, readViews},         KindReader{u"schema/code_functions"_s, readFunctions},
            KindReader{u"schema/code_operators"_s, readOperators}, KindReader{u"schema/code_casts"_s, readCasts},
            KindReader{u"schema/code_triggers"_s, readTriggers},   KindReader{u"schema/code_rules"_s, readRules},
            KindReader{u"schema/code_policies"_s, readPolicies},   KindReader{u"schema/code_statistics"_s, readStatistics},
        };
    }
}
