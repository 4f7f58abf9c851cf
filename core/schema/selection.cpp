#include "core/schema/selection.h"

#include <QHash>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    namespace
    {
        QString objectId(ObjectKind kind, const QString &schemaName, const QString &name)
        {
            SchemaObject o;
            o.kind = kind;
            o.schema = schemaName;
            o.name = name;
            return o.id();
        }
    }

    bool isPart(ObjectKind kind)
    {
        switch (kind)
        {
        case ObjectKind::Column:
        case ObjectKind::Constraint:
        case ObjectKind::Index:
        case ObjectKind::Trigger:
        case ObjectKind::Policy:
        case ObjectKind::Rule:
            return true;
        default:
            return false;
        }
    }

    QList<QList<int>> changeNeeds(const SchemaDiff &diff, const Snapshot &from, const Snapshot &to)
    {
        const int n = int(diff.changes.size());
        QList<QList<int>> needs(n);
        // The changes by the id of their object: what exists on `to` after them (Added, Renamed,
        // and Altered other than in security alone), and what goes from `from` (Removed).
        QHash<QString, QList<int>> madeOnTo;
        QHash<QString, QList<int>> removedOnFrom;
        QHash<QString, QList<int>> changedOnFrom; ///< Removed, and Altered other than in security alone, by their id on `from`
        QHash<QString, QList<int>> removedInSchema;
        QHash<QString, QList<int>> removedFunctions; ///< by schema.name: an overload replaced
        QHash<QString, QList<int>> addedParts;       ///< by schema.table: the indexes and constraints added
        for (int i = 0; i < n; ++i)
        {
            const Change &c = diff.changes[i];
            if (c.type == Change::Type::Removed)
            {
                removedOnFrom[c.id] << i;
                changedOnFrom[c.id] << i;
                if (const SchemaObject *o = from.find(c.id))
                {
                    if (!o->schema.isEmpty())
                        removedInSchema[o->schema] << i;
                    if (o->kind == ObjectKind::Function)
                        removedFunctions[o->schema + u'.' + o->name] << i;
                }
                continue;
            }
            const bool securityOnly =
                c.type == Change::Type::Altered && !c.hazards.isEmpty()
                && std::all_of(c.hazards.cbegin(), c.hazards.cend(), [](const HazardNote &h) { return h.hazard == Hazard::Security; })
                && std::all_of(c.attributes.cbegin(), c.attributes.cend(), [](const QString &k) {
                       return k == u"owner"_s || k == u"acl"_s || k == u"comment"_s || k == u"part_comments"_s || k == u"rls"_s
                              || k == u"rls_forced"_s;
                   });
            if (!securityOnly)
            {
                madeOnTo[c.id] << i;
                if (c.type == Change::Type::Altered)
                    changedOnFrom[c.fromId.isEmpty() ? c.id : c.fromId] << i;
            }
            if (c.type == Change::Type::Added)
                if (const SchemaObject *o = to.find(c.id); o && (o->kind == ObjectKind::Index || o->kind == ObjectKind::Constraint))
                    addedParts[o->schema + u'.' + o->table] << i;
        }
        // The changes that make (or remove) `id` on a side: its own, else, for a part of a
        // relation made or removed whole (a column of an added table), the relation's.
        const auto changesOf = [](const QHash<QString, QList<int>> &byId, const Snapshot &side, const QString &id) {
            if (const auto own = byId.find(id); own != byId.end())
                return *own;
            const SchemaObject *o = side.find(id);
            if (!o || !isPart(o->kind) || o->table.isEmpty())
                return QList<int>{};
            QList<int> owners;
            for (ObjectKind owner : {ObjectKind::Table, ObjectKind::View, ObjectKind::MaterializedView})
                owners << byId.value(objectId(owner, o->schema, o->table));
            return owners;
        };
        const auto need = [&](int i, const QList<int> &others) {
            for (int j : others)
                if (j != i && !needs[i].contains(j))
                    needs[i] << j;
        };
        for (int i = 0; i < n; ++i)
        {
            const Change &c = diff.changes[i];
            if (c.type != Change::Type::Added)
            {
                // What goes from `from`, or changes there, needs what depends on it there to go or
                // change with it (a column's primary key, a view reading it); a schema everything in it.
                const SchemaObject *o = from.find(c.fromId.isEmpty() ? c.id : c.fromId);
                if (o)
                {
                    QStringList ids{o->id()};
                    if (c.type == Change::Type::Removed && o->kind == ObjectKind::Table)
                        for (const SchemaObject *part : from.partsOf(o->schema, o->name))
                            ids << part->id();
                    for (const QString &id : std::as_const(ids))
                        for (const QString &dependent : from.dependents(id))
                            need(i, changesOf(c.type == Change::Type::Removed ? removedOnFrom : changedOnFrom, from, dependent));
                    if (c.type == Change::Type::Removed && o->kind == ObjectKind::Schema)
                        need(i, removedInSchema.value(o->name));
                }
                if (c.type == Change::Type::Removed)
                    continue;
            }
            const SchemaObject *o = to.find(c.id);
            if (!o)
                continue;
            // What exists after it needs what it depends on made first: for a table made whole,
            // what its columns depend on too (their types, the sequences of their defaults).
            QStringList dependencies = o->dependsOn;
            if (o->kind == ObjectKind::Table || o->kind == ObjectKind::View || o->kind == ObjectKind::MaterializedView)
                for (const SchemaObject *part : to.partsOf(o->schema, o->name))
                    if (part->kind == ObjectKind::Column)
                        dependencies << part->dependsOn;
            for (const QString &dependency : std::as_const(dependencies))
                need(i, changesOf(madeOnTo, to, dependency));
            if (!o->schema.isEmpty())
                need(i, madeOnTo.value(objectId(ObjectKind::Schema, {}, o->schema)));
            if (isPart(o->kind) && !o->table.isEmpty())
                for (ObjectKind owner : {ObjectKind::Table, ObjectKind::View, ObjectKind::MaterializedView})
                    need(i, madeOnTo.value(objectId(owner, o->schema, o->table)));
            // A sequence owned by a column of a table made here.
            if (o->kind == ObjectKind::Sequence && !o->attr(u"owned_by"_s).isEmpty())
                for (auto t = madeOnTo.cbegin(); t != madeOnTo.cend(); ++t)
                    if (const SchemaObject *table = to.find(t.key());
                        table && table->kind == ObjectKind::Table
                        && o->attr(u"owned_by"_s).startsWith(quoteIdent(table->schema) + u'.' + quoteIdent(table->name) + u'.'))
                        need(i, *t);
            // Replica identity USING INDEX names an index of the table.
            if (o->kind == ObjectKind::Table && o->attr(u"replica_identity"_s) == u"i"_s)
                need(i, addedParts.value(o->schema + u'.' + o->name));
            if (o->kind == ObjectKind::Function && c.type == Change::Type::Added)
            {
                // A function made again with another result or argument names replaces the old one.
                need(i, removedFunctions.value(o->schema + u'.' + o->name));
                // A SQL body is checked when created, and pg_depend does not know what it names:
                // every object made here whose name the body holds (conservative: a word match).
                if (o->attr(u"language"_s) == u"sql"_s)
                {
                    const QString &body = o->attrs[u"definition"_s];
                    for (auto m = madeOnTo.cbegin(); m != madeOnTo.cend(); ++m)
                        if (const SchemaObject *made = to.find(m.key());
                            made && made != o && !isPart(made->kind) && made->kind != ObjectKind::Schema && body.contains(made->name))
                            need(i, *m);
                }
            }
        }
        return needs;
    }

    QSet<int> neededClosure(const QList<QList<int>> &needs, const QSet<int> &chosen)
    {
        QSet<int> closed = chosen;
        QList<int> pending(chosen.cbegin(), chosen.cend());
        while (!pending.isEmpty())
        {
            const int i = pending.takeLast();
            if (i < 0 || i >= needs.size())
                continue;
            for (int j : needs[i])
                if (!closed.contains(j))
                {
                    closed.insert(j);
                    pending << j;
                }
        }
        return closed;
    }

    QSet<int> chosenDependents(const QList<QList<int>> &needs, const QSet<int> &chosen, int index)
    {
        QSet<int> dependents;
        for (int i : chosen)
            if (i != index && neededClosure(needs, {i}).contains(index))
                dependents.insert(i);
        return dependents;
    }

    SchemaDiff chosenChanges(const SchemaDiff &diff, const QSet<int> &chosen)
    {
        SchemaDiff subset = diff;
        subset.changes.clear();
        for (int i = 0; i < diff.changes.size(); ++i)
            if (chosen.contains(i))
                subset.changes << diff.changes[i];
        return subset;
    }
}
