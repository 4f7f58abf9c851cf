// The rules of Constraint and Index: how each is created (--online: NOT VALID then VALIDATE, a
// key's unique index CONCURRENTLY then USING INDEX, CREATE/DROP INDEX CONCURRENTLY), dropped,
// altered in place, and what each change risks. rules_relations.cpp lists them with the others.
#include "core/schema/rules.h"
#include "core/schema/rules_relations.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    namespace
    {
        // --- Constraint -----------------------------------------------------------------------

        QString strippedDefinition(const SchemaObject &k)
        {
            QString d = k.attr(u"definition"_s);
            for (const QString &tail : {u" NOT VALID"_s, u" INITIALLY DEFERRED"_s, u" DEFERRABLE"_s})
                d.replace(tail, QString());
            return d;
        }

        bool partitioned(const Snapshot &side, const SchemaObject &part)
        {
            const SchemaObject *t = tableOf(side, part);
            return t && !t->attr(u"partition_by"_s).isEmpty();
        }

        /// --online: a primary key or unique constraint on a table that exists, built without
        /// blocking writes: its unique index CONCURRENTLY, then the constraint USING it. Empty when
        /// the definition has more than PostgreSQL's USING INDEX takes (storage options, a
        /// tablespace): then it is added the plain way.
        QStringList onlineKey(const SchemaObject &b)
        {
            static const QRegularExpression key(
                u"^(PRIMARY KEY|UNIQUE)( NULLS NOT DISTINCT)? \\(([^()]*)\\)"
                "( INCLUDE \\(([^()]*)\\))?((?: NOT)? DEFERRABLE(?: INITIALLY (?:DEFERRED|IMMEDIATE))?)?$"_s);
            const auto m = key.match(b.attr(u"definition"_s));
            if (!m.hasMatch())
                return {};
            const QString index = b.attr(u"index"_s).isEmpty() ? b.name : b.attr(u"index"_s);
            QString create =
                u"CREATE UNIQUE INDEX CONCURRENTLY %1 ON %2 USING btree (%3)"_s.arg(quoteIdent(index), b.sqlTable(), m.captured(3));
            if (!m.captured(4).isEmpty())
                create += u" INCLUDE ("_s + m.captured(5) + u')';
            if (!m.captured(2).isEmpty())
                create += m.captured(2);
            return {create + u';', u"ALTER TABLE %1 ADD CONSTRAINT %2 %3 USING INDEX %4%5;"_s.arg(
                                       b.sqlTable(), quoteIdent(b.name), m.captured(1), quoteIdent(index), m.captured(6))};
        }

        QStringList createConstraint(const SchemaObject &b, const WriteContext &context)
        {
            const QString type = b.attr(u"type"_s);
            if (context.options.online && (type == u"p"_s || type == u"u"_s) && !tableIsNew(b, context) && !partitioned(context.to, b))
                if (QStringList online = onlineKey(b); !online.isEmpty())
                    return online;
            const QString add = u"ALTER TABLE %1 ADD CONSTRAINT %2 %3"_s.arg(b.sqlTable(), quoteIdent(b.name), b.attr(u"definition"_s));
            if (context.options.online && b.flag(u"validated"_s) && (type == u"c"_s || type == u"f"_s) && !tableIsNew(b, context)
                && !partitioned(context.to, b))
                return {add + u" NOT VALID;"_s, u"ALTER TABLE %1 VALIDATE CONSTRAINT %2;"_s.arg(b.sqlTable(), quoteIdent(b.name))};
            return {add + u';'};
        }

        /// The name the server knows: across dialects a constraint or index is compared under
        /// PostgreSQL's default name, its own kept in "_name".
        QString serverName(const SchemaObject &o)
        {
            return o.attrs.value(u"_name"_s, o.name);
        }

        QStringList dropConstraint(const SchemaObject &a, const WriteContext &)
        {
            return {u"ALTER TABLE IF EXISTS %1 DROP CONSTRAINT IF EXISTS %2;"_s.arg(a.sqlTable(), quoteIdent(serverName(a)))};
        }

        std::optional<QStringList> alterConstraint(const SchemaObject &a, const SchemaObject &b, const QStringList &, const WriteContext &)
        {
            if (strippedDefinition(a) != strippedDefinition(b) || a.attr(u"type"_s) != b.attr(u"type"_s))
                return std::nullopt;
            if (a.flag(u"validated"_s) && !b.flag(u"validated"_s))
                return std::nullopt; // a validated constraint cannot be made NOT VALID: drop and add
            QStringList sql;
            if (a.attr(u"deferrable"_s) != b.attr(u"deferrable"_s) || a.attr(u"deferred"_s) != b.attr(u"deferred"_s))
            {
                if (b.attr(u"type"_s) != u"f"_s)
                    return std::nullopt; // only a foreign key's deferrability can be altered
                sql << u"ALTER TABLE %1 ALTER CONSTRAINT %2 %3 %4;"_s.arg(
                    b.sqlTable(), quoteIdent(b.name), b.flag(u"deferrable"_s) ? u"DEFERRABLE"_s : u"NOT DEFERRABLE"_s,
                    b.flag(u"deferred"_s) ? u"INITIALLY DEFERRED"_s : u"INITIALLY IMMEDIATE"_s);
            }
            if (!a.flag(u"validated"_s) && b.flag(u"validated"_s))
                sql << u"ALTER TABLE %1 VALIDATE CONSTRAINT %2;"_s.arg(b.sqlTable(), quoteIdent(b.name));
            return sql;
        }

        QList<HazardNote> constraintHazards(const Change &change, const SchemaObject *a, const SchemaObject *b, const Snapshot &from,
                                            const Snapshot &)
        {
            QList<HazardNote> notes;
            const SchemaObject *o = b ? b : a;
            if (!o || !from.find(tableId(o->schema, o->table)))
                return notes;
            const QString table = tableWithSize(from, o->schema, o->table);
            const QString type = o->attr(u"type"_s);
            if (change.type == Change::Type::Removed)
            {
                notes << HazardNote{Hazard::Lock, u"ACCESS EXCLUSIVE on %1.%2"_s.arg(o->schema, o->table)};
                return notes;
            }
            if (!b)
                return notes;
            if (type == u"f"_s)
            {
                QString target;
                static const QRegularExpression refs(u"REFERENCES ([^(]+)\\("_s);
                if (const auto m = refs.match(b->attr(u"definition"_s)); m.hasMatch())
                    target = u" and "_s + m.captured(1).trimmed();
                notes << HazardNote{Hazard::Lock, u"SHARE ROW EXCLUSIVE on %1.%2%3"_s.arg(o->schema, o->table, target)};
            }
            else
                notes << HazardNote{Hazard::Lock, u"ACCESS EXCLUSIVE on %1.%2"_s.arg(o->schema, o->table)};
            if (type == u"p"_s || type == u"u"_s)
                notes << HazardNote{Hazard::BlocksWrites, u"building the constraint's index blocks writes to %1 (--online builds it "
                                                          "CONCURRENTLY and adds the constraint USING it)"_s.arg(table)};
            else if (type == u"x"_s)
                notes << HazardNote{Hazard::BlocksWrites, u"building the constraint's index blocks writes to %1"_s.arg(table)};
            if ((type == u"c"_s || type == u"f"_s) && b->flag(u"validated"_s)
                && (change.type == Change::Type::Added || !a || strippedDefinition(*a) != strippedDefinition(*b)))
                notes << HazardNote{
                    Hazard::FullScan,
                    u"adding %1 validates every row of %2 (--online adds it NOT VALID and validates it apart)"_s.arg(b->name, table)};
            return notes;
        }

        // --- Index ----------------------------------------------------------------------------

        bool relationExists(const Snapshot &side, const SchemaObject &part)
        {
            const QString q = part.schema + u'.' + part.table;
            return side.find(u"table:"_s + q) || side.find(u"materialized view:"_s + q);
        }

        QStringList createIndex(const SchemaObject &b, const WriteContext &context)
        {
            QString def = b.attr(u"definition"_s);
            def.replace(u" ON ONLY "_s, u" ON "_s); // a partitioned table's index: built on its partitions too
            const SchemaObject *before = context.from.find(tableId(b.schema, b.table));
            const bool existing = relationExists(context.from, b) && !(before && tableIsNew(b, context));
            if (context.options.online && existing && !partitioned(context.to, b))
            {
                static const QRegularExpression head(u"^CREATE (UNIQUE )?INDEX "_s);
                def.replace(head, u"CREATE \\1INDEX CONCURRENTLY "_s);
            }
            return {def + u';'};
        }

        QStringList dropIndex(const SchemaObject &a, const WriteContext &context)
        {
            const bool concurrently = context.options.online && relationExists(context.to, a) && !partitioned(context.from, a);
            return {u"DROP INDEX %1IF EXISTS %2.%3;"_s.arg(concurrently ? u"CONCURRENTLY "_s : QString(), quoteIdent(a.schema),
                                                           quoteIdent(serverName(a)))};
        }

        QList<HazardNote> indexHazards(const Change &change, const SchemaObject *a, const SchemaObject *b, const Snapshot &from,
                                       const Snapshot &)
        {
            QList<HazardNote> notes;
            const SchemaObject *o = b ? b : a;
            if (!o || !relationExists(from, *o))
                return notes;
            const QString rel = o->schema + u'.' + o->table;
            if (change.type == Change::Type::Removed)
            {
                notes << HazardNote{Hazard::Lock, u"ACCESS EXCLUSIVE on %1 (SHARE UPDATE EXCLUSIVE with --online: DROP INDEX "
                                                  "CONCURRENTLY)"_s.arg(rel)};
                return notes;
            }
            notes << HazardNote{Hazard::BlocksWrites,
                                u"CREATE INDEX %1 without CONCURRENTLY blocks writes to %2 while it builds "
                                "(--online builds it CONCURRENTLY)"_s.arg(o->name, tableWithSize(from, o->schema, o->table))};
            notes << HazardNote{Hazard::Lock, u"SHARE on %1 (SHARE UPDATE EXCLUSIVE with --online)"_s.arg(rel)};
            return notes;
        }
    }

    QList<KindRules> constraintAndIndexRules()
    {
        QList<KindRules> rules;
        KindRules constraint;
        constraint.kind = ObjectKind::Constraint;
        constraint.keyword = [](const SchemaObject &) { return u"CONSTRAINT"_s; };
        constraint.create = createConstraint;
        constraint.drop = dropConstraint;
        constraint.alter = alterConstraint;
        constraint.hazards = constraintHazards;
        constraint.describe = [](const SchemaObject &o, const Snapshot &) {
            return u"CONSTRAINT %1 %2"_s.arg(quoteIdent(o.name), o.attr(u"definition"_s));
        };
        rules << constraint;

        KindRules index;
        index.kind = ObjectKind::Index;
        index.keyword = [](const SchemaObject &) { return u"INDEX"_s; };
        index.create = createIndex;
        index.drop = dropIndex;
        index.alter = [](const SchemaObject &, const SchemaObject &, const QStringList &,
                         const WriteContext &) -> std::optional<QStringList> { return std::nullopt; };
        index.hazards = indexHazards;
        index.describe = [](const SchemaObject &o, const Snapshot &) { return o.attr(u"definition"_s); };
        rules << index;
        return rules;
    }
}
