// The rules of Schema, Extension, Collation, Enum, Domain and CompositeType (issue 13).
#include "core/schema/rules.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <functional>
#include <QSet>
#include <QVersionNumber>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    KindRules defaultPrivilegesRules(); // rules_privileges.cpp

    namespace
    {
        QString literal(const QString &text)
        {
            QString q = text;
            q.replace(u'\'', u"''"_s);
            return u'\'' + q + u'\'';
        }

        QString dropIfExists(const QString &keyword, const SchemaObject &o)
        {
            return u"DROP %1 IF EXISTS %2"_s.arg(keyword, o.sqlName());
        }

        QJsonObject jsonObject(const QString &text)
        {
            return QJsonDocument::fromJson(text.toUtf8()).object();
        }

        /// An alter's rebuild decision, kept for recreatesDependents (which the writer asks right
        /// after alter for the same pair, and which has no snapshot to decide with).
        QSet<QString> &rebuiltTypes()
        {
            thread_local QSet<QString> ids;
            return ids;
        }

        /// The columns of `side` whose type is `type` (or an array of it): "type" is format_type's
        /// text, the type's quoted qualified name.
        QList<const SchemaObject *> columnsOfType(const Snapshot &side, const SchemaObject &type)
        {
            QList<const SchemaObject *> columns;
            const QString name = type.sqlName();
            for (const QString &id : side.dependents(type.id()))
                if (const SchemaObject *c = side.find(id); c && c->kind == ObjectKind::Column)
                {
                    const QString t = c->attr(u"type"_s);
                    if (t == name || t.startsWith(name + u'['))
                        columns << c;
                }
            return columns;
        }

        QStringList createDomainStatements(const SchemaObject &o);

        /// The USING expression that turns a column's value of the old type into the new one
        /// (`column` is the quoted column name); empty: a cast (through text when asked).
        using Conversion = std::function<QString(const QString &column)>;

        /// Rebuilds a type that cannot be altered in place while columns use it: renames the old
        /// one away, creates the new one, retypes every column of `to` that uses it through text
        /// or `convert` (their defaults dropped and set again around it), drops the old one. A
        /// domain over the type is rebuilt with it (PostgreSQL cannot change a domain's base type).
        QStringList rebuildType(const SchemaObject &a, const SchemaObject &b, const QStringList &create, const WriteContext &context,
                                bool throughText, const Conversion &convert = {})
        {
            const QString keyword = a.kind == ObjectKind::Domain ? u"DOMAIN"_s : u"TYPE"_s;
            const QString oldName = a.name + u"__dbops_old"_s;
            QStringList out;
            out << u"ALTER %1 %2 RENAME TO %3"_s.arg(keyword, a.sqlName(), quoteIdent(oldName));
            out << create;
            for (const QString &id : context.from.dependents(a.id()))
            {
                const SchemaObject *domain = context.from.find(id);
                const SchemaObject *target = context.to.find(id);
                if (domain && target && domain->kind == ObjectKind::Domain && domain->attr(u"type"_s) == a.sqlName()
                    && target->attr(u"type"_s) == b.sqlName())
                    out << rebuildType(*domain, *target, createDomainStatements(*target), context, true);
            }
            for (const SchemaObject *c : columnsOfType(context.from, a))
            {
                const SchemaObject *target = context.to.find(c->id());
                if (!target || target->attr(u"type"_s) != c->attr(u"type"_s))
                    continue; // dropped, or retyped by its own change
                const bool isArray = c->attr(u"type"_s).endsWith(u"[]"_s);
                const QString column = quoteIdent(c->name);
                const QString newType = b.sqlName() + (isArray ? u"[]"_s : QString());
                const QString via = throughText ? (isArray ? u"::text[]"_s : u"::text"_s) : QString();
                const QString alter = u"ALTER TABLE %1 ALTER COLUMN %2"_s.arg(c->sqlTable(), column);
                if (!c->attr(u"default"_s).isEmpty())
                    out << alter + u" DROP DEFAULT"_s;
                if (convert && !isArray)
                    out << u"%1 TYPE %2 USING %3"_s.arg(alter, newType, convert(column));
                else
                    out << u"%1 TYPE %2 USING %3%4::%2"_s.arg(alter, newType, column, via);
                if (!target->attr(u"default"_s).isEmpty())
                    out << alter + u" SET DEFAULT "_s + target->attr(u"default"_s);
            }
            // Composite types with an attribute of the type: the attribute is retyped too.
            for (const QString &id : context.from.dependents(a.id()))
            {
                const SchemaObject *comp = context.from.find(id);
                const SchemaObject *target = context.to.find(id);
                if (!comp || !target || comp->kind != ObjectKind::CompositeType)
                    continue;
                for (const QString &item : fromJsonList(target->attr(u"attributes"_s)))
                {
                    const QJsonObject attr = jsonObject(item);
                    const QString t = attr.value(u"type"_s).toString();
                    if (t == b.sqlName() || t == b.sqlName() + u"[]"_s)
                        out << u"ALTER TYPE %1 ALTER ATTRIBUTE %2 TYPE %3"_s.arg(comp->sqlName(),
                                                                                 quoteIdent(attr.value(u"name"_s).toString()), t);
                }
            }
            out << u"DROP %1 %2.%3"_s.arg(keyword, quoteIdent(a.schema), quoteIdent(oldName));
            return out;
        }

        // --- Schema ---------------------------------------------------------------------------

        KindRules schemaRules()
        {
            KindRules r;
            r.kind = ObjectKind::Schema;
            r.keyword = [](const SchemaObject &) { return u"SCHEMA"_s; };
            r.create = [](const SchemaObject &o, const WriteContext &) { return QStringList{u"CREATE SCHEMA "_s + o.sqlName()}; };
            r.drop = [](const SchemaObject &o, const WriteContext &) { return QStringList{dropIfExists(u"SCHEMA"_s, o)}; };
            r.alter = [](const SchemaObject &, const SchemaObject &, const QStringList &, const WriteContext &) {
                return std::optional<QStringList>(QStringList());
            };
            r.rename = [](const SchemaObject &a, const SchemaObject &b) {
                return QStringList{u"ALTER SCHEMA %1 RENAME TO %2"_s.arg(a.sqlName(), quoteIdent(b.name))};
            };
            r.describe = [](const SchemaObject &o, const Snapshot &) -> QString { return u"CREATE SCHEMA "_s + o.sqlName(); };
            return r;
        }

        // --- Extension ------------------------------------------------------------------------

        QString createExtension(const SchemaObject &o)
        {
            QString sql = u"CREATE EXTENSION IF NOT EXISTS "_s + o.sqlName();
            if (!o.attr(u"schema"_s).isEmpty())
                sql += u" SCHEMA "_s + quoteIdent(o.attr(u"schema"_s));
            if (!o.attr(u"version"_s).isEmpty())
                sql += u" VERSION "_s + literal(o.attr(u"version"_s));
            return sql;
        }

        KindRules extensionRules()
        {
            KindRules r;
            r.kind = ObjectKind::Extension;
            r.keyword = [](const SchemaObject &) { return u"EXTENSION"_s; };
            r.create = [](const SchemaObject &o, const WriteContext &) { return QStringList{createExtension(o)}; };
            r.drop = [](const SchemaObject &o, const WriteContext &) { return QStringList{dropIfExists(u"EXTENSION"_s, o)}; };
            r.alter = [](const SchemaObject &a, const SchemaObject &b, const QStringList &attributes,
                         const WriteContext &context) -> std::optional<QStringList> {
                QStringList out;
                if (attributes.contains(u"version"_s))
                {
                    // An extension has update scripts forward only: going back to an older version is
                    // a drop and a create when nothing uses it, else the update is asked for (and
                    // PostgreSQL says when there is no such path).
                    const QVersionNumber from = QVersionNumber::fromString(a.attr(u"version"_s));
                    const QVersionNumber to = QVersionNumber::fromString(b.attr(u"version"_s));
                    if (to < from && context.from.dependents(a.id()).isEmpty())
                        return std::nullopt;
                    out << u"ALTER EXTENSION %1 UPDATE TO %2"_s.arg(b.sqlName(), literal(b.attr(u"version"_s)));
                }
                if (attributes.contains(u"schema"_s))
                    out << u"ALTER EXTENSION %1 SET SCHEMA %2"_s.arg(b.sqlName(), quoteIdent(b.attr(u"schema"_s)));
                return out;
            };
            r.describe = [](const SchemaObject &o, const Snapshot &) { return createExtension(o); };
            return r;
        }

        // --- Collation ------------------------------------------------------------------------

        QString createCollation(const SchemaObject &o)
        {
            QStringList options;
            const QString provider = o.attr(u"provider"_s);
            if (provider == u"i"_s)
            {
                options << u"provider = icu"_s << u"locale = "_s + literal(o.attr(u"locale"_s));
            }
            else
            {
                if (provider == u"c"_s)
                    options << u"provider = libc"_s;
                if (o.attr(u"lc_collate"_s) == o.attr(u"lc_ctype"_s))
                    options << u"locale = "_s + literal(o.attr(u"lc_collate"_s));
                else
                    options << u"lc_collate = "_s + literal(o.attr(u"lc_collate"_s)) << u"lc_ctype = "_s + literal(o.attr(u"lc_ctype"_s));
            }
            if (o.attr(u"deterministic"_s) == u"false"_s)
                options << u"deterministic = false"_s;
            return u"CREATE COLLATION %1 (%2)"_s.arg(o.sqlName(), options.join(u", "_s));
        }

        KindRules collationRules()
        {
            KindRules r;
            r.kind = ObjectKind::Collation;
            r.keyword = [](const SchemaObject &) { return u"COLLATION"_s; };
            r.create = [](const SchemaObject &o, const WriteContext &) { return QStringList{createCollation(o)}; };
            r.drop = [](const SchemaObject &o, const WriteContext &) { return QStringList{dropIfExists(u"COLLATION"_s, o)}; };
            // A collation cannot be altered: dropped and created; when columns use it, the new one
            // is made beside the old (renamed away), the columns moved to it, the old dropped.
            r.alter = [](const SchemaObject &a, const SchemaObject &b, const QStringList &,
                         const WriteContext &context) -> std::optional<QStringList> {
                QStringList moves;
                for (const QString &id : context.from.dependents(a.id()))
                {
                    const SchemaObject *c = context.from.find(id);
                    const SchemaObject *target = context.to.find(id);
                    if (!c || !target || c->kind != ObjectKind::Column || c->attr(u"collation"_s) != a.sqlName()
                        || target->attr(u"collation"_s) != b.sqlName() || target->attr(u"type"_s) != c->attr(u"type"_s))
                        continue;
                    moves << u"ALTER TABLE %1 ALTER COLUMN %2 TYPE %3 COLLATE %4"_s.arg(c->sqlTable(), quoteIdent(c->name),
                                                                                        target->attr(u"type"_s), b.sqlName());
                }
                if (moves.isEmpty())
                {
                    rebuiltTypes().remove(a.id());
                    return std::nullopt;
                }
                rebuiltTypes().insert(a.id());
                const QString oldName = a.name + u"__dbops_old"_s;
                QStringList out{u"ALTER COLLATION %1 RENAME TO %2"_s.arg(a.sqlName(), quoteIdent(oldName)), createCollation(b)};
                out << moves << u"DROP COLLATION %1.%2"_s.arg(quoteIdent(a.schema), quoteIdent(oldName));
                return out;
            };
            r.recreatesDependents = [](const SchemaObject &a, const SchemaObject &, const QStringList &) {
                return rebuiltTypes().contains(a.id());
            };
            r.describe = [](const SchemaObject &o, const Snapshot &) { return createCollation(o); };
            return r;
        }

        // --- Enum -----------------------------------------------------------------------------

        QString createEnum(const SchemaObject &o)
        {
            QStringList labels;
            for (const QString &l : fromJsonList(o.attr(u"labels"_s)))
                labels << literal(l);
            return u"CREATE TYPE %1 AS ENUM (%2)"_s.arg(o.sqlName(), labels.join(u", "_s));
        }

        /// The in-place statements for an enum's labels, or nullopt when only a rebuild does it
        /// (a label removed or moved).
        std::optional<QStringList> enumInPlace(const SchemaObject &a, const SchemaObject &b)
        {
            const QStringList la = fromJsonList(a.attr(u"labels"_s)), lb = fromJsonList(b.attr(u"labels"_s));
            const QString type = b.sqlName();
            QStringList out;
            // Same count: the labels that differ, each new one not among the old, are renames
            // (case only, seed 003, or a new spelling).
            if (la.size() == lb.size())
            {
                const QSet<QString> oldSet(la.cbegin(), la.cend()), newSet(lb.cbegin(), lb.cend());
                for (qsizetype i = 0; i < la.size(); ++i)
                {
                    if (la[i] == lb[i])
                        continue;
                    if (oldSet.contains(lb[i]) || newSet.contains(la[i]))
                        return std::nullopt; // moved
                    out << u"ALTER TYPE %1 RENAME VALUE %2 TO %3"_s.arg(type, literal(la[i]), literal(lb[i]));
                }
                return out;
            }
            // Additions only: the old labels are the new list's in the same order.
            QStringList kept;
            for (const QString &l : lb)
                if (la.contains(l))
                    kept << l;
            if (kept != la)
                return std::nullopt;
            for (qsizetype i = 0; i < lb.size(); ++i)
            {
                if (la.contains(lb[i]))
                    continue;
                QString where;
                if (i > 0)
                    where = u" AFTER "_s + literal(lb[i - 1]);
                else if (!la.isEmpty())
                    where = u" BEFORE "_s + literal(la.first());
                out << u"ALTER TYPE %1 ADD VALUE %2%3"_s.arg(type, literal(lb[i]), where);
            }
            return out;
        }

        /// Whether something on `to` uses a label that `a` lacks (a default, a view, a check): a
        /// value added by ADD VALUE cannot be used before its transaction commits, so such an
        /// addition is a rebuild in a one-transaction plan.
        bool usesNewLabel(const SchemaObject &a, const SchemaObject &b, const Snapshot &to)
        {
            const QStringList la = fromJsonList(a.attr(u"labels"_s));
            if (la.size() == fromJsonList(b.attr(u"labels"_s)).size())
                return false; // renames: a renamed value is usable at once
            QStringList literals;
            for (const QString &l : fromJsonList(b.attr(u"labels"_s)))
                if (!la.contains(l))
                    literals << literal(l) + u"::"_s + b.sqlName();
            if (literals.isEmpty())
                return false;
            for (const QString &id : to.dependents(b.id()))
                if (const SchemaObject *d = to.find(id))
                    for (auto it = d->attrs.cbegin(); it != d->attrs.cend(); ++it)
                        for (const QString &lit : literals)
                            if (it.value().contains(lit))
                                return true;
            return false;
        }

        KindRules enumRules()
        {
            KindRules r;
            r.kind = ObjectKind::Enum;
            r.keyword = [](const SchemaObject &) { return u"TYPE"_s; };
            r.create = [](const SchemaObject &o, const WriteContext &) { return QStringList{createEnum(o)}; };
            r.drop = [](const SchemaObject &o, const WriteContext &) { return QStringList{dropIfExists(u"TYPE"_s, o)}; };
            r.alter = [](const SchemaObject &a, const SchemaObject &b, const QStringList &,
                         const WriteContext &context) -> std::optional<QStringList> {
                if (auto inPlace = enumInPlace(a, b); inPlace && (context.options.online || !usesNewLabel(a, b, context.to)))
                {
                    rebuiltTypes().remove(a.id());
                    return inPlace;
                }
                rebuiltTypes().insert(a.id());
                return rebuildType(a, b, {createEnum(b)}, context, true);
            };
            r.recreatesDependents = [](const SchemaObject &a, const SchemaObject &, const QStringList &) {
                return rebuiltTypes().contains(a.id());
            };
            r.rename = [](const SchemaObject &a, const SchemaObject &b) {
                return QStringList{u"ALTER TYPE %1 RENAME TO %2"_s.arg(a.sqlName(), quoteIdent(b.name))};
            };
            r.hazards = [](const Change &change, const SchemaObject *a, const SchemaObject *b, const Snapshot &from, const Snapshot &to) {
                QList<HazardNote> notes;
                if (change.type != Change::Type::Altered || !a || !b)
                    return notes;
                const QStringList la = fromJsonList(a->attr(u"labels"_s)), lb = fromJsonList(b->attr(u"labels"_s));
                const auto inPlace = enumInPlace(*a, *b);
                if (inPlace && !usesNewLabel(*a, *b, to))
                {
                    for (const QString &l : lb)
                        if (!la.contains(l) && la.size() != lb.size())
                            notes << HazardNote{
                                Hazard::Irreversible,
                                u"value '%1' added to %2: it cannot be removed without rebuilding the type"_s.arg(l, b->displayName())};
                    if (la.size() == lb.size())
                        notes << HazardNote{Hazard::BreaksRunningCode, u"values of %1 renamed"_s.arg(b->displayName())};
                    return notes;
                }
                for (const QString &l : la)
                    if (!lb.contains(l))
                        notes << HazardNote{Hazard::DataLoss, u"value '%1' removed from %2: rows holding it make the rebuild fail"_s.arg(
                                                                  l, a->displayName())};
                for (const SchemaObject *c : columnsOfType(from, *a))
                    notes << HazardNote{Hazard::TableRewrite, u"%1.%2 retyped to the rebuilt %3 (rewrites %4)"_s.arg(
                                                                  c->schema, c->table, a->displayName(), c->schema + u'.' + c->table)};
                notes << HazardNote{Hazard::Lock, u"ACCESS EXCLUSIVE on every table using %1 while it is rebuilt"_s.arg(a->displayName())};
                return notes;
            };
            r.describe = [](const SchemaObject &o, const Snapshot &) { return createEnum(o); };
            return r;
        }

        // --- Domain ---------------------------------------------------------------------------

        QStringList domainChecks(const SchemaObject &o, QStringList *definitions = nullptr)
        {
            QStringList names;
            for (const QString &item : fromJsonList(o.attr(u"checks"_s)))
            {
                const QJsonObject c = jsonObject(item);
                names << c.value(u"name"_s).toString();
                if (definitions)
                    *definitions << c.value(u"definition"_s).toString();
            }
            return names;
        }

        QString createDomain(const SchemaObject &o)
        {
            QString sql = u"CREATE DOMAIN %1 AS %2"_s.arg(o.sqlName(), o.attr(u"type"_s));
            if (!o.attr(u"collation"_s).isEmpty())
                sql += u" COLLATE "_s + o.attr(u"collation"_s);
            if (!o.attr(u"default"_s).isEmpty())
                sql += u" DEFAULT "_s + o.attr(u"default"_s);
            if (o.flag(u"not_null"_s))
                sql += u" NOT NULL"_s;
            QStringList defs;
            const QStringList names = domainChecks(o, &defs);
            for (qsizetype i = 0; i < names.size(); ++i)
                sql += u" CONSTRAINT %1 %2"_s.arg(quoteIdent(names[i]), defs[i]);
            return sql;
        }

        bool domainNeedsRebuild(const QStringList &attributes)
        {
            return attributes.contains(u"type"_s) || attributes.contains(u"collation"_s);
        }

        /// Checks created NOT VALID are left so (CREATE DOMAIN takes no NOT VALID: added after).
        QStringList createDomainStatements(const SchemaObject &o)
        {
            SchemaObject valid = o;
            QStringList later;
            QStringList defs;
            const QStringList names = domainChecks(o, &defs);
            QStringList kept;
            for (qsizetype i = 0; i < names.size(); ++i)
            {
                if (defs[i].endsWith(u" NOT VALID"_s))
                    later << u"ALTER DOMAIN %1 ADD CONSTRAINT %2 %3"_s.arg(o.sqlName(), quoteIdent(names[i]), defs[i]);
                else
                    kept << QString::fromUtf8(
                        QJsonDocument(QJsonObject{{u"name"_s, names[i]}, {u"definition"_s, defs[i]}}).toJson(QJsonDocument::Compact));
            }
            QString list = kept.isEmpty() ? QString() : u'[' + kept.join(u',') + u']';
            valid.attrs.insert(u"checks"_s, list);
            return QStringList{createDomain(valid)} + later;
        }

        KindRules domainRules()
        {
            KindRules r;
            r.kind = ObjectKind::Domain;
            r.keyword = [](const SchemaObject &) { return u"DOMAIN"_s; };
            r.create = [](const SchemaObject &o, const WriteContext &) { return createDomainStatements(o); };
            r.drop = [](const SchemaObject &o, const WriteContext &) { return QStringList{dropIfExists(u"DOMAIN"_s, o)}; };
            r.alter = [](const SchemaObject &a, const SchemaObject &b, const QStringList &attributes,
                         const WriteContext &context) -> std::optional<QStringList> {
                const QString name = b.sqlName();
                if (domainNeedsRebuild(attributes))
                {
                    // Its base type or collation cannot change in place: with no column using it, a
                    // drop and a create; else a rebuild that retypes the columns.
                    if (columnsOfType(context.from, a).isEmpty())
                        return std::nullopt;
                    return rebuildType(a, b, createDomainStatements(b), context, false);
                }
                QStringList out;
                if (attributes.contains(u"default"_s))
                    out << (b.attr(u"default"_s).isEmpty() ? u"ALTER DOMAIN %1 DROP DEFAULT"_s.arg(name)
                                                           : u"ALTER DOMAIN %1 SET DEFAULT %2"_s.arg(name, b.attr(u"default"_s)));
                if (attributes.contains(u"not_null"_s))
                    out << u"ALTER DOMAIN %1 %2 NOT NULL"_s.arg(name, b.flag(u"not_null"_s) ? u"SET"_s : u"DROP"_s);
                if (attributes.contains(u"checks"_s))
                {
                    QStringList defsA, defsB;
                    const QStringList namesA = domainChecks(a, &defsA), namesB = domainChecks(b, &defsB);
                    for (qsizetype i = 0; i < namesA.size(); ++i)
                    {
                        const qsizetype j = namesB.indexOf(namesA[i]);
                        if (j >= 0 && defsB[j] == defsA[i])
                            continue;
                        // Only validated: VALIDATE CONSTRAINT does it in place.
                        if (j >= 0 && defsA[i] == defsB[j] + u" NOT VALID"_s)
                        {
                            out << u"ALTER DOMAIN %1 VALIDATE CONSTRAINT %2"_s.arg(name, quoteIdent(namesA[i]));
                            continue;
                        }
                        out << u"ALTER DOMAIN %1 DROP CONSTRAINT IF EXISTS %2"_s.arg(name, quoteIdent(namesA[i]));
                    }
                    for (qsizetype j = 0; j < namesB.size(); ++j)
                    {
                        const qsizetype i = namesA.indexOf(namesB[j]);
                        if (i >= 0 && (defsA[i] == defsB[j] || defsA[i] == defsB[j] + u" NOT VALID"_s))
                            continue;
                        const QString def = defsB[j];
                        if (context.options.online && !def.endsWith(u" NOT VALID"_s))
                        {
                            out << u"ALTER DOMAIN %1 ADD CONSTRAINT %2 %3 NOT VALID"_s.arg(name, quoteIdent(namesB[j]), def);
                            out << u"ALTER DOMAIN %1 VALIDATE CONSTRAINT %2"_s.arg(name, quoteIdent(namesB[j]));
                        }
                        else
                            out << u"ALTER DOMAIN %1 ADD CONSTRAINT %2 %3"_s.arg(name, quoteIdent(namesB[j]), def);
                    }
                }
                return out;
            };
            r.recreatesDependents = [](const SchemaObject &, const SchemaObject &, const QStringList &attributes) {
                return domainNeedsRebuild(attributes);
            };
            r.rename = [](const SchemaObject &a, const SchemaObject &b) {
                return QStringList{u"ALTER DOMAIN %1 RENAME TO %2"_s.arg(a.sqlName(), quoteIdent(b.name))};
            };
            r.hazards = [](const Change &change, const SchemaObject *a, const SchemaObject *b, const Snapshot &from, const Snapshot &) {
                QList<HazardNote> notes;
                if (change.type != Change::Type::Altered || !a || !b)
                    return notes;
                if (change.attributes.contains(u"checks"_s) || (change.attributes.contains(u"not_null"_s) && b->flag(u"not_null"_s)))
                    notes << HazardNote{Hazard::FullScan,
                                        u"every column of type %1 is scanned to validate the new constraint"_s.arg(b->displayName())};
                if (domainNeedsRebuild(change.attributes))
                    for (const SchemaObject *c : columnsOfType(from, *a))
                        notes << HazardNote{Hazard::TableRewrite,
                                            u"%1.%2.%3 retyped to the rebuilt %4"_s.arg(c->schema, c->table, c->name, a->displayName())};
                return notes;
            };
            r.describe = [](const SchemaObject &o, const Snapshot &) { return createDomain(o); };
            return r;
        }

        // --- Composite type -------------------------------------------------------------------

        struct Attribute
        {
            QString name, type, collation;
            QString sql() const { return quoteIdent(name) + u' ' + type + (collation.isEmpty() ? QString() : u" COLLATE "_s + collation); }
        };

        QList<Attribute> attributesOf(const SchemaObject &o)
        {
            QList<Attribute> list;
            for (const QString &item : fromJsonList(o.attr(u"attributes"_s)))
            {
                const QJsonObject j = jsonObject(item);
                list << Attribute{j.value(u"name"_s).toString(), j.value(u"type"_s).toString(), j.value(u"collation"_s).toString()};
            }
            return list;
        }

        QString createComposite(const SchemaObject &o)
        {
            QStringList parts;
            for (const Attribute &a : attributesOf(o))
                parts << a.sql();
            return u"CREATE TYPE %1 AS (%2)"_s.arg(o.sqlName(), parts.join(u", "_s));
        }

        KindRules compositeRules()
        {
            KindRules r;
            r.kind = ObjectKind::CompositeType;
            r.keyword = [](const SchemaObject &) { return u"TYPE"_s; };
            r.create = [](const SchemaObject &o, const WriteContext &) { return QStringList{createComposite(o)}; };
            r.drop = [](const SchemaObject &o, const WriteContext &) { return QStringList{dropIfExists(u"TYPE"_s, o)}; };
            r.alter = [](const SchemaObject &a, const SchemaObject &b, const QStringList &,
                         const WriteContext &context) -> std::optional<QStringList> {
                const QList<Attribute> aa = attributesOf(a), bb = attributesOf(b);
                const auto find = [](const QList<Attribute> &list, const QString &name) -> const Attribute * {
                    for (const Attribute &x : list)
                        if (x.name == name)
                            return &x;
                    return nullptr;
                };
                // In place when the kept attributes stay in order and the new ones come last.
                QStringList result;
                for (const Attribute &x : aa)
                    if (find(bb, x.name))
                        result << x.name;
                for (const Attribute &x : bb)
                    if (!find(aa, x.name))
                        result << x.name;
                QStringList wanted;
                for (const Attribute &x : bb)
                    wanted << x.name;
                if (result != wanted && columnsOfType(context.from, a).isEmpty())
                {
                    rebuiltTypes().remove(a.id());
                    return std::nullopt; // no column keeps values of it: dropped and created
                }
                if (result != wanted)
                {
                    // Reordered under columns: a new type, each column's value rebuilt attribute
                    // by attribute (by name: a text round trip would read them by position).
                    rebuiltTypes().insert(a.id());
                    const Conversion convert = [&aa, &bb, &b, &find](const QString &column) {
                        QStringList values;
                        for (const Attribute &y : bb)
                        {
                            const Attribute *x = find(aa, y.name);
                            values << (x ? u"(%1).%2::%3"_s.arg(column, quoteIdent(y.name), y.type) : u"NULL::"_s + y.type);
                        }
                        return u"CASE WHEN pg_catalog.num_nulls(%1) = 1 THEN NULL ELSE ROW(%2)::%3 END"_s.arg(column, values.join(u", "_s),
                                                                                                              b.sqlName());
                    };
                    return rebuildType(a, b, {createComposite(b)}, context, false, convert);
                }
                rebuiltTypes().remove(a.id());
                QStringList actions;
                for (const Attribute &x : aa)
                    if (!find(bb, x.name))
                        actions << u"DROP ATTRIBUTE "_s + quoteIdent(x.name);
                for (const Attribute &y : bb)
                {
                    const Attribute *x = find(aa, y.name);
                    if (!x)
                        actions << u"ADD ATTRIBUTE "_s + y.sql();
                    else if (x->type != y.type || x->collation != y.collation)
                        actions << u"ALTER ATTRIBUTE %1 TYPE %2%3"_s.arg(quoteIdent(y.name), y.type,
                                                                         y.collation.isEmpty() ? QString() : u" COLLATE "_s + y.collation);
                }
                if (actions.isEmpty())
                    return QStringList();
                return QStringList{u"ALTER TYPE %1 %2"_s.arg(b.sqlName(), actions.join(u", "_s))};
            };
            r.rename = [](const SchemaObject &a, const SchemaObject &b) {
                return QStringList{u"ALTER TYPE %1 RENAME TO %2"_s.arg(a.sqlName(), quoteIdent(b.name))};
            };
            r.recreatesDependents = [](const SchemaObject &a, const SchemaObject &, const QStringList &) {
                return rebuiltTypes().contains(a.id());
            };
            r.describe = [](const SchemaObject &o, const Snapshot &) { return createComposite(o); };
            return r;
        }
    }

    QList<KindRules> typeRules()
    {
        // DefaultPrivileges is listed with the code kinds; its rules are the grants' own and are
        // kept here as the fallback (codeRules() come later and win when they bring their own).
        return {schemaRules(), extensionRules(), collationRules(), enumRules(), domainRules(), compositeRules(), defaultPrivilegesRules()};
    }
}
