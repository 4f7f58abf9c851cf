// OWNER TO, GRANT/REVOKE and COMMENT ON for every kind, and ALTER DEFAULT PRIVILEGES (issue 13).
#include "core/schema/rules.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <QMap>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    namespace
    {
        /// One grantee's privileges: letter -> with grant option.
        using Privileges = QMap<QChar, bool>;
        /// grantee ("" is PUBLIC) -> privileges.
        using Acl = QMap<QString, Privileges>;

        /// Reads one role name of an aclitem's text at `i` (quoted "..." with "" inside, or bare).
        QString readRole(const QString &text, qsizetype &i, QChar stop)
        {
            QString role;
            if (i < text.size() && text[i] == u'"')
            {
                ++i;
                while (i < text.size())
                {
                    if (text[i] == u'"')
                    {
                        if (i + 1 < text.size() && text[i + 1] == u'"')
                        {
                            role += u'"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    role += text[i++];
                }
                return role;
            }
            while (i < text.size() && text[i] != stop)
                role += text[i++];
            return role;
        }

        /// The acl items (grantee=privs/grantor) by grantee; the grantor is not compared.
        Acl parseAcl(const QStringList &items)
        {
            Acl acl;
            for (const QString &item : items)
            {
                qsizetype i = 0;
                const QString grantee = readRole(item, i, u'=');
                if (i >= item.size() || item[i] != u'=')
                    continue;
                ++i;
                Privileges &p = acl[grantee];
                while (i < item.size() && item[i] != u'/')
                {
                    const QChar letter = item[i++];
                    const bool option = i < item.size() && item[i] == u'*';
                    if (option)
                        ++i;
                    p[letter] = p.value(letter) || option;
                }
                if (p.isEmpty())
                    acl.remove(grantee);
            }
            return acl;
        }

        QString privilegeWord(QChar letter)
        {
            switch (letter.unicode())
            {
            case u'r':
                return u"SELECT"_s;
            case u'w':
                return u"UPDATE"_s;
            case u'a':
                return u"INSERT"_s;
            case u'd':
                return u"DELETE"_s;
            case u'D':
                return u"TRUNCATE"_s;
            case u'x':
                return u"REFERENCES"_s;
            case u't':
                return u"TRIGGER"_s;
            case u'X':
                return u"EXECUTE"_s;
            case u'U':
                return u"USAGE"_s;
            case u'C':
                return u"CREATE"_s;
            case u'c':
                return u"CONNECT"_s;
            case u'T':
                return u"TEMPORARY"_s;
            case u'm':
                return u"MAINTAIN"_s;
            case u's':
                return u"SET"_s;
            case u'A':
                return u"ALTER SYSTEM"_s;
            default:
                return {};
            }
        }

        QString grantee(const QString &role)
        {
            return role.isEmpty() ? u"PUBLIC"_s : quoteIdent(role);
        }

        /// The acl of a new object owned by `owner` when none is granted (acldefault()).
        QStringList defaultAcl(const SchemaObject &o, int serverVersionNum)
        {
            const QString owner = o.attr(u"owner"_s);
            if (owner.isEmpty())
                return {};
            const QString &ownerText = owner;
            switch (o.kind)
            {
            case ObjectKind::Table:
            case ObjectKind::View:
            case ObjectKind::MaterializedView:
                return {u"%1=%2/%1"_s.arg(ownerText, serverVersionNum >= 170000 ? u"arwdDxtm"_s : u"arwdDxt"_s)};
            case ObjectKind::Sequence:
                return {u"%1=rwU/%1"_s.arg(ownerText)};
            case ObjectKind::Function:
                return {u"=X/%1"_s.arg(ownerText), u"%1=X/%1"_s.arg(ownerText)};
            case ObjectKind::Enum:
            case ObjectKind::Domain:
            case ObjectKind::CompositeType:
                return {u"=U/%1"_s.arg(ownerText), u"%1=U/%1"_s.arg(ownerText)};
            case ObjectKind::Schema:
                return {u"%1=UC/%1"_s.arg(ownerText)};
            default:
                return {};
            }
        }

        /// GRANT/REVOKE statements turning `from` into `to`. `statement(privileges, role, grant,
        /// option)` writes one: grant (or revoke) of the privileges (with grant option, or revoke of
        /// the grant option only).
        QStringList aclStatements(const Acl &from, const Acl &to,
                                  const std::function<QString(const QStringList &, const QString &, bool, bool)> &statement)
        {
            QStringList out;
            QStringList roles = from.keys();
            for (const QString &r : to.keys())
                if (!roles.contains(r))
                    roles << r;
            for (const QString &role : std::as_const(roles))
            {
                const Privileges a = from.value(role), b = to.value(role);
                QStringList revoke, revokeOption, grant, grantOption;
                for (auto it = a.cbegin(); it != a.cend(); ++it)
                {
                    const QString word = privilegeWord(it.key());
                    if (word.isEmpty())
                        continue;
                    if (!b.contains(it.key()))
                        revoke << word;
                    else if (it.value() && !b.value(it.key()))
                        revokeOption << word;
                }
                for (auto it = b.cbegin(); it != b.cend(); ++it)
                {
                    const QString word = privilegeWord(it.key());
                    if (word.isEmpty())
                        continue;
                    const bool had = a.contains(it.key());
                    if (it.value() && !(had && a.value(it.key())))
                        grantOption << word;
                    else if (!had)
                        grant << word;
                }
                if (!revoke.isEmpty())
                    out << statement(revoke, role, false, false);
                if (!revokeOption.isEmpty())
                    out << statement(revokeOption, role, false, true);
                if (!grant.isEmpty())
                    out << statement(grant, role, true, false);
                if (!grantOption.isEmpty())
                    out << statement(grantOption, role, true, true);
            }
            return out;
        }

        /// An acl after ALTER ... OWNER TO: PostgreSQL gives the old owner's items to the new one.
        Acl afterOwnerChange(Acl acl, const QString &oldOwner, const QString &newOwner)
        {
            if (oldOwner.isEmpty() || newOwner.isEmpty() || oldOwner == newOwner || !acl.contains(oldOwner))
                return acl;
            const Privileges old = acl.take(oldOwner);
            Privileges &p = acl[newOwner];
            for (auto it = old.cbegin(); it != old.cend(); ++it)
                p[it.key()] = p.value(it.key()) || it.value();
            return acl;
        }

        QString functionKeyword(const SchemaObject &o)
        {
            const QString k = o.attr(u"kind"_s);
            if (k == u"p"_s)
                return u"PROCEDURE"_s;
            if (k == u"a"_s)
                return u"AGGREGATE"_s;
            return u"FUNCTION"_s;
        }

        /// "TABLE s.t", "COLUMN s.t.c", "TRIGGER n ON s.t": what COMMENT ON names.
        QString commentTarget(const SchemaObject &o)
        {
            switch (o.kind)
            {
            case ObjectKind::Schema:
                return u"SCHEMA "_s + o.sqlName();
            case ObjectKind::Extension:
                return u"EXTENSION "_s + o.sqlName();
            case ObjectKind::Collation:
                return u"COLLATION "_s + o.sqlName();
            case ObjectKind::Enum:
            case ObjectKind::CompositeType:
                return u"TYPE "_s + o.sqlName();
            case ObjectKind::Domain:
                return u"DOMAIN "_s + o.sqlName();
            case ObjectKind::Sequence:
                return u"SEQUENCE "_s + o.sqlName();
            case ObjectKind::Table:
                return u"TABLE "_s + o.sqlName();
            case ObjectKind::Column:
                return u"COLUMN "_s + o.sqlTable() + u'.' + quoteIdent(o.name);
            case ObjectKind::Constraint:
                return u"CONSTRAINT "_s + quoteIdent(o.name) + u" ON "_s + o.sqlTable();
            case ObjectKind::Index:
                return u"INDEX "_s + quoteIdent(o.schema) + u'.' + quoteIdent(o.name);
            case ObjectKind::View:
                return u"VIEW "_s + o.sqlName();
            case ObjectKind::MaterializedView:
                return u"MATERIALIZED VIEW "_s + o.sqlName();
            case ObjectKind::Function:
                // An aggregate over no argument is named agg(*) (its identity arguments are empty).
                if (o.attr(u"kind"_s) == u"a"_s && o.arguments.isEmpty())
                    return u"AGGREGATE "_s + quoteIdent(o.schema) + u'.' + quoteIdent(o.name) + u"(*)"_s;
                return functionKeyword(o) + u' ' + o.sqlName();
            case ObjectKind::Operator:
                return u"OPERATOR "_s + o.sqlName();
            case ObjectKind::Cast:
                return u"CAST ("_s + o.name + u')';
            case ObjectKind::Trigger:
                return u"TRIGGER "_s + quoteIdent(o.name) + u" ON "_s + o.sqlTable();
            case ObjectKind::Policy:
                return u"POLICY "_s + quoteIdent(o.name) + u" ON "_s + o.sqlTable();
            case ObjectKind::Rule:
                return u"RULE "_s + quoteIdent(o.name) + u" ON "_s + o.sqlTable();
            case ObjectKind::Statistics:
                return u"STATISTICS "_s + o.sqlName();
            case ObjectKind::DefaultPrivileges:
                return {};
            }
            return {};
        }

        /// What ALTER ... OWNER TO names, or empty for a kind without an owner of its own.
        QString ownerTarget(const SchemaObject &o)
        {
            return hasOwnOwner(o.kind) ? commentTarget(o) : QString();
        }

        /// What GRANT ... ON names, or empty for a kind without grants.
        QString grantTarget(const SchemaObject &o)
        {
            switch (o.kind)
            {
            case ObjectKind::Schema:
                return u"SCHEMA "_s + o.sqlName();
            case ObjectKind::Enum:
            case ObjectKind::Domain:
            case ObjectKind::CompositeType:
                return u"TYPE "_s + o.sqlName();
            case ObjectKind::Sequence:
                return u"SEQUENCE "_s + o.sqlName();
            case ObjectKind::Table:
            case ObjectKind::View:
            case ObjectKind::MaterializedView:
                return u"TABLE "_s + o.sqlName();
            case ObjectKind::Function:
                return (o.attr(u"kind"_s) == u"p"_s ? u"PROCEDURE "_s : u"FUNCTION "_s) + o.sqlName();
            case ObjectKind::Column:
                return u"TABLE "_s + o.sqlTable();
            default:
                return {};
            }
        }

        QString literal(const QString &text)
        {
            QString q = text;
            q.replace(u'\'', u"''"_s);
            return u'\'' + q + u'\'';
        }

        QString onWords(const SchemaObject &o)
        {
            return o.attr(u"_on"_s).toUpper();
        }

        /// ALTER DEFAULT PRIVILEGES statements turning the acl `from` into `to` for `o`.
        QStringList defaultPrivilegeStatements(const QStringList &from, const QStringList &to, const SchemaObject &o)
        {
            QString prefix = u"ALTER DEFAULT PRIVILEGES FOR ROLE "_s + quoteIdent(o.attr(u"_role"_s));
            if (!o.attr(u"_in_schema"_s).isEmpty())
                prefix += u" IN SCHEMA "_s + quoteIdent(o.attr(u"_in_schema"_s));
            const QString on = onWords(o);
            return aclStatements(parseAcl(from), parseAcl(to), [&](const QStringList &privs, const QString &role, bool grant, bool option) {
                if (grant)
                    return u"%1 GRANT %2 ON %3 TO %4%5"_s.arg(prefix, privs.join(u", "_s), on, grantee(role),
                                                              option ? u" WITH GRANT OPTION"_s : QString());
                return u"%1 REVOKE %2%3 ON %4 FROM %5"_s.arg(prefix, option ? u"GRANT OPTION FOR "_s : QString(), privs.join(u", "_s), on,
                                                             grantee(role));
            });
        }

        QStringList baselineOf(const SchemaObject &o)
        {
            return fromJsonList(o.attr(u"_defaults"_s));
        }
    }

    QStringList securityStatements(const SchemaObject *a, const SchemaObject &b, const WriteContext &context)
    {
        QStringList out;
        if (b.kind == ObjectKind::DefaultPrivileges)
        {
            // No acl at all is the baseline (an entry dropped); an emptied global entry reads "[]".
            const QStringList before = a ? fromJsonList(a->attr(u"acl"_s)) : baselineOf(b);
            const QStringList after = b.attr(u"acl"_s).isEmpty() ? baselineOf(b) : fromJsonList(b.attr(u"acl"_s));
            return defaultPrivilegeStatements(before, after, b);
        }

        // Owner first: it moves the old owner's grants to the new one.
        const QString ownerOf = ownerTarget(b);
        const QString oldOwner = a ? a->attr(u"owner"_s) : QString();
        const QString newOwner = b.attr(u"owner"_s);
        // A sequence owned by a column follows its table's owner (ALTER TABLE takes it along, and
        // PostgreSQL refuses ALTER SEQUENCE ... OWNER TO on it).
        const bool followsTable = a && b.kind == ObjectKind::Sequence && !b.attr(u"owned_by"_s).isEmpty();
        if (!ownerOf.isEmpty() && !newOwner.isEmpty() && (!a || oldOwner != newOwner) && !followsTable)
            out << u"ALTER %1 OWNER TO %2"_s.arg(ownerOf, quoteIdent(newOwner));

        // An object read without grants (--ignore grants, another dialect) keeps whatever it has.
        const QString on = grantTarget(b);
        if (!on.isEmpty() && (b.kind == ObjectKind::Column || !b.attr(u"acl"_s).isEmpty()))
        {
            // A new object starts with PostgreSQL's defaults for its owner (a column with none).
            const Acl before = a ? afterOwnerChange(parseAcl(fromJsonList(a->attr(u"acl"_s))), oldOwner, newOwner)
                                 : parseAcl(defaultAcl(b, context.from.serverVersionNum)); // made on --from's server
            const Acl after = parseAcl(fromJsonList(b.attr(u"acl"_s)));
            {
                const QString column = b.kind == ObjectKind::Column ? u" ("_s + quoteIdent(b.name) + u')' : QString();
                out << aclStatements(before, after, [&](const QStringList &privs, const QString &role, bool grant, bool option) {
                    QStringList words = privs;
                    for (QString &w : words)
                        w += column;
                    if (grant)
                        return u"GRANT %1 ON %2 TO %3%4"_s.arg(words.join(u", "_s), on, grantee(role),
                                                               option ? u" WITH GRANT OPTION"_s : QString());
                    return u"REVOKE %1%2 ON %3 FROM %4"_s.arg(option ? u"GRANT OPTION FOR "_s : QString(), words.join(u", "_s), on,
                                                              grantee(role));
                });
            }
        }

        const QString commentOn = commentTarget(b);
        const QString oldComment = a ? a->attr(u"comment"_s) : QString();
        const QString newComment = b.attr(u"comment"_s);
        if (!commentOn.isEmpty() && oldComment != newComment)
            out << u"COMMENT ON %1 IS %2"_s.arg(commentOn, newComment.isEmpty() ? u"NULL"_s : literal(newComment));
        // Comments on a domain's constraints and a composite type's attributes.
        {
            const auto parts = [](const SchemaObject *o) {
                return o ? QJsonDocument::fromJson(o->attr(u"part_comments"_s).toUtf8()).object() : QJsonObject();
            };
            const QJsonObject before = parts(a), after = parts(&b);
            QStringList names = before.keys() + after.keys();
            names.sort();
            names.removeDuplicates();
            for (const QString &name : names)
            {
                const QString was = before.value(name).toString(), now = after.value(name).toString();
                if (was == now)
                    continue;
                QString target;
                if (b.kind == ObjectKind::Domain)
                    target = u"CONSTRAINT %1 ON DOMAIN %2"_s.arg(quoteIdent(name), b.sqlName());
                else if (b.kind == ObjectKind::CompositeType)
                    target = u"COLUMN %1.%2"_s.arg(b.sqlName(), quoteIdent(name));
                else
                    continue;
                out << u"COMMENT ON %1 IS %2"_s.arg(target, now.isEmpty() ? u"NULL"_s : literal(now));
            }
        }

        // A table created whole brings its columns (they are no changes of their own): their
        // grants and comments come with it. The objects are sorted by id: the columns are one run.
        if (!a && b.kind == ObjectKind::Table)
        {
            SchemaObject probe;
            probe.kind = ObjectKind::Column;
            probe.schema = b.schema;
            probe.table = b.name;
            const QString prefix = probe.id() + u'.';
            const QList<SchemaObject> &all = context.to.objects;
            auto it =
                std::lower_bound(all.cbegin(), all.cend(), prefix, [](const SchemaObject &o, const QString &p) { return o.id() < p; });
            for (; it != all.cend() && it->id().startsWith(prefix); ++it)
                if (it->kind == ObjectKind::Column && it->schema == b.schema && it->table == b.name)
                    out << securityStatements(nullptr, *it, context);
        }
        return out;
    }

    /// The rules of DefaultPrivileges: an entry is created and dropped by granting and revoking
    /// (its baseline: nothing in a schema, the built-in defaults for a global entry).
    KindRules defaultPrivilegesRules()
    {
        KindRules r;
        r.kind = ObjectKind::DefaultPrivileges;
        r.keyword = [](const SchemaObject &) { return u"DEFAULT PRIVILEGES"_s; };
        r.create = [](const SchemaObject &, const WriteContext &) { return QStringList(); };
        r.drop = [](const SchemaObject &a, const WriteContext &) {
            return defaultPrivilegeStatements(fromJsonList(a.attr(u"acl"_s)), baselineOf(a), a);
        };
        r.alter = [](const SchemaObject &, const SchemaObject &, const QStringList &, const WriteContext &) {
            return std::optional<QStringList>(QStringList());
        };
        r.describe = [](const SchemaObject &o, const Snapshot &) {
            return u"default privileges for role %1%2 on %3: %4"_s.arg(
                o.attr(u"_role"_s), o.attr(u"_in_schema"_s).isEmpty() ? QString() : u" in schema "_s + o.attr(u"_in_schema"_s),
                o.attr(u"_on"_s), fromJsonList(o.attr(u"acl"_s)).join(u", "_s));
        };
        return r;
    }
}
