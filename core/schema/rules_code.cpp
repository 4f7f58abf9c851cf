// The rules of View, MaterializedView, Function, Operator, Cast, Trigger, Policy, Rule and
// Statistics (DefaultPrivileges' rules are with the grants, rules_privileges.cpp). What PostgreSQL can change in place is altered (CREATE
// OR REPLACE VIEW when columns are only appended, CREATE OR REPLACE FUNCTION when the signature and the result stay, ALTER VIEW SET/RESET,
// ALTER POLICY, ENABLE/DISABLE TRIGGER, ALTER STATISTICS, REFRESH); everything else is dropped and created, and the engine recreates what
// depends on it.
#include "core/schema/rules.h"

#include <QSet>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    namespace
    {
        QString quotedList(const QStringList &names)
        {
            QStringList quoted;
            for (const QString &n : names)
                quoted << quoteIdent(n);
            return quoted.join(u", "_s);
        }

        bool onlyAmong(const QStringList &attributes, const QSet<QString> &allowed)
        {
            for (const QString &a : attributes)
                if (!allowed.contains(a))
                    return false;
            return true;
        }

        /// "key=value" reloptions as a map key -> value.
        QMap<QString, QString> optionMap(const SchemaObject &o)
        {
            QMap<QString, QString> map;
            for (const QString &item : fromJsonList(o.attr(u"options"_s)))
            {
                const qsizetype eq = item.indexOf(u'=');
                map.insert(eq < 0 ? item : item.left(eq), eq < 0 ? QString() : item.mid(eq + 1));
            }
            return map;
        }

        /// ALTER <keyword> name SET (...) / RESET (...) turning a's reloptions into b's.
        QStringList alterOptions(const QString &keyword, const SchemaObject &a, const SchemaObject &b)
        {
            const QMap<QString, QString> before = optionMap(a), after = optionMap(b);
            QStringList set, reset;
            for (auto it = after.cbegin(); it != after.cend(); ++it)
                if (!before.contains(it.key()) || before.value(it.key()) != it.value())
                    set << it.key() + u'=' + it.value();
            for (auto it = before.cbegin(); it != before.cend(); ++it)
                if (!after.contains(it.key()))
                    reset << it.key();
            QStringList statements;
            if (!reset.isEmpty())
                statements << u"ALTER %1 %2 RESET (%3);"_s.arg(keyword, b.sqlName(), reset.join(u", "_s));
            if (!set.isEmpty())
                statements << u"ALTER %1 %2 SET (%3);"_s.arg(keyword, b.sqlName(), set.join(u", "_s));
            return statements;
        }

        QString withOptions(const SchemaObject &o)
        {
            const QStringList options = fromJsonList(o.attr(u"options"_s));
            return options.isEmpty() ? QString() : u" WITH (%1)"_s.arg(options.join(u", "_s));
        }

        QString viewColumns(const SchemaObject &o)
        {
            const QStringList columns = fromJsonList(o.attr(u"columns"_s));
            return columns.isEmpty() ? QString() : u" (%1)"_s.arg(quotedList(columns));
        }

        QString createView(const SchemaObject &o, bool orReplace)
        {
            return u"CREATE %1VIEW %2%3%4 AS\n%5;"_s.arg(orReplace ? u"OR REPLACE "_s : QString(), o.sqlName(), viewColumns(o),
                                                         withOptions(o), o.attr(u"definition"_s));
        }

        QString createMaterializedView(const SchemaObject &o)
        {
            return u"CREATE MATERIALIZED VIEW %1%2%3 AS\n%4\nWITH %5DATA;"_s.arg(
                o.sqlName(), viewColumns(o), withOptions(o), o.attr(u"definition"_s), o.flag(u"populated"_s) ? QString() : u"NO "_s);
        }

        /// Whether `after`'s column list keeps `before`'s (names and types) and only appends.
        bool onlyAppends(const SchemaObject &before, const SchemaObject &after)
        {
            const QStringList na = fromJsonList(before.attr(u"columns"_s)), nb = fromJsonList(after.attr(u"columns"_s));
            const QStringList ta = fromJsonList(before.attr(u"_column_types"_s)), tb = fromJsonList(after.attr(u"_column_types"_s));
            if (nb.size() < na.size() || tb.size() < ta.size() || ta.size() != na.size())
                return false;
            for (qsizetype i = 0; i < na.size(); ++i)
                if (na[i] != nb[i] || ta[i] != tb[i])
                    return false;
            return true;
        }

        QString functionKeyword(const SchemaObject &o)
        {
            const QString kind = o.attr(u"kind"_s);
            if (kind == u"p"_s)
                return u"PROCEDURE"_s;
            if (kind == u"a"_s)
                return u"AGGREGATE"_s;
            return u"FUNCTION"_s;
        }

        /// The name DROP uses: an aggregate without arguments is written agg(*).
        QString functionSqlName(const SchemaObject &o)
        {
            if (o.attr(u"kind"_s) == u"a"_s && o.arguments.isEmpty())
                return quoteIdent(o.schema) + u'.' + quoteIdent(o.name) + u"(*)"_s;
            return o.sqlName();
        }

        QString triggerState(const QString &keyword, const SchemaObject &o, const QString &enabled)
        {
            QString state;
            if (enabled == u"D"_s)
                state = u"DISABLE"_s;
            else if (enabled == u"R"_s)
                state = u"ENABLE REPLICA"_s;
            else if (enabled == u"A"_s)
                state = u"ENABLE ALWAYS"_s;
            else
                state = u"ENABLE"_s;
            return u"ALTER TABLE %1 %2 %3 %4;"_s.arg(o.sqlTable(), state, keyword, o.sqlName());
        }

        QString policyCommand(const QString &cmd)
        {
            if (cmd == u"r"_s)
                return u"SELECT"_s;
            if (cmd == u"a"_s)
                return u"INSERT"_s;
            if (cmd == u"w"_s)
                return u"UPDATE"_s;
            if (cmd == u"d"_s)
                return u"DELETE"_s;
            return u"ALL"_s;
        }

        QString policyRoles(const SchemaObject &o)
        {
            const QStringList roles = fromJsonList(o.attr(u"roles"_s));
            if (roles.isEmpty())
                return u"PUBLIC"_s;
            QStringList quoted;
            for (const QString &r : roles)
                quoted << (r == u"public"_s ? u"PUBLIC"_s : quoteIdent(r));
            return quoted.join(u", "_s);
        }

        QString createPolicy(const SchemaObject &o)
        {
            QString sql = u"CREATE POLICY %1 ON %2 AS %3 FOR %4 TO %5"_s.arg(o.sqlName(), o.sqlTable(),
                                                                             o.flag(u"permissive"_s) ? u"PERMISSIVE"_s : u"RESTRICTIVE"_s,
                                                                             policyCommand(o.attr(u"command"_s)), policyRoles(o));
            if (!o.attr(u"using"_s).isEmpty())
                sql += u" USING (%1)"_s.arg(o.attr(u"using"_s));
            if (!o.attr(u"check"_s).isEmpty())
                sql += u" WITH CHECK (%1)"_s.arg(o.attr(u"check"_s));
            return sql + u';';
        }

        /// A kind whose statements are its "definition", optionally followed by more.
        KindRules definitionKind(ObjectKind kind, const QString &keyword, std::function<QString(const SchemaObject &)> dropName)
        {
            KindRules r;
            r.kind = kind;
            r.keyword = [keyword](const SchemaObject &) { return keyword; };
            r.create = [](const SchemaObject &o, const WriteContext &) { return QStringList{o.attr(u"definition"_s)}; };
            r.drop = [keyword, dropName](const SchemaObject &o, const WriteContext &) {
                return QStringList{u"DROP %1 IF EXISTS %2;"_s.arg(keyword, dropName(o))};
            };
            r.alter = [](const SchemaObject &, const SchemaObject &, const QStringList &,
                         const WriteContext &) -> std::optional<QStringList> { return std::nullopt; };
            return r;
        }

        KindRules viewRules()
        {
            KindRules r;
            r.kind = ObjectKind::View;
            r.keyword = [](const SchemaObject &) { return u"VIEW"_s; };
            r.create = [](const SchemaObject &o, const WriteContext &) { return QStringList{createView(o, false)}; };
            r.drop = [](const SchemaObject &o, const WriteContext &) { return QStringList{u"DROP VIEW IF EXISTS %1;"_s.arg(o.sqlName())}; };
            r.alter = [](const SchemaObject &a, const SchemaObject &b, const QStringList &attributes,
                         const WriteContext &) -> std::optional<QStringList> {
                if (!onlyAmong(attributes, {u"definition"_s, u"columns"_s, u"options"_s}))
                    return std::nullopt;
                if (attributes.contains(u"definition"_s) || attributes.contains(u"columns"_s))
                {
                    // CREATE OR REPLACE VIEW keeps the existing columns' names and types and may
                    // only append; it also replaces the options with the ones it names.
                    if (!onlyAppends(a, b))
                        return std::nullopt;
                    return QStringList{createView(b, true)};
                }
                return alterOptions(u"VIEW"_s, a, b);
            };
            r.describe = [](const SchemaObject &o, const Snapshot &) { return createView(o, false); };
            return r;
        }

        KindRules materializedViewRules()
        {
            KindRules r;
            r.kind = ObjectKind::MaterializedView;
            r.keyword = [](const SchemaObject &) { return u"MATERIALIZED VIEW"_s; };
            r.create = [](const SchemaObject &o, const WriteContext &) { return QStringList{createMaterializedView(o)}; };
            r.drop = [](const SchemaObject &o, const WriteContext &) {
                return QStringList{u"DROP MATERIALIZED VIEW IF EXISTS %1;"_s.arg(o.sqlName())};
            };
            // A materialized view's query cannot be altered: it is dropped and created (its indexes,
            // objects of their own, are recreated around it by the engine). Options and whether it
            // holds data are changed in place.
            r.alter = [](const SchemaObject &a, const SchemaObject &b, const QStringList &attributes,
                         const WriteContext &) -> std::optional<QStringList> {
                if (!onlyAmong(attributes, {u"options"_s, u"populated"_s}))
                    return std::nullopt;
                QStringList statements;
                if (attributes.contains(u"options"_s))
                    statements << alterOptions(u"MATERIALIZED VIEW"_s, a, b);
                if (attributes.contains(u"populated"_s))
                    statements << u"REFRESH MATERIALIZED VIEW %1%2;"_s.arg(b.sqlName(),
                                                                           b.flag(u"populated"_s) ? QString() : u" WITH NO DATA"_s);
                return statements;
            };
            r.describe = [](const SchemaObject &o, const Snapshot &) { return createMaterializedView(o); };
            return r;
        }

        KindRules functionRules()
        {
            KindRules r;
            r.kind = ObjectKind::Function;
            r.keyword = functionKeyword;
            r.create = [](const SchemaObject &o, const WriteContext &) { return QStringList{o.attr(u"definition"_s)}; };
            r.drop = [](const SchemaObject &o, const WriteContext &) {
                return QStringList{u"DROP %1 IF EXISTS %2;"_s.arg(functionKeyword(o), functionSqlName(o))};
            };
            // CREATE OR REPLACE keeps a function (and what uses it) when its kind, its arguments
            // (names and defaults too: PostgreSQL refuses to rename or drop those) and its result
            // stay; an aggregate is always dropped and created.
            r.alter = [](const SchemaObject &a, const SchemaObject &b, const QStringList &attributes,
                         const WriteContext &) -> std::optional<QStringList> {
                if (!onlyAmong(attributes, {u"definition"_s, u"language"_s}) || a.attr(u"kind"_s) != b.attr(u"kind"_s)
                    || b.attr(u"kind"_s) == u"a"_s || a.attr(u"_arguments"_s) != b.attr(u"_arguments"_s)
                    || a.attr(u"result"_s) != b.attr(u"result"_s))
                    return std::nullopt;
                return QStringList{b.attr(u"definition"_s)};
            };
            r.describe = [](const SchemaObject &o, const Snapshot &) { return o.attr(u"definition"_s); };
            return r;
        }

        KindRules triggerRules()
        {
            KindRules r;
            r.kind = ObjectKind::Trigger;
            r.keyword = [](const SchemaObject &) { return u"TRIGGER"_s; };
            r.create = [](const SchemaObject &o, const WriteContext &) {
                QStringList statements{o.attr(u"definition"_s) + u';'};
                if (const QString enabled = o.attr(u"enabled"_s); !enabled.isEmpty() && enabled != u"O"_s)
                    statements << triggerState(u"TRIGGER"_s, o, enabled);
                return statements;
            };
            r.drop = [](const SchemaObject &o, const WriteContext &) {
                return QStringList{u"DROP TRIGGER IF EXISTS %1 ON %2;"_s.arg(o.sqlName(), o.sqlTable())};
            };
            r.alter = [](const SchemaObject &, const SchemaObject &b, const QStringList &attributes,
                         const WriteContext &) -> std::optional<QStringList> {
                if (attributes != QStringList{u"enabled"_s})
                    return std::nullopt;
                return QStringList{triggerState(u"TRIGGER"_s, b, b.attr(u"enabled"_s))};
            };
            r.describe = [](const SchemaObject &o, const Snapshot &) {
                QString text = o.attr(u"definition"_s);
                if (const QString enabled = o.attr(u"enabled"_s); !enabled.isEmpty() && enabled != u"O"_s)
                    text += u"\n-- enabled: "_s + enabled;
                return text;
            };
            return r;
        }

        KindRules ruleRules()
        {
            KindRules r;
            r.kind = ObjectKind::Rule;
            r.keyword = [](const SchemaObject &) { return u"RULE"_s; };
            r.create = [](const SchemaObject &o, const WriteContext &) {
                QStringList statements{o.attr(u"definition"_s)};
                if (const QString enabled = o.attr(u"enabled"_s); !enabled.isEmpty() && enabled != u"O"_s)
                    statements << triggerState(u"RULE"_s, o, enabled);
                return statements;
            };
            r.drop = [](const SchemaObject &o, const WriteContext &) {
                return QStringList{u"DROP RULE IF EXISTS %1 ON %2;"_s.arg(o.sqlName(), o.sqlTable())};
            };
            r.alter = [](const SchemaObject &, const SchemaObject &b, const QStringList &attributes,
                         const WriteContext &) -> std::optional<QStringList> {
                if (attributes != QStringList{u"enabled"_s})
                    return std::nullopt;
                return QStringList{triggerState(u"RULE"_s, b, b.attr(u"enabled"_s))};
            };
            r.describe = [](const SchemaObject &o, const Snapshot &) { return o.attr(u"definition"_s); };
            return r;
        }

        KindRules policyRules()
        {
            KindRules r;
            r.kind = ObjectKind::Policy;
            // Statements name a policy as "POLICY name ON table" (sqlName, then sqlTable).
            r.keyword = [](const SchemaObject &) { return u"POLICY"_s; };
            r.create = [](const SchemaObject &o, const WriteContext &) { return QStringList{createPolicy(o)}; };
            r.drop = [](const SchemaObject &o, const WriteContext &) {
                return QStringList{u"DROP POLICY IF EXISTS %1 ON %2;"_s.arg(o.sqlName(), o.sqlTable())};
            };
            // ALTER POLICY changes the roles and the expressions; it cannot change the command or
            // permissive/restrictive, nor take an expression away.
            r.alter = [](const SchemaObject &a, const SchemaObject &b, const QStringList &attributes,
                         const WriteContext &) -> std::optional<QStringList> {
                if (!onlyAmong(attributes, {u"roles"_s, u"using"_s, u"check"_s}))
                    return std::nullopt;
                if ((attributes.contains(u"using"_s) && b.attr(u"using"_s).isEmpty())
                    || (attributes.contains(u"check"_s) && b.attr(u"check"_s).isEmpty()))
                    return std::nullopt;
                QString sql = u"ALTER POLICY %1 ON %2"_s.arg(b.sqlName(), b.sqlTable());
                if (attributes.contains(u"roles"_s))
                    sql += u" TO "_s + policyRoles(b);
                if (attributes.contains(u"using"_s))
                    sql += u" USING (%1)"_s.arg(b.attr(u"using"_s));
                if (attributes.contains(u"check"_s))
                    sql += u" WITH CHECK (%1)"_s.arg(b.attr(u"check"_s));
                (void)a;
                return QStringList{sql + u';'};
            };
            r.describe = [](const SchemaObject &o, const Snapshot &) { return createPolicy(o); };
            return r;
        }

        KindRules statisticsRules()
        {
            KindRules r;
            r.kind = ObjectKind::Statistics;
            r.keyword = [](const SchemaObject &) { return u"STATISTICS"_s; };
            r.create = [](const SchemaObject &o, const WriteContext &) {
                QStringList statements{o.attr(u"definition"_s) + u';'};
                if (!o.attr(u"target"_s).isEmpty())
                    statements << u"ALTER STATISTICS %1 SET STATISTICS %2;"_s.arg(o.sqlName(), o.attr(u"target"_s));
                return statements;
            };
            r.drop = [](const SchemaObject &o, const WriteContext &) {
                return QStringList{u"DROP STATISTICS IF EXISTS %1;"_s.arg(o.sqlName())};
            };
            r.alter = [](const SchemaObject &, const SchemaObject &b, const QStringList &attributes,
                         const WriteContext &) -> std::optional<QStringList> {
                if (attributes != QStringList{u"target"_s})
                    return std::nullopt;
                const QString target = b.attr(u"target"_s).isEmpty() ? u"-1"_s : b.attr(u"target"_s);
                return QStringList{u"ALTER STATISTICS %1 SET STATISTICS %2;"_s.arg(b.sqlName(), target)};
            };
            r.describe = [](const SchemaObject &o, const Snapshot &) {
                QString text = o.attr(u"definition"_s);
                if (!o.attr(u"target"_s).isEmpty())
                    text += u"\n-- statistics target: "_s + o.attr(u"target"_s);
                return text;
            };
            return r;
        }
    }

    QList<KindRules> codeRules()
    {
        KindRules operators = definitionKind(ObjectKind::Operator, u"OPERATOR"_s, [](const SchemaObject &o) { return o.sqlName(); });
        operators.describe = [](const SchemaObject &o, const Snapshot &) { return o.attr(u"definition"_s); };
        KindRules casts =
            definitionKind(ObjectKind::Cast, u"CAST"_s, [](const SchemaObject &o) -> QString { return u'(' + o.name + u')'; });
        casts.describe = operators.describe;
        return {viewRules(),    materializedViewRules(), functionRules(), operators,        casts,
                triggerRules(), policyRules(),           ruleRules(),     statisticsRules()};
    }
}
