#include "core/schema/diff.h"

#include "core/schema/rules.h"
#include "core/schema/sqliteintrospect.h"

#include <QJsonArray>
#include <QMap>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    namespace
    {
        /// The schema an object belongs to, for the schema filters (an extension's is the schema
        /// it is installed in; a schema's is its own name; a cast has none).
        QString schemaOf(const SchemaObject &o)
        {
            if (o.kind == ObjectKind::Schema)
                return o.name;
            if (o.kind == ObjectKind::Extension)
                return o.attr(u"schema"_s);
            return o.schema;
        }

        bool keep(const SchemaObject &o, const DiffOptions &options)
        {
            const QString schema = schemaOf(o);
            if (schema.isEmpty())
                return !(options.ignoreGrants && o.kind == ObjectKind::DefaultPrivileges);
            if (!options.schemas.isEmpty() && std::none_of(options.schemas.cbegin(), options.schemas.cend(), [&](const QString &p) {
                    return matchesPattern(schema, p);
                }))
                return false;
            if (std::any_of(options.excludeSchemas.cbegin(), options.excludeSchemas.cend(),
                            [&](const QString &p) { return matchesPattern(schema, p); }))
                return false;
            return !(options.ignoreGrants && o.kind == ObjectKind::DefaultPrivileges);
        }

        /// Whether prepared() would change `side`: an object filtered out or an attribute ignored
        /// (or a side whose objects changed since finish(): prepared() finishes its copy).
        bool needsPreparing(const Snapshot &side, const DiffOptions &options)
        {
            if (!side.isFinished())
                return true;
            for (const SchemaObject &o : side.objects)
            {
                if (!keep(o, options))
                    return true;
                if ((options.ignoreOwners && o.attrs.contains(u"owner"_s)) || (options.ignoreGrants && o.attrs.contains(u"acl"_s))
                    || (options.ignoreComments && (o.attrs.contains(u"comment"_s) || o.attrs.contains(u"part_comments"_s))))
                    return true;
            }
            return false;
        }

        /// The side as compared: filtered, with the ignored attributes taken out.
        Snapshot prepared(const Snapshot &side, const DiffOptions &options)
        {
            Snapshot s;
            s.source = side.source;
            s.dialect = side.dialect;
            s.serverVersionNum = side.serverVersionNum;
            s.takenAt = side.takenAt;
            s.notCompared = side.notCompared;
            for (SchemaObject o : side.objects)
            {
                if (!keep(o, options))
                    continue;
                if (options.ignoreOwners)
                    o.attrs.remove(u"owner"_s);
                if (options.ignoreGrants)
                    o.attrs.remove(u"acl"_s);
                if (options.ignoreComments)
                {
                    o.attrs.remove(u"comment"_s);
                    o.attrs.remove(u"part_comments"_s);
                }
                s.objects << std::move(o);
            }
            s.finish();
            return s;
        }

        /// The attribute keys whose values differ ("_" keys are information, not compared; an
        /// absent key and an empty value are the same).
        QStringList differingAttributes(const SchemaObject &a, const SchemaObject &b)
        {
            QStringList differ;
            if (a.attrs == b.attrs)
                return differ;
            // Both maps are sorted by key: one walk over the two.
            auto x = a.attrs.cbegin(), y = b.attrs.cbegin();
            const auto note = [&differ](const QString &key, const QString &one, const QString &other) {
                if (!key.startsWith(u'_') && one != other)
                    differ << key;
            };
            while (x != a.attrs.cend() || y != b.attrs.cend())
            {
                if (y == b.attrs.cend() || (x != a.attrs.cend() && x.key() < y.key()))
                {
                    note(x.key(), x.value(), QString());
                    ++x;
                }
                else if (x == a.attrs.cend() || y.key() < x.key())
                {
                    note(y.key(), QString(), y.value());
                    ++y;
                }
                else
                {
                    note(x.key(), x.value(), y.value());
                    ++x;
                    ++y;
                }
            }
            return differ;
        }

        bool isSecurityAttribute(const SchemaObject &a, const SchemaObject &b, const QString &key)
        {
            if (key == u"owner"_s || key == u"acl"_s || key == u"rls"_s || key == u"rls_forced"_s)
                return true;
            if (key == u"options"_s)
            {
                // security_barrier / security_invoker (a view's reloptions)
                static const QRegularExpression security(u"security_(barrier|invoker)"_s);
                const QStringList before = fromJsonList(a.attr(key)), after = fromJsonList(b.attr(key));
                for (const QString &o : before + after)
                    if (security.match(o).hasMatch() && before.contains(o) != after.contains(o))
                        return true;
            }
            return false;
        }

        QString describe(const SchemaObject &o, const Snapshot &side)
        {
            const KindRules &rules = rulesFor(o.kind);
            if (rules.describe)
                return rules.describe(o, side);
            QStringList lines;
            for (auto it = o.attrs.cbegin(); it != o.attrs.cend(); ++it)
                if (!it.key().startsWith(u'_') && !it.value().isEmpty())
                    lines << it.key() + u": "_s + it.value();
            return lines.join(u'\n');
        }

        QString securityDetail(const SchemaObject &a, const SchemaObject &b, const QString &key)
        {
            if (key == u"owner"_s)
                return u"owner %1 -> %2"_s.arg(a.attr(key).isEmpty() ? u"(none)"_s : a.attr(key), b.attr(key));
            if (key == u"acl"_s)
                return u"grants changed"_s;
            if (key == u"rls"_s)
                return b.flag(key) ? u"row level security enabled"_s : u"row level security disabled"_s;
            if (key == u"rls_forced"_s)
                return b.flag(key) ? u"row level security forced for the owner"_s : u"row level security no longer forced"_s;
            return u"%1 changed"_s.arg(key);
        }

        /// Splits "schema.table.column" / "schema.table" at its last dot.
        std::pair<QString, QString> splitLast(const QString &qualified)
        {
            const qsizetype dot = qualified.lastIndexOf(u'.');
            return dot < 0 ? std::pair{QString(), qualified} : std::pair{qualified.left(dot), qualified.mid(dot + 1)};
        }

        int kindOrder(ObjectKind k)
        {
            return int(k);
        }
    }

    QString toString(Hazard hazard)
    {
        switch (hazard)
        {
        case Hazard::DataLoss:
            return u"data loss"_s;
        case Hazard::TableRewrite:
            return u"table rewrite"_s;
        case Hazard::Lock:
            return u"lock"_s;
        case Hazard::BlocksWrites:
            return u"blocks writes while building"_s;
        case Hazard::FullScan:
            return u"full scan to validate"_s;
        case Hazard::BreaksRunningCode:
            return u"breaks running code"_s;
        case Hazard::Irreversible:
            return u"irreversible"_s;
        case Hazard::Security:
            return u"security"_s;
        }
        return u"hazard"_s;
    }

    QString toString(Change::Type type)
    {
        switch (type)
        {
        case Change::Type::Added:
            return u"added"_s;
        case Change::Type::Removed:
            return u"removed"_s;
        case Change::Type::Altered:
            return u"altered"_s;
        case Change::Type::Renamed:
            return u"renamed"_s;
        }
        return u"changed"_s;
    }

    bool Change::has(Hazard h) const
    {
        return std::any_of(hazards.cbegin(), hazards.cend(), [h](const HazardNote &n) { return n.hazard == h; });
    }

    bool matchesPattern(const QString &name, const QString &pattern)
    {
        if (!pattern.contains(u'*') && !pattern.contains(u'?'))
            return name == pattern;
        const QRegularExpression re(
            QRegularExpression::wildcardToRegularExpression(pattern, QRegularExpression::UnanchoredWildcardConversion),
            QRegularExpression::NoPatternOption);
        return QRegularExpression(u"^(?:"_s + re.pattern() + u")$"_s).match(name).hasMatch();
    }

    QString SchemaDiff::summary() const
    {
        if (changes.isEmpty())
            return u"no changes"_s;
        QMap<int, std::array<int, 4>> perKind; // added, removed, altered, renamed
        QMap<int, int> perHazard;
        int security = 0;
        for (const Change &c : changes)
        {
            perKind[int(c.kind)][int(c.type)]++;
            QSet<int> seen;
            for (const HazardNote &h : c.hazards)
                if (!seen.contains(int(h.hazard)))
                {
                    seen.insert(int(h.hazard));
                    perHazard[int(h.hazard)]++;
                }
            if (c.has(Hazard::Security))
                ++security;
        }
        QStringList parts;
        const char16_t *signs[] = {u"+", u"-", u"~", u"renamed "};
        for (auto it = perKind.cbegin(); it != perKind.cend(); ++it)
            for (int t = 0; t < 4; ++t)
                if (const int n = it.value()[t]; n > 0)
                    parts << u"%1%2 %3"_s.arg(QString::fromUtf16(signs[t])).arg(n).arg(toString(ObjectKind(it.key())));
        QStringList hazards;
        for (auto it = perHazard.cbegin(); it != perHazard.cend(); ++it)
            hazards << u"%1 %2"_s.arg(it.value()).arg(toString(Hazard(it.key())));
        QString text = parts.join(u", "_s);
        if (!hazards.isEmpty())
            text += u"; hazards: "_s + hazards.join(u", "_s);
        return text;
    }

    QJsonObject SchemaDiff::toJson() const
    {
        QJsonArray list;
        for (const Change &c : changes)
        {
            QJsonArray hazards;
            for (const HazardNote &h : c.hazards)
                hazards.append(QJsonObject{{u"hazard"_s, toString(h.hazard)}, {u"detail"_s, h.detail}});
            QJsonObject j{{u"type"_s, toString(c.type)},
                          {u"kind"_s, toString(c.kind)},
                          {u"id"_s, c.id},
                          {u"object"_s, c.object},
                          {u"attributes"_s, QJsonArray::fromStringList(c.attributes)},
                          {u"before"_s, c.before},
                          {u"after"_s, c.after},
                          {u"hazards"_s, hazards}};
            if (!c.fromId.isEmpty())
                j.insert(u"from_id"_s, c.fromId);
            if (!c.caseOnlyLabels.isEmpty())
            {
                QJsonArray pairs;
                for (const auto &[a, b] : c.caseOnlyLabels)
                    pairs.append(QJsonArray{a, b});
                j.insert(u"case_only_labels"_s, pairs);
            }
            list.append(j);
        }
        QJsonArray renames;
        for (const RenameCandidate &r : possibleRenames)
            renames.append(QJsonObject{
                {u"kind"_s, toString(r.kind)}, {u"from"_s, r.from}, {u"to"_s, r.to}, {u"rename"_s, QString(r.from + u'=' + r.to)}});
        QJsonArray skipped;
        for (const NotCompared &n : notCompared)
            skipped.append(QJsonObject{{u"kind"_s, n.kind}, {u"name"_s, n.name}, {u"reason"_s, n.reason}});
        QJsonObject json{{u"summary"_s, summary()},
                         {u"same"_s, changes.isEmpty()},
                         {u"changes"_s, list},
                         {u"possible_renames"_s, renames},
                         {u"not_compared"_s, skipped}};
        if (!comparedAs.isEmpty())
            json.insert(u"compared_as"_s, comparedAs);
        return json;
    }

    Expected<SchemaDiff> diff(const Snapshot &fromSide, const Snapshot &toSide, const DiffOptions &options)
    {
        SchemaDiff result;
        // The sides as compared: copies only when something is filtered out or narrowed (a copy
        // of a 50,000-object side costs more than the comparison).
        std::optional<Snapshot> fromCopy, toCopy;
        if (needsPreparing(fromSide, options))
            fromCopy = prepared(fromSide, options);
        if (needsPreparing(toSide, options))
            toCopy = prepared(toSide, options);
        if (fromSide.dialect != toSide.dialect)
        {
            QString narrowed;
            fromCopy = comparableAcrossDialects(fromCopy ? *fromCopy : fromSide, &narrowed);
            toCopy = comparableAcrossDialects(toCopy ? *toCopy : toSide, &narrowed);
            result.comparedAs = narrowed;
        }
        const Snapshot &from = fromCopy ? *fromCopy : fromSide;
        const Snapshot &to = toCopy ? *toCopy : toSide;

        // Accepted renames: the object on `from` is compared as if it had its new name.
        QHash<QString, QString> renamedTo; // from id -> to id
        for (const auto &[oldName, newName] : options.renames)
        {
            const auto [parent, old] = splitLast(oldName);
            const SchemaObject *match = nullptr;
            for (const SchemaObject &o : from.objects)
            {
                if (o.kind != ObjectKind::Column && o.kind != ObjectKind::Table)
                    continue;
                const QString qualified = o.kind == ObjectKind::Column ? o.schema + u'.' + o.table : o.schema;
                if (qualified == parent && o.name == old)
                    match = &o;
            }
            if (!match)
                return fail(ErrorCode::BadInput,
                            u"--rename %1=%2: %1 is not a table (schema.table) or a column (schema.table.column) of the --from side"_s.arg(
                                oldName, newName));
            SchemaObject renamed = *match;
            renamed.name = newName;
            if (!to.find(renamed.id()))
                return fail(ErrorCode::BadInput, u"--rename %1=%2: the --to side has no %3"_s.arg(oldName, newName, renamed.displayName()));
            if (from.find(renamed.id()))
                return fail(ErrorCode::BadInput,
                            u"--rename %1=%2: the --from side already has %3"_s.arg(oldName, newName, renamed.displayName()));
            renamedTo.insert(match->id(), renamed.id());
            if (match->kind == ObjectKind::Table) // its columns follow it
                for (const SchemaObject &o : from.objects)
                    if (o.kind == ObjectKind::Column && o.schema == match->schema && o.table == match->name)
                    {
                        SchemaObject c = o;
                        c.table = newName;
                        renamedTo.insert(o.id(), c.id());
                    }
        }
        QHash<QString, QString> renamedFrom;
        for (auto it = renamedTo.cbegin(); it != renamedTo.cend(); ++it)
            renamedFrom.insert(it.value(), it.key());

        // Tables added or removed as a whole carry their columns (the table's definition lists them).
        QSet<QString> wholeTables;
        for (const SchemaObject &o : from.objects)
            if (o.kind == ObjectKind::Table && !renamedTo.contains(o.id()) && !to.find(o.id()))
                wholeTables.insert(o.schema + u'.' + o.name);
        for (const SchemaObject &o : to.objects)
            if (o.kind == ObjectKind::Table && !renamedFrom.contains(o.id()) && !from.find(o.id()))
                wholeTables.insert(o.schema + u'.' + o.name);
        const auto partOfWholeTable = [&](const SchemaObject &o) {
            return o.kind == ObjectKind::Column && wholeTables.contains(o.schema + u'.' + o.table);
        };

        const auto finishChange = [&](Change &c, const SchemaObject *a, const SchemaObject *b) {
            c.object = (b ? b : a)->displayName();
            if (a)
                c.before = describe(*a, from);
            if (b)
                c.after = describe(*b, to);
            const KindRules &rules = rulesFor(c.kind);
            if (rules.hazards)
                c.hazards = rules.hazards(c, a, b, from, to);
            if (c.kind == ObjectKind::Policy || c.kind == ObjectKind::DefaultPrivileges)
                c.hazards << HazardNote{Hazard::Security, u"%1 %2"_s.arg(toString(c.kind), toString(c.type))};
            if (c.type == Change::Type::Renamed)
                c.hazards << HazardNote{Hazard::BreaksRunningCode, u"code that names %1 fails after the rename"_s.arg(a->displayName())};
            result.changes << c;
        };

        for (const SchemaObject &a : from.objects)
        {
            const QString aId = a.id();
            const SchemaObject *b = to.find(renamedTo.isEmpty() ? aId : renamedTo.value(aId, aId));
            if (!b)
            {
                if (partOfWholeTable(a))
                    continue;
                Change c;
                c.type = Change::Type::Removed;
                c.kind = a.kind;
                c.id = aId;
                finishChange(c, &a, nullptr);
                continue;
            }
            const QStringList differ = differingAttributes(a, *b);
            if (differ.isEmpty() && !renamedTo.contains(aId))
                continue;
            QStringList plain, security;
            for (const QString &k : differ)
                (isSecurityAttribute(a, *b, k) ? security : plain) << k;
            if (renamedTo.contains(a.id()) && a.name != b->name) // a column that only follows its renamed table is compared as it is
            {
                Change c;
                c.type = Change::Type::Renamed;
                c.kind = a.kind;
                c.id = b->id();
                c.fromId = a.id();
                c.attributes = plain;
                finishChange(c, &a, b);
            }
            else if (!plain.isEmpty())
            {
                Change c;
                c.type = Change::Type::Altered;
                c.kind = a.kind;
                c.id = b->id();
                if (a.id() != b->id())
                    c.fromId = a.id(); // a column of a renamed table
                c.attributes = plain;
                if (plain == QStringList{u"labels"_s}) // an enum, or an enum-like column across dialects
                {
                    const QStringList la = fromJsonList(a.attr(u"labels"_s)), lb = fromJsonList(b->attr(u"labels"_s));
                    bool caseOnly = la.size() == lb.size();
                    for (qsizetype i = 0; caseOnly && i < la.size(); ++i)
                        caseOnly = la[i].compare(lb[i], Qt::CaseInsensitive) == 0;
                    if (caseOnly)
                        for (qsizetype i = 0; i < la.size(); ++i)
                            if (la[i] != lb[i])
                                c.caseOnlyLabels << qMakePair(la[i], lb[i]);
                }
                finishChange(c, &a, b);
            }
            // Security attributes are always a line of their own.
            if (!security.isEmpty())
            {
                Change c;
                c.type = Change::Type::Altered;
                c.kind = a.kind;
                c.id = b->id();
                if (a.id() != b->id())
                    c.fromId = a.id();
                c.attributes = security;
                for (const QString &k : security)
                    c.hazards << HazardNote{Hazard::Security, securityDetail(a, *b, k)};
                c.object = b->displayName();
                c.before = describe(a, from);
                c.after = describe(*b, to);
                result.changes << c;
            }
        }
        for (const SchemaObject &b : to.objects)
        {
            const QString bId = b.id();
            if (renamedFrom.contains(bId) || from.find(bId) || partOfWholeTable(b))
                continue;
            Change c;
            c.type = Change::Type::Added;
            c.kind = b.kind;
            c.id = bId;
            finishChange(c, nullptr, &b);
        }

        // Possible renames: a removed and an added column of one table with the same type and
        // nullability; a removed and an added table of one schema with the same columns.
        const auto columnsOf = [](const Snapshot &s, const SchemaObject &table) {
            QStringList cols;
            for (const SchemaObject &o : s.objects)
                if (o.kind == ObjectKind::Column && o.schema == table.schema && o.table == table.name)
                    cols << o.name + u' ' + o.attr(u"type"_s) + (o.flag(u"not_null"_s) ? u" not null"_s : QString());
            cols.sort();
            return cols;
        };
        for (const Change &removed : std::as_const(result.changes))
        {
            if (removed.type != Change::Type::Removed || (removed.kind != ObjectKind::Column && removed.kind != ObjectKind::Table))
                continue;
            const SchemaObject *a = from.find(removed.id);
            for (const Change &added : std::as_const(result.changes))
            {
                if (added.type != Change::Type::Added || added.kind != removed.kind)
                    continue;
                const SchemaObject *b = to.find(added.id);
                if (!a || !b || a->schema != b->schema || a->table != b->table)
                    continue;
                const bool same = a->kind == ObjectKind::Column
                                      ? a->attr(u"type"_s) == b->attr(u"type"_s) && a->flag(u"not_null"_s) == b->flag(u"not_null"_s)
                                      : columnsOf(from, *a) == columnsOf(to, *b);
                if (same)
                {
                    const QString parent = a->kind == ObjectKind::Column ? a->schema + u'.' + a->table : a->schema;
                    result.possibleRenames << RenameCandidate{a->kind, a->id(), b->id(), parent + u'.' + a->name, b->name};
                }
            }
        }

        for (const NotCompared &n : fromSide.notCompared)
            result.notCompared << NotCompared{n.kind, u"from: "_s + n.name, n.reason};
        for (const NotCompared &n : toSide.notCompared)
            result.notCompared << NotCompared{n.kind, u"to: "_s + n.name, n.reason};
        std::stable_sort(result.changes.begin(), result.changes.end(), [](const Change &x, const Change &y) {
            return std::pair(kindOrder(x.kind), x.id) < std::pair(kindOrder(y.kind), y.id);
        });
        return result;
    }
}
