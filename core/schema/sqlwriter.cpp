#include "core/schema/sqlwriter.h"

#include "core/schema/rules.h"

#include <QDateTime>
#include <QHash>
#include <QSet>

#include <map>
#include <queue>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    namespace
    {
        enum class Action
        {
            Drop,
            Alter,
            Create,
            Finish,
        };

        QString actionName(Action a)
        {
            switch (a)
            {
            case Action::Drop:
                return u"drop"_s;
            case Action::Alter:
                return u"alter"_s;
            case Action::Create:
                return u"create"_s;
            case Action::Finish:
                return u"finish"_s;
            }
            return {};
        }

        struct Node
        {
            Action action = Action::Create;
            QString id;
            ObjectKind kind = ObjectKind::Table;
            QStringList statements;
            QString why;
        };

        /// The kinds that live on a relation and go with it when it is dropped.
        bool isPartOfRelation(ObjectKind k)
        {
            return k == ObjectKind::Column || k == ObjectKind::Constraint || k == ObjectKind::Index || k == ObjectKind::Trigger
                   || k == ObjectKind::Policy || k == ObjectKind::Rule;
        }

        /// The ids the owning relation of a part may have (a table, a view or a materialized view).
        QStringList relationIds(const SchemaObject &part)
        {
            const QString qualified = part.schema + u'.' + part.table;
            return {u"table:"_s + qualified, u"view:"_s + qualified, u"materialized view:"_s + qualified};
        }

        /// Objects recreated around a change of what they depend on: what PostgreSQL refuses to
        /// keep across a column type change or a drop (views, rules, policies, triggers, generated
        /// columns, functions), plus, around a drop, constraints and indexes that reference it.
        /// The id of the table a part (column, constraint, index) belongs to.
        QString tableIdOf(const SchemaObject &part)
        {
            SchemaObject table;
            table.kind = ObjectKind::Table;
            table.schema = part.schema;
            table.name = part.table;
            return table.id();
        }

        bool recreatedAround(const SchemaObject &dependent, bool aroundDrop)
        {
            switch (dependent.kind)
            {
            case ObjectKind::View:
            case ObjectKind::MaterializedView:
            case ObjectKind::Policy:
            case ObjectKind::Trigger:
            case ObjectKind::Rule:
            case ObjectKind::Function:
            case ObjectKind::Operator: // around a dropped function: DROP FUNCTION refuses while they use it
            case ObjectKind::Cast:
                return true;
            case ObjectKind::Column:
                return !dependent.attr(u"generated"_s).isEmpty();
            case ObjectKind::Constraint:
            case ObjectKind::Index:
            case ObjectKind::Statistics:
                return aroundDrop;
            default:
                return false;
            }
        }

        QString terminated(QString sql)
        {
            sql = sql.trimmed();
            if (!sql.endsWith(u';'))
                sql += u';';
            return sql;
        }

        /// Whether an --online plan must run the statement on its own, outside a transaction
        /// block, and why.
        QString standsAlone(const QString &sql)
        {
            const QString upper = sql.left(120).toUpper().simplified();
            if (upper.startsWith(u"CREATE INDEX CONCURRENTLY"_s) || upper.startsWith(u"CREATE UNIQUE INDEX CONCURRENTLY"_s))
                return u"CREATE INDEX CONCURRENTLY cannot run in a transaction block"_s;
            if (upper.startsWith(u"DROP INDEX CONCURRENTLY"_s))
                return u"DROP INDEX CONCURRENTLY cannot run in a transaction block"_s;
            if (upper.startsWith(u"REINDEX"_s) && upper.contains(u"CONCURRENTLY"_s))
                return u"REINDEX CONCURRENTLY cannot run in a transaction block"_s;
            if (upper.startsWith(u"ALTER TYPE"_s) && upper.contains(u" ADD VALUE"_s))
                return u"a new enum value must be committed before its first use"_s;
            if (upper.contains(u" VALIDATE CONSTRAINT "_s))
                return u"VALIDATE CONSTRAINT takes only SHARE UPDATE EXCLUSIVE: its own step, after the NOT VALID constraint is committed"_s;
            return {};
        }
    }

    bool SqlPlan::isEmpty() const
    {
        for (const PlanStep &s : steps)
            if (!s.statements.isEmpty())
                return false;
        return true;
    }

    QStringList SqlPlan::statements() const
    {
        QStringList all;
        for (const PlanStep &s : steps)
            for (const PlanStatement &st : s.statements)
                all << st.sql;
        return all;
    }

    QString SqlPlan::script(const QString &fromLabel, const QString &toLabel) const
    {
        QString text = u"-- dbops schema diff: the SQL that turns %1 into %2\n"_s.arg(fromLabel, toLabel);
        text += online ? u"-- --online: run each step on its own, in order (a step that is not one statement is one transaction)\n"_s
                       : u"-- apply with: psql --single-transaction -v ON_ERROR_STOP=1 -f FILE\n"_s;
        if (isEmpty())
            return text + u"-- no changes\n"_s;
        int n = 0;
        for (const PlanStep &step : steps)
        {
            if (step.statements.isEmpty())
                continue;
            text += u'\n';
            if (online)
                text += u"-- step %1%2\n"_s.arg(++n).arg(step.reason.isEmpty() ? QString() : u": "_s + step.reason);
            for (const PlanStatement &s : step.statements)
            {
                if (!s.why.isEmpty())
                    text += u"-- "_s + s.why + u'\n';
                text += s.sql + u'\n';
            }
        }
        return text;
    }

    Expected<SqlPlan> writeSql(const SchemaDiff &diff, const Snapshot &from, const Snapshot &to, const SqlOptions &options)
    {
        QHash<QString, QString> renamed; // to id -> from id
        for (const Change &c : diff.changes)
            if (c.type == Change::Type::Renamed)
                renamed.insert(c.id, c.fromId);
        const WriteContext context{from, to, options, &renamed};
        std::map<std::pair<int, QString>, Node> nodes;
        const auto key = [](Action a, const QString &id) { return std::pair{int(a), id}; };
        const auto has = [&](Action a, const QString &id) { return nodes.count(key(a, id)) > 0; };
        const auto addNode = [&](Action a, const SchemaObject &o, QStringList statements, const QString &why = {}) -> Node & {
            Node &n = nodes[key(a, o.id())];
            n.action = a;
            n.id = o.id();
            n.kind = o.kind;
            n.statements << statements;
            if (n.why.isEmpty())
                n.why = why;
            return n;
        };
        const auto createNode = [&](const SchemaObject &b, const QString &why = {}) {
            const KindRules &rules = rulesFor(b.kind);
            QStringList statements = rules.create(b, context);
            statements << securityStatements(nullptr, b, context);
            addNode(Action::Create, b, statements, why);
            if (rules.finish)
                if (const QStringList late = rules.finish(nullptr, b, {}, context); !late.isEmpty())
                    addNode(Action::Finish, b, late, why);
        };
        const auto dropNode = [&](const SchemaObject &a, const QString &why = {}) {
            addNode(Action::Drop, a, rulesFor(a.kind).drop(a, context), why);
        };

        QSet<QString> recreateAround; // ids altered in place whose dependents must be recreated
        QHash<QString, QStringList> altered;
        QHash<QString, QString> fromIdOf; // to id -> from id, where a rename makes them differ
        try
        {
            for (const Change &c : diff.changes)
            {
                switch (c.type)
                {
                case Change::Type::Added:
                    if (const SchemaObject *b = to.find(c.id))
                        createNode(*b);
                    break;
                case Change::Type::Removed:
                    if (const SchemaObject *a = from.find(c.id))
                        dropNode(*a);
                    break;
                case Change::Type::Altered:
                    altered[c.id] << c.attributes;
                    if (!c.fromId.isEmpty())
                        fromIdOf.insert(c.id, c.fromId);
                    break;
                case Change::Type::Renamed: {
                    const SchemaObject *a = from.find(c.fromId);
                    const SchemaObject *b = to.find(c.id);
                    if (!a || !b)
                        break;
                    const KindRules &rules = rulesFor(c.kind);
                    if (!rules.rename)
                        return fail(ErrorCode::BadInput, u"dbops cannot rename a %1 (%2)"_s.arg(toString(c.kind), a->displayName()));
                    addNode(Action::Alter, *b, rules.rename(*a, *b));
                    fromIdOf.insert(c.id, c.fromId);
                    if (!c.attributes.isEmpty())
                        altered[c.id] << c.attributes;
                    break;
                }
                }
            }
            for (auto it = altered.cbegin(); it != altered.cend(); ++it)
            {
                const SchemaObject *b = to.find(it.key());
                const SchemaObject *a = from.find(fromIdOf.value(it.key(), it.key()));
                if (!b || !a)
                    continue;
                QStringList plain, security;
                for (const QString &k : it.value())
                    (isSecurityKey(k) ? security : plain) << k;
                plain.removeDuplicates();
                security.removeDuplicates();
                const KindRules &rules = rulesFor(b->kind);
                if (!plain.isEmpty())
                {
                    std::optional<QStringList> inPlace = rules.alter ? rules.alter(*a, *b, plain, context) : std::nullopt;
                    if (!inPlace)
                    {
                        dropNode(*a);
                        createNode(*b);
                        continue; // the create writes the owner, grants and comment
                    }
                    addNode(Action::Alter, *b, *inPlace);
                    if (rules.finish)
                        if (const QStringList late = rules.finish(a, *b, plain, context); !late.isEmpty())
                            addNode(Action::Finish, *b, late);
                    if (rules.recreatesDependents && rules.recreatesDependents(*a, *b, plain))
                    {
                        recreateAround.insert(a->id());
                        // A type rebuilt under its users (renamed away, made anew, dropped) is a
                        // new object: its owner, grants and comment are written as for a create.
                        if (hasOwnOwner(b->kind))
                        {
                            addNode(Action::Alter, *b, securityStatements(nullptr, *b, context));
                            continue;
                        }
                    }
                }
                if (!security.isEmpty())
                    addNode(Action::Alter, *b, securityStatements(a, *b, context));
            }

            // What depends on a dropped object, or on one whose change PostgreSQL cannot make
            // under it, is dropped first and created again from `to` after.
            QList<std::pair<QString, bool>> work; // id, around a drop
            for (const auto &[k, n] : nodes)
                if (n.action == Action::Drop)
                    work << std::pair{n.id, true};
            for (const QString &id : recreateAround)
                work << std::pair{id, false};
            QSet<QString> visited;
            while (!work.isEmpty())
            {
                const auto [id, aroundDrop] = work.takeLast();
                for (const QString &dependentId : from.dependents(id))
                {
                    const SchemaObject *d = from.find(dependentId);
                    if (!d || has(Action::Drop, dependentId) || visited.contains(dependentId))
                        continue;
                    if (!recreatedAround(*d, aroundDrop))
                    {
                        // A column of a dropped (or recreated) table goes with it: what reads the
                        // column (a view) is dropped first and created again after.
                        if (aroundDrop && d->kind == ObjectKind::Column && id == tableIdOf(*d))
                        {
                            visited.insert(dependentId);
                            work << std::pair{dependentId, true};
                            continue;
                        }
                        // A column retyped in place by a change of what it uses (an enum rebuilt,
                        // a domain's base type), or a domain rebuilt with its base type: what
                        // reads the column is recreated around it.
                        if (!aroundDrop && (d->kind == ObjectKind::Column || d->kind == ObjectKind::Domain))
                        {
                            visited.insert(dependentId);
                            work << std::pair{dependentId, false};
                        }
                        continue;
                    }
                    visited.insert(dependentId);
                    const QString why = u"recreated around the change of %1"_s.arg(id.section(u':', 1));
                    dropNode(*d, why);
                    if (const SchemaObject *again = to.find(dependentId); again && !has(Action::Create, dependentId))
                    {
                        nodes.erase(key(Action::Alter, dependentId)); // the create is its whole `to` definition
                        createNode(*again, why);
                    }
                    work << std::pair{dependentId, true};
                }
            }
        }
        catch (const Exception &e)
        {
            return std::unexpected(e.error());
        }

        // A part of a relation that is dropped goes with it: no statement of its own.
        QSet<QString> droppedRelations;
        for (const auto &[k, n] : nodes)
            if (n.action == Action::Drop
                && (n.kind == ObjectKind::Table || n.kind == ObjectKind::View || n.kind == ObjectKind::MaterializedView))
                droppedRelations.insert(n.id);
        // A part that uses another dropped object (an FK to a table dropped too, circular FKs)
        // keeps its own drop, which runs first, or the other drop would fail on it.
        for (auto &[k, n] : nodes)
            if (n.action == Action::Drop && isPartOfRelation(n.kind))
                if (const SchemaObject *a = from.find(n.id))
                {
                    const QStringList own = relationIds(*a);
                    bool usesOtherDropped = false;
                    for (const QString &needed : a->dependsOn)
                    {
                        const SchemaObject *u = from.find(needed);
                        const bool sameRelation =
                            own.contains(needed) || (u && isPartOfRelation(u->kind) && u->schema == a->schema && u->table == a->table);
                        if (!sameRelation && has(Action::Drop, needed))
                            usesOtherDropped = true;
                    }
                    for (const QString &rel : own)
                        if (droppedRelations.contains(rel) && !usesOtherDropped)
                            n.statements.clear();
                }

        // The graph: an edge u -> v means u runs first.
        QHash<std::pair<int, QString>, QSet<std::pair<int, QString>>> after; // u -> {v}
        QHash<std::pair<int, QString>, int> indegree;
        for (const auto &[k, n] : nodes)
            indegree[k] += 0;
        const auto edge = [&](const std::pair<int, QString> &u, const std::pair<int, QString> &v) {
            if (u == v || !nodes.count(u) || !nodes.count(v))
                return;
            if (!after[u].contains(v))
            {
                after[u].insert(v);
                indegree[v]++;
            }
        };
        for (const auto &[k, n] : nodes)
        {
            if (n.action == Action::Drop)
            {
                if (const SchemaObject *a = from.find(n.id))
                    for (const QString &needed : a->dependsOn)
                    {
                        edge(k, key(Action::Drop, needed));  // dependents are dropped first
                        edge(k, key(Action::Alter, needed)); // and before what they used is altered
                    }
                edge(k, key(Action::Create, n.id)); // a recreated object: dropped, then created
            }
            else
            {
                if (const SchemaObject *b = to.find(n.id))
                {
                    QStringList needs = b->dependsOn;
                    if (isPartOfRelation(b->kind))
                        needs << relationIds(*b);
                    // A part of a relation created whole has no node of its own: what needs it
                    // waits for its relation.
                    for (const QString &needed : b->dependsOn)
                        if (const SchemaObject *part = to.find(needed); part && isPartOfRelation(part->kind))
                            needs << relationIds(*part);
                    for (const QString &needed : needs)
                    {
                        edge(key(Action::Create, needed), k);
                        edge(key(Action::Alter, needed), k);
                    }
                }
                if (n.action == Action::Alter)
                    if (const SchemaObject *a = from.find(n.id))
                        for (const QString &used : a->dependsOn)
                            edge(k, key(Action::Drop, used)); // it stops using what is dropped, first
                if (n.action == Action::Finish)
                    edge(key(Action::Create, n.id), k);
            }
        }

        // Kahn's algorithm; among the ready nodes: drops first (dependents' kinds before the
        // kinds they use), then alters, creates and finishes, each by kind and id, so an
        // unconstrained plan reads in phases and a constrained one still runs.
        const auto rank = [&](const std::pair<int, QString> &k) {
            const Node &n = nodes.at(k);
            const int kind = n.action == Action::Drop ? 100 - int(n.kind) : int(n.kind);
            QString order = n.id;
            if (const KindRules &rules = rulesFor(n.kind); rules.orderKey)
                if (const SchemaObject *o = n.action == Action::Drop ? from.find(n.id) : to.find(n.id))
                    order = rules.orderKey(*o);
            return std::tuple(int(n.action), kind, order);
        };
        const auto later = [&](const std::pair<int, QString> &x, const std::pair<int, QString> &y) { return rank(x) > rank(y); };
        std::priority_queue<std::pair<int, QString>, std::vector<std::pair<int, QString>>, decltype(later)> ready(later);
        for (auto it = indegree.cbegin(); it != indegree.cend(); ++it)
            if (it.value() == 0)
                ready.push(it.key());
        SqlPlan plan;
        plan.online = options.online;
        plan.steps << PlanStep{};
        qsizetype done = 0;
        while (!ready.empty())
        {
            const auto k = ready.top();
            ready.pop();
            ++done;
            const Node &n = nodes.at(k);
            for (const QString &sql : n.statements)
            {
                PlanStatement st{terminated(sql), n.id, n.why, false};
                if (options.online)
                    if (const QString reason = standsAlone(st.sql); !reason.isEmpty())
                    {
                        st.outsideTransaction = reason.contains(u"transaction block"_s);
                        plan.steps << PlanStep{{st}, reason} << PlanStep{};
                        continue;
                    }
                plan.steps.last().statements << st;
            }
            for (const auto &v : after.value(k))
                if (--indegree[v] == 0)
                    ready.push(v);
        }
        if (done < qsizetype(nodes.size()))
        {
            // A cycle: walk from a node still waiting until one repeats, and name the path.
            std::pair<int, QString> at;
            for (auto it = indegree.cbegin(); it != indegree.cend(); ++it)
                if (it.value() > 0)
                {
                    at = it.key();
                    break;
                }
            QList<std::pair<int, QString>> path;
            while (!path.contains(at))
            {
                path << at;
                for (auto it = after.cbegin(); it != after.cend(); ++it)
                    if (it.value().contains(at) && indegree.value(it.key()) > 0)
                    {
                        at = it.key();
                        break;
                    }
            }
            QStringList names;
            for (qsizetype i = path.indexOf(at); i < path.size(); ++i)
                names.prepend(actionName(Action(path[i].first)) + u' ' + path[i].second.section(u':', 1));
            names << names.first();
            return fail(ErrorCode::Internal, u"the changes depend on each other in a cycle: "_s + names.join(u" -> "_s));
        }
        if (options.online)
        {
            // Each step that locks starts by bounding the wait for its lock.
            QList<PlanStep> kept;
            for (PlanStep &s : plan.steps)
            {
                if (s.statements.isEmpty())
                    continue;
                if (!s.statements.first().outsideTransaction)
                    s.statements.prepend(PlanStatement{u"SET lock_timeout = '%1ms';"_s.arg(options.lockTimeoutMs), {}, {}, false});
                kept << s;
            }
            plan.steps = kept;
        }
        return plan;
    }
}
