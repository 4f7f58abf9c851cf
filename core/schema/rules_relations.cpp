// The rules of Table, Column, Constraint, Index and Sequence: how each is created (a new table
// with its columns in one CREATE TABLE), dropped, altered in place (ALTER TABLE / ALTER SEQUENCE
// for everything an ALTER can change), renamed, and what each change risks (data loss, rewrite,
// the lock it takes and on what, a write-blocking build, a validating scan). --online writes the
// lock-friendly forms: CREATE/DROP INDEX CONCURRENTLY, ADD CONSTRAINT ... NOT VALID then VALIDATE,
// SET NOT NULL through a validated CHECK.
#include "core/schema/rules.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    namespace
    {
        QString tableId(const QString &schema, const QString &name)
        {
            SchemaObject t;
            t.kind = ObjectKind::Table;
            t.schema = schema;
            t.name = name;
            return t.id();
        }

        const SchemaObject *tableOf(const Snapshot &side, const SchemaObject &part)
        {
            return side.find(tableId(part.schema, part.table));
        }

        /// A table that cannot be altered into its `to` shape (partitioned <-> not): dropped and
        /// created whole.
        bool recreated(const SchemaObject &a, const SchemaObject &b)
        {
            return a.attr(u"partition_by"_s) != b.attr(u"partition_by"_s);
        }

        /// Whether the table `part` lives on is created by this plan (new, or dropped and created):
        /// its CREATE TABLE writes its columns, so they get no statement of their own.
        bool tableIsNew(const SchemaObject &part, const WriteContext &context)
        {
            const SchemaObject *a = tableOf(context.from, part);
            const SchemaObject *b = tableOf(context.to, part);
            if (!a && context.renamed)
                if (const auto it = context.renamed->constFind(tableId(part.schema, part.table)); it != context.renamed->cend())
                    a = context.from.find(*it); // renamed, not new
            return !a || (b && recreated(*a, *b));
        }

        QList<const SchemaObject *> columnsOf(const Snapshot &side, const QString &schema, const QString &table)
        {
            QList<const SchemaObject *> columns;
            for (const SchemaObject *o : side.partsOf(schema, table))
                if (o->kind == ObjectKind::Column)
                    columns << o;
            std::sort(columns.begin(), columns.end(), [](const SchemaObject *x, const SchemaObject *y) {
                return x->attr(u"_position"_s).toInt() < y->attr(u"_position"_s).toInt();
            });
            return columns;
        }

        QString humanSize(const QString &bytesText)
        {
            const double bytes = bytesText.toDouble();
            const char16_t *units[] = {u"bytes", u"kB", u"MB", u"GB", u"TB"};
            double v = bytes;
            int u = 0;
            while (v >= 1024 && u < 4)
            {
                v /= 1024;
                ++u;
            }
            return u == 0 ? u"%1 bytes"_s.arg(qint64(bytes)) : u"%1 %2"_s.arg(v, 0, 'f', 1).arg(QString::fromUtf16(units[u]));
        }

        /// "public.orders (1.2 GB, ~3400 rows)" from the table's size and row estimate on `side`
        /// (without the size when it was not read: a snapshot file of an older dbops, SQLite).
        QString tableWithSize(const Snapshot &side, const QString &schema, const QString &table)
        {
            const SchemaObject *t = side.find(tableId(schema, table));
            const QString name = schema + u'.' + table;
            if (!t)
                return name;
            QStringList known;
            if (const QString bytes = t->attr(u"_bytes"_s); !bytes.isEmpty())
                known << humanSize(bytes);
            if (const QString rows = t->attr(u"_rows"_s); !rows.isEmpty())
                known << u"~%1 rows"_s.arg(rows);
            return known.isEmpty() ? name : u"%1 (%2)"_s.arg(name, known.join(u", "_s));
        }

        // --- identity options -----------------------------------------------------------------

        /// "START 1 INCREMENT 1 MIN 1 MAX 2147483647 CACHE 1 NO CYCLE" -> its parts.
        QHash<QString, QString> identityParts(const QString &options)
        {
            QHash<QString, QString> parts;
            const QStringList words = options.split(u' ', Qt::SkipEmptyParts);
            for (qsizetype i = 0; i < words.size(); ++i)
            {
                const QString &w = words[i];
                if (w == u"NO"_s && i + 1 < words.size() && words[i + 1] == u"CYCLE"_s)
                {
                    parts.insert(u"CYCLE"_s, u"false"_s);
                    ++i;
                }
                else if (w == u"CYCLE"_s)
                    parts.insert(u"CYCLE"_s, u"true"_s);
                else if (i + 1 < words.size())
                {
                    parts.insert(w, words[i + 1]);
                    ++i;
                }
            }
            return parts;
        }

        QString sequenceOption(const QString &part, const QString &value)
        {
            if (part == u"START"_s)
                return u"START WITH "_s + value;
            if (part == u"INCREMENT"_s)
                return u"INCREMENT BY "_s + value;
            if (part == u"MIN"_s)
                return u"MINVALUE "_s + value;
            if (part == u"MAX"_s)
                return u"MAXVALUE "_s + value;
            if (part == u"CACHE"_s)
                return u"CACHE "_s + value;
            if (part == u"CYCLE"_s)
                return value == u"true"_s ? u"CYCLE"_s : u"NO CYCLE"_s;
            return {};
        }

        const QStringList &identityOrder()
        {
            static const QStringList order{u"START"_s, u"INCREMENT"_s, u"MIN"_s, u"MAX"_s, u"CACHE"_s, u"CYCLE"_s};
            return order;
        }

        QString identitySql(const QString &options)
        {
            const QHash<QString, QString> parts = identityParts(options);
            QStringList sql;
            for (const QString &p : identityOrder())
                if (parts.contains(p))
                    sql << sequenceOption(p, parts.value(p));
            return sql.join(u' ');
        }

        bool tightens(const QHash<QString, QString> &before, const QHash<QString, QString> &after)
        {
            return after.value(u"MIN"_s).toLongLong() > before.value(u"MIN"_s).toLongLong()
                   || after.value(u"MAX"_s).toLongLong() < before.value(u"MAX"_s).toLongLong();
        }

        QString identityClause(const SchemaObject &c)
        {
            QString clause = c.attr(u"identity"_s) == u"a"_s ? u"GENERATED ALWAYS AS IDENTITY"_s : u"GENERATED BY DEFAULT AS IDENTITY"_s;
            if (const QString o = identitySql(c.attr(u"identity_options"_s)); !o.isEmpty())
                clause += u" ("_s + o + u')';
            return clause;
        }

        QString storageWord(const QString &code)
        {
            if (code == u"p"_s)
                return u"PLAIN"_s;
            if (code == u"e"_s)
                return u"EXTERNAL"_s;
            if (code == u"m"_s)
                return u"MAIN"_s;
            return u"EXTENDED"_s;
        }

        /// A column as CREATE TABLE / ADD COLUMN writes it.
        QString columnDefinition(const SchemaObject &c)
        {
            QString def = quoteIdent(c.name) + u' ' + c.attr(u"type"_s);
            if (const QString coll = c.attr(u"collation"_s); !coll.isEmpty())
                def += u" COLLATE "_s + coll;
            if (const QString gen = c.attr(u"generated"_s); !gen.isEmpty())
                def += u" GENERATED ALWAYS AS ("_s + gen + u") STORED"_s;
            if (const QString d = c.attr(u"default"_s); !d.isEmpty())
                def += u" DEFAULT "_s + d;
            if (c.flag(u"not_null"_s))
                def += u" NOT NULL"_s;
            if (!c.attr(u"identity"_s).isEmpty())
                def += u' ' + identityClause(c);
            return def;
        }

        /// The ALTER TABLE statements a column needs beyond its definition (storage, statistics).
        QStringList columnExtras(const SchemaObject &c)
        {
            QStringList sql;
            const QString prefix = u"ALTER TABLE "_s + c.sqlTable() + u" ALTER COLUMN "_s + quoteIdent(c.name);
            if (const QString s = c.attr(u"storage"_s); !s.isEmpty())
                sql << prefix + u" SET STORAGE "_s + storageWord(s) + u';';
            if (const QString s = c.attr(u"statistics"_s); !s.isEmpty())
                sql << prefix + u" SET STATISTICS "_s + s + u';';
            return sql;
        }

        /// OWNED BY for sequences that exist on both sides and that `to` has owned by one of
        /// `columns` (a new column or a column of a new table: the sequence's own alter runs
        /// before the column exists; a new sequence's finish writes it).
        QStringList ownedByFor(const QList<const SchemaObject *> &columns, const WriteContext &context)
        {
            QSet<QString> names;
            for (const SchemaObject *c : columns)
                names.insert(c->sqlTable() + u'.' + quoteIdent(c->name));
            QStringList sql;
            for (const SchemaObject *s : context.to.ofKind(ObjectKind::Sequence))
            {
                if (!names.contains(s->attr(u"owned_by"_s)))
                    continue;
                const SchemaObject *before = context.from.find(s->id());
                if (before && before->attr(u"owned_by"_s) != s->attr(u"owned_by"_s))
                    sql << u"ALTER SEQUENCE %1 OWNED BY %2;"_s.arg(s->sqlName(), s->attr(u"owned_by"_s));
            }
            return sql;
        }

        // --- types ----------------------------------------------------------------------------

        struct TypeShape
        {
            QString base; ///< "integer", "character varying", "numeric" ...
            QList<int> mods;
        };

        TypeShape shapeOf(const QString &type)
        {
            static const QRegularExpression withMods(u"^(.*?)\\(([0-9, ]+)\\)(.*)$"_s);
            TypeShape s;
            const auto m = withMods.match(type);
            if (m.hasMatch())
            {
                s.base = QString(m.captured(1) + m.captured(3)).trimmed();
                for (const QString &n : m.captured(2).split(u','))
                    s.mods << n.trimmed().toInt();
            }
            else
                s.base = type.trimmed();
            return s;
        }

        int integerRank(const QString &base)
        {
            if (base == u"smallint"_s)
                return 1;
            if (base == u"integer"_s)
                return 2;
            if (base == u"bigint"_s)
                return 3;
            return 0;
        }

        bool isString(const QString &base)
        {
            return base == u"text"_s || base == u"character varying"_s || base == u"character"_s || base == u"name"_s
                   || base == u"\"char\""_s;
        }

        bool isNumeric(const QString &base)
        {
            return integerRank(base) > 0 || base == u"numeric"_s || base == u"real"_s || base == u"double precision"_s;
        }

        bool isDateTime(const QString &base)
        {
            return base == u"date"_s || base.startsWith(u"timestamp"_s);
        }

        /// Whether PostgreSQL needs USING for old -> new (no implicit or assignment cast).
        bool needsUsing(const QString &oldType, const QString &newType)
        {
            const TypeShape a = shapeOf(oldType), b = shapeOf(newType);
            if (a.base == b.base)
                return false;
            if (isString(b.base))
                return false; // every type has an assignment cast to text through its output
            if (isNumeric(a.base) && isNumeric(b.base))
                return false;
            if (isDateTime(a.base) && isDateTime(b.base))
                return false;
            return true;
        }

        /// Values that old -> new may cut or refuse (a narrower integer, a shorter varchar, less
        /// numeric precision, text to anything but text). Empty: none.
        QString narrowing(const QString &oldType, const QString &newType)
        {
            const TypeShape a = shapeOf(oldType), b = shapeOf(newType);
            if (integerRank(a.base) && integerRank(b.base))
                return integerRank(b.base) < integerRank(a.base) ? u"%1 -> %2 refuses values out of the new range"_s.arg(oldType, newType)
                                                                 : QString();
            if (isString(a.base) && isString(b.base))
            {
                const int before = a.mods.isEmpty() || a.base == u"text"_s ? -1 : a.mods.first();
                const int after = b.mods.isEmpty() || b.base == u"text"_s ? -1 : b.mods.first();
                if (after >= 0 && (before < 0 || after < before))
                    return u"%1 -> %2 refuses or cuts longer values"_s.arg(oldType, newType);
                return {};
            }
            if (a.base == u"numeric"_s && b.base == u"numeric"_s)
            {
                if (b.mods.isEmpty())
                    return {};
                if (a.mods.isEmpty())
                    return u"numeric -> %1 rounds or refuses values"_s.arg(newType);
                const int ap = a.mods.value(0), as = a.mods.value(1), bp = b.mods.value(0), bs = b.mods.value(1);
                if (bs < as || bp - bs < ap - as)
                    return u"%1 -> %2 rounds or refuses values"_s.arg(oldType, newType);
                return {};
            }
            if (a.base == u"double precision"_s && b.base == u"real"_s)
                return u"double precision -> real loses precision"_s;
            if (isNumeric(a.base) && integerRank(b.base))
                return u"%1 -> %2 rounds fractions"_s.arg(oldType, newType);
            if (isString(b.base))
                return {};
            if (a.base != b.base)
                return u"%1 -> %2 converts every value (values that do not convert fail the statement)"_s.arg(oldType, newType);
            return {};
        }

        /// Whether old -> new rewrites the table (binary-coercible or typmod-widening changes do not).
        bool rewrites(const QString &oldType, const QString &newType)
        {
            const TypeShape a = shapeOf(oldType), b = shapeOf(newType);
            const auto unlimitedString = [](const TypeShape &s) {
                return s.base == u"text"_s || (s.base == u"character varying"_s && s.mods.isEmpty());
            };
            if (isString(a.base) && isString(b.base) && a.base != u"character"_s && b.base != u"character"_s)
            {
                if (unlimitedString(b))
                    return false;
                if (a.base == u"character varying"_s && b.base == u"character varying"_s && !a.mods.isEmpty())
                    return b.mods.value(0) < a.mods.value(0);
                return true;
            }
            if (a.base == b.base && (a.base == u"numeric"_s || a.base == u"bit varying"_s))
            {
                if (b.mods.isEmpty())
                    return false;
                if (a.mods.isEmpty())
                    return true;
                return !(b.mods.value(1) == a.mods.value(1) && b.mods.value(0) >= a.mods.value(0));
            }
            return oldType != newType;
        }

        bool volatileDefault(const QString &expr)
        {
            static const QRegularExpression re(
                u"\\b(nextval|random|clock_timestamp|timeofday|gen_random_uuid|uuid_generate_v[0-9a-z]*|txid_current|statement_timestamp)\\s*\\("_s);
            return re.match(expr).hasMatch();
        }

        QString notNullCheckName(const SchemaObject &c)
        {
            QString name = c.table + u'_' + c.name;
            name = name.left(63 - 9) + u"_not_null"_s;
            return name;
        }

        // --- Table ----------------------------------------------------------------------------

        QStringList reloptionsSql(const SchemaObject *a, const SchemaObject &b)
        {
            const auto parse = [](const QString &list) {
                QMap<QString, QString> m;
                for (const QString &o : fromJsonList(list))
                    m.insert(o.section(u'=', 0, 0), o.section(u'=', 1));
                return m;
            };
            // Every option of `from` is reset and `to`'s are set in their stored order, so the
            // table ends up with the same list as `to` (pg_dump prints it as stored).
            const QMap<QString, QString> before = a ? parse(a->attr(u"reloptions"_s)) : QMap<QString, QString>{};
            QStringList after = fromJsonList(b.attr(u"_reloptions_order"_s));
            if (after.size() != fromJsonList(b.attr(u"reloptions"_s)).size())
                after = fromJsonList(b.attr(u"reloptions"_s));
            QStringList sql;
            if (!before.isEmpty())
                sql << u"ALTER TABLE %1 RESET (%2);"_s.arg(b.sqlName(), QStringList(before.keys()).join(u", "_s));
            if (!after.isEmpty())
                sql << u"ALTER TABLE %1 SET (%2);"_s.arg(b.sqlName(), after.join(u", "_s));
            return sql;
        }

        QString replicaIdentitySql(const SchemaObject &b)
        {
            const QString ri = b.attr(u"replica_identity"_s);
            QString what = u"DEFAULT"_s;
            if (ri == u"n"_s)
                what = u"NOTHING"_s;
            else if (ri == u"f"_s)
                what = u"FULL"_s;
            else if (ri == u"i"_s)
                what = u"USING INDEX "_s + quoteIdent(b.attr(u"replica_identity_index"_s));
            return u"ALTER TABLE %1 REPLICA IDENTITY %2;"_s.arg(b.sqlName(), what);
        }

        QStringList createTable(const SchemaObject &b, const WriteContext &context)
        {
            const QList<const SchemaObject *> columns = columnsOf(context.to, b.schema, b.name);
            QString sql = u"CREATE "_s;
            if (b.attr(u"persistence"_s) == u"u"_s)
                sql += u"UNLOGGED "_s;
            sql += u"TABLE "_s + b.sqlName();
            QStringList defs;
            for (const SchemaObject *c : columns)
                defs << u"    "_s + columnDefinition(*c);
            if (const QString parent = b.attr(u"partition_of"_s); !parent.isEmpty())
            {
                sql += u" PARTITION OF "_s + parent;
                if (!defs.isEmpty())
                    sql += u" (\n"_s + defs.join(u",\n"_s) + u"\n)"_s;
                sql += u' ' + b.attr(u"partition_bound"_s);
            }
            else
            {
                sql += u" (\n"_s + defs.join(u",\n"_s) + (defs.isEmpty() ? u")"_s : u"\n)"_s);
                if (const QStringList parents = fromJsonList(b.attr(u"inherits"_s)); !parents.isEmpty())
                    sql += u" INHERITS ("_s + parents.join(u", "_s) + u')';
            }
            if (const QString key = b.attr(u"partition_by"_s); !key.isEmpty())
                sql += u" PARTITION BY "_s + key;
            QStringList options = fromJsonList(b.attr(u"_reloptions_order"_s));
            if (options.size() != fromJsonList(b.attr(u"reloptions"_s)).size())
                options = fromJsonList(b.attr(u"reloptions"_s));
            if (!options.isEmpty())
                sql += u" WITH ("_s + options.join(u", "_s) + u')';
            QStringList all{sql + u';'};
            for (const SchemaObject *c : columns)
                all << columnExtras(*c);
            const QString ri = b.attr(u"replica_identity"_s);
            if (ri == u"n"_s || ri == u"f"_s)
                all << replicaIdentitySql(b);
            if (b.flag(u"rls"_s))
                all << u"ALTER TABLE %1 ENABLE ROW LEVEL SECURITY;"_s.arg(b.sqlName());
            if (b.flag(u"rls_forced"_s))
                all << u"ALTER TABLE %1 FORCE ROW LEVEL SECURITY;"_s.arg(b.sqlName());
            all << ownedByFor(columns, context);
            return all;
        }

        std::optional<QStringList> alterTable(const SchemaObject &a, const SchemaObject &b, const QStringList &attributes,
                                              const WriteContext &)
        {
            if (recreated(a, b))
                return std::nullopt;
            QStringList sql;
            const QString name = b.sqlName();
            const bool partitionChanged = attributes.contains(u"partition_of"_s) || attributes.contains(u"partition_bound"_s);
            if (partitionChanged && !a.attr(u"partition_of"_s).isEmpty())
                sql << u"ALTER TABLE %1 DETACH PARTITION %2;"_s.arg(a.attr(u"partition_of"_s), name);
            if (attributes.contains(u"inherits"_s))
            {
                const QStringList before = fromJsonList(a.attr(u"inherits"_s)), after = fromJsonList(b.attr(u"inherits"_s));
                for (const QString &p : before)
                    if (!after.contains(p))
                        sql << u"ALTER TABLE %1 NO INHERIT %2;"_s.arg(name, p);
                for (const QString &p : after)
                    if (!before.contains(p))
                        sql << u"ALTER TABLE %1 INHERIT %2;"_s.arg(name, p);
            }
            if (attributes.contains(u"persistence"_s))
                sql << u"ALTER TABLE %1 SET %2;"_s.arg(name, b.attr(u"persistence"_s) == u"u"_s ? u"UNLOGGED"_s : u"LOGGED"_s);
            if (attributes.contains(u"reloptions"_s))
                sql << reloptionsSql(&a, b);
            if ((attributes.contains(u"replica_identity"_s) || attributes.contains(u"replica_identity_index"_s))
                && b.attr(u"replica_identity"_s) != u"i"_s) // USING INDEX: in finish, once the index exists
                sql << replicaIdentitySql(b);
            if (attributes.contains(u"rls"_s))
                sql << u"ALTER TABLE %1 %2 ROW LEVEL SECURITY;"_s.arg(name, b.flag(u"rls"_s) ? u"ENABLE"_s : u"DISABLE"_s);
            if (attributes.contains(u"rls_forced"_s))
                sql << u"ALTER TABLE %1 %2 ROW LEVEL SECURITY;"_s.arg(name, b.flag(u"rls_forced"_s) ? u"FORCE"_s : u"NO FORCE"_s);
            if (partitionChanged && !b.attr(u"partition_of"_s).isEmpty())
                sql << u"ALTER TABLE %1 ATTACH PARTITION %2 %3;"_s.arg(b.attr(u"partition_of"_s), name, b.attr(u"partition_bound"_s));
            return sql;
        }

        QList<HazardNote> tableHazards(const Change &change, const SchemaObject *a, const SchemaObject *b, const Snapshot &from,
                                       const Snapshot &)
        {
            QList<HazardNote> notes;
            if (change.type == Change::Type::Removed && a)
            {
                notes << HazardNote{Hazard::DataLoss, u"drops table %1 and every row in it"_s.arg(tableWithSize(from, a->schema, a->name))};
                notes << HazardNote{Hazard::Lock, u"ACCESS EXCLUSIVE on %1"_s.arg(a->displayName())};
            }
            if (change.type == Change::Type::Altered && a && b)
            {
                const QString table = tableWithSize(from, a->schema, a->name);
                if (recreated(*a, *b))
                    notes << HazardNote{
                        Hazard::DataLoss,
                        u"PostgreSQL cannot turn %1 %2 in place: the SQL drops it and creates it again, which loses "
                        "its rows; to keep them, create the new table under another name, copy the rows "
                        "(INSERT INTO ... SELECT), then drop the old one and rename"_s.arg(
                            table, b->attr(u"partition_by"_s).isEmpty() ? u"into a plain table"_s : u"into a partitioned table"_s)};
                if (change.attributes.contains(u"persistence"_s))
                    notes << HazardNote{
                        Hazard::TableRewrite,
                        u"SET %1 rewrites %2"_s.arg(b->attr(u"persistence"_s) == u"u"_s ? u"UNLOGGED"_s : u"LOGGED"_s, table)};
                if (change.attributes.contains(u"partition_of"_s) || change.attributes.contains(u"partition_bound"_s))
                {
                    if (!b->attr(u"partition_of"_s).isEmpty())
                        notes << HazardNote{Hazard::FullScan, u"ATTACH PARTITION scans %1 to check its rows fit the bound"_s.arg(table)};
                    notes << HazardNote{Hazard::Lock, u"ACCESS EXCLUSIVE on %1 and its parent"_s.arg(a->displayName())};
                }
                else if (!change.attributes.isEmpty())
                    notes << HazardNote{Hazard::Lock, u"ACCESS EXCLUSIVE on %1"_s.arg(a->displayName())};
            }
            return notes;
        }

        // --- Column ---------------------------------------------------------------------------

        QString columnPrefix(const SchemaObject &c)
        {
            return u"ALTER TABLE "_s + c.sqlTable() + u" ALTER COLUMN "_s + quoteIdent(c.name);
        }

        QStringList createColumn(const SchemaObject &b, const WriteContext &context)
        {
            if (tableIsNew(b, context))
                return {};
            // A partition detached by this plan keeps its columns.
            if (const SchemaObject *t = tableOf(context.from, b); t && !t->attr(u"partition_of"_s).isEmpty())
                return {};
            QStringList sql{u"ALTER TABLE %1 ADD COLUMN %2;"_s.arg(b.sqlTable(), columnDefinition(b))};
            sql << columnExtras(b);
            sql << ownedByFor({&b}, context);
            return sql;
        }

        /// OWNED BY NONE for the sequences owned by a column of `from` (all of table schema.table's
        /// when `column` is empty) that `to` keeps: dropping the column would drop them with it.
        QStringList keepOwnedSequences(const QString &schema, const QString &table, const QString &column, const WriteContext &context)
        {
            const QString owner = quoteIdent(schema) + u'.' + quoteIdent(table) + u'.';
            QStringList sql;
            for (const SchemaObject *s : context.from.ofKind(ObjectKind::Sequence))
            {
                const QString ownedBy = s->attr(u"owned_by"_s);
                if (ownedBy.isEmpty() || !ownedBy.startsWith(owner) || !context.to.find(s->id()))
                    continue;
                if (!column.isEmpty() && ownedBy != owner + quoteIdent(column))
                    continue;
                sql << u"ALTER SEQUENCE %1 OWNED BY NONE;"_s.arg(s->sqlName());
            }
            return sql;
        }

        QStringList dropColumn(const SchemaObject &a, const WriteContext &context)
        {
            // A table attached as a partition by this plan takes its columns from the parent.
            if (const SchemaObject *t = tableOf(context.to, a); t && !t->attr(u"partition_of"_s).isEmpty())
                return {};
            QStringList sql = keepOwnedSequences(a.schema, a.table, a.name, context);
            sql << u"ALTER TABLE %1 DROP COLUMN IF EXISTS %2;"_s.arg(a.sqlTable(), quoteIdent(a.name));
            return sql;
        }

        std::optional<QStringList> alterColumn(const SchemaObject &a, const SchemaObject &b, const QStringList &attributes,
                                               const WriteContext &context)
        {
            if (tableIsNew(b, context))
                return QStringList{};
            if (attributes.contains(u"generated"_s))
                return std::nullopt; // SET EXPRESSION is PostgreSQL 17: drop and add the column
            const QString prefix = columnPrefix(b);
            const QString table = b.sqlTable();
            const bool online = context.options.online;
            QStringList sql;
            const QString identA = a.attr(u"identity"_s), identB = b.attr(u"identity"_s);
            if (!identA.isEmpty() && identB.isEmpty())
                sql << prefix + u" DROP IDENTITY IF EXISTS;"_s;
            const bool retyped = attributes.contains(u"type"_s) || attributes.contains(u"collation"_s);
            bool defaultDone = false;
            if (retyped)
            {
                // Defaults are dropped and set again around a type change (the old default may not
                // cast to the new type).
                if (!a.attr(u"default"_s).isEmpty())
                    sql << prefix + u" DROP DEFAULT;"_s;
                QString type = prefix + u" TYPE "_s + b.attr(u"type"_s);
                if (const QString coll = b.attr(u"collation"_s); !coll.isEmpty())
                    type += u" COLLATE "_s + coll;
                if (needsUsing(a.attr(u"type"_s), b.attr(u"type"_s)))
                    type += u" USING "_s + quoteIdent(b.name) + u"::"_s + b.attr(u"type"_s);
                sql << type + u';';
                if (!b.attr(u"default"_s).isEmpty())
                    sql << prefix + u" SET DEFAULT "_s + b.attr(u"default"_s) + u';';
                defaultDone = true;
            }
            if (!defaultDone && attributes.contains(u"default"_s))
                sql << (b.attr(u"default"_s).isEmpty() ? QString(prefix + u" DROP DEFAULT;"_s)
                                                       : QString(prefix + u" SET DEFAULT "_s + b.attr(u"default"_s) + u';'));
            if (attributes.contains(u"not_null"_s))
            {
                if (!b.flag(u"not_null"_s))
                    sql << prefix + u" DROP NOT NULL;"_s;
                else if (online)
                {
                    // The scan runs under VALIDATE (SHARE UPDATE EXCLUSIVE); SET NOT NULL then uses
                    // the validated check instead of scanning under ACCESS EXCLUSIVE.
                    const QString check = quoteIdent(notNullCheckName(b));
                    sql << u"ALTER TABLE %1 ADD CONSTRAINT %2 CHECK (%3 IS NOT NULL) NOT VALID;"_s.arg(table, check, quoteIdent(b.name));
                    sql << u"ALTER TABLE %1 VALIDATE CONSTRAINT %2;"_s.arg(table, check);
                    sql << prefix + u" SET NOT NULL;"_s;
                    sql << u"ALTER TABLE %1 DROP CONSTRAINT %2;"_s.arg(table, check);
                }
                else
                    sql << prefix + u" SET NOT NULL;"_s;
            }
            if (identA.isEmpty() && !identB.isEmpty())
            {
                // A serial turned identity: its sequence goes first (the identity's sequence takes
                // the same name); its own drop, later, finds it gone.
                static const QRegularExpression nextval(u"^nextval\\('(.+)'::regclass\\)$"_s);
                if (const auto m = nextval.match(a.attr(u"default"_s)); m.hasMatch())
                {
                    const QString seq = m.captured(1).replace(u"''"_s, u"'"_s);
                    bool kept = false;
                    for (const SchemaObject *s : context.to.ofKind(ObjectKind::Sequence))
                        if (s->sqlName() == seq)
                            kept = true;
                    if (!kept) // the default that used it was dropped above
                        sql << u"DROP SEQUENCE IF EXISTS %1;"_s.arg(seq);
                }
                sql << prefix + u" ADD "_s + identityClause(b) + u';';
                // Rows already there (a serial column turned identity) keep their values: the
                // identity's next value starts past the largest one, so new rows do not collide.
                // START stays as `to` has it; only the sequence's current value moves.
                const QString start = identityParts(b.attr(u"identity_options"_s)).value(u"START"_s, u"1"_s);
                const QString increment = identityParts(b.attr(u"identity_options"_s)).value(u"INCREMENT"_s, u"1"_s);
                if (!increment.startsWith(u'-'))
                    sql << u"SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('%1', '%2'), "
                           "GREATEST((SELECT max(%3) + %4 FROM %5), %6), false);"_s.arg(QString(table).replace(u'\'', u"''"_s),
                                                                                        QString(quoteIdent(b.name)).replace(u'\'', u"''"_s),
                                                                                        quoteIdent(b.name), increment, table, start);
            }
            else if (!identA.isEmpty() && !identB.isEmpty())
            {
                if (identA != identB)
                    sql << prefix + (identB == u"a"_s ? u" SET GENERATED ALWAYS;"_s : u" SET GENERATED BY DEFAULT;"_s);
                if (attributes.contains(u"identity_options"_s))
                {
                    const QHash<QString, QString> before = identityParts(a.attr(u"identity_options"_s));
                    const QHash<QString, QString> after = identityParts(b.attr(u"identity_options"_s));
                    QStringList set;
                    for (const QString &p : identityOrder())
                        if (after.contains(p) && (before.value(p) != after.value(p) || retyped))
                            set << u"SET "_s + sequenceOption(p, after.value(p));
                    // Bounds that tighten past the current value are refused unless the
                    // sequence restarts (at its START).
                    if (tightens(before, after))
                        set << u"RESTART"_s;
                    if (!set.isEmpty())
                        sql << prefix + u' ' + set.join(u' ') + u';';
                }
            }
            if (attributes.contains(u"storage"_s))
            {
                const QString s = b.attr(u"storage"_s).isEmpty() ? b.attr(u"_type_storage"_s) : b.attr(u"storage"_s);
                sql << prefix + u" SET STORAGE "_s + storageWord(s) + u';';
            }
            if (attributes.contains(u"statistics"_s))
                sql << prefix + u" SET STATISTICS "_s + (b.attr(u"statistics"_s).isEmpty() ? u"-1"_s : b.attr(u"statistics"_s)) + u';';
            return sql;
        }

        QList<HazardNote> columnHazards(const Change &change, const SchemaObject *a, const SchemaObject *b, const Snapshot &from,
                                        const Snapshot &)
        {
            QList<HazardNote> notes;
            const SchemaObject *o = a ? a : b;
            if (!o || !from.find(tableId(o->schema, o->table)))
                return notes; // a new table: nothing there yet
            const QString table = tableWithSize(from, o->schema, o->table);
            const HazardNote lock{Hazard::Lock, u"ACCESS EXCLUSIVE on %1.%2"_s.arg(o->schema, o->table)};
            switch (change.type)
            {
            case Change::Type::Removed:
                notes << HazardNote{Hazard::DataLoss, u"drops column %1 and its values in %2"_s.arg(a->displayName(), table)} << lock;
                break;
            case Change::Type::Added:
                if (volatileDefault(b->attr(u"default"_s)))
                    notes << HazardNote{Hazard::TableRewrite,
                                        u"ADD COLUMN with a volatile default (%1) rewrites %2"_s.arg(b->attr(u"default"_s), table)};
                else if (!b->attr(u"generated"_s).isEmpty() || !b->attr(u"identity"_s).isEmpty())
                    notes << HazardNote{Hazard::TableRewrite, u"ADD COLUMN computing a value for every row rewrites %1"_s.arg(table)};
                notes << lock;
                break;
            case Change::Type::Altered:
            case Change::Type::Renamed:
                if (!a || !b)
                    break;
                if (change.attributes.contains(u"type"_s))
                {
                    if (const QString loss = narrowing(a->attr(u"type"_s), b->attr(u"type"_s)); !loss.isEmpty())
                        notes << HazardNote{Hazard::DataLoss, u"%1: %2"_s.arg(a->displayName(), loss)};
                    if (rewrites(a->attr(u"type"_s), b->attr(u"type"_s)))
                        notes << HazardNote{Hazard::TableRewrite, u"%1 -> %2 rewrites %3 and rebuilds its indexes"_s.arg(
                                                                      a->attr(u"type"_s), b->attr(u"type"_s), table)};
                }
                if (change.attributes.contains(u"generated"_s))
                    notes << HazardNote{Hazard::TableRewrite,
                                        u"a generated expression cannot be changed in place before PostgreSQL 17: the column is "
                                        "dropped and added again, which rewrites %1 and moves the column to the end"_s.arg(table)};
                if (change.attributes.contains(u"not_null"_s) && b->flag(u"not_null"_s))
                    notes << HazardNote{Hazard::FullScan, u"SET NOT NULL scans %1 under ACCESS EXCLUSIVE (--online validates a "
                                                          "CHECK first)"_s.arg(table)};
                if (!change.attributes.isEmpty() || change.type == Change::Type::Renamed)
                    notes << lock;
                break;
            }
            return notes;
        }

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

        QStringList createConstraint(const SchemaObject &b, const WriteContext &context)
        {
            const QString type = b.attr(u"type"_s);
            const QString add = u"ALTER TABLE %1 ADD CONSTRAINT %2 %3"_s.arg(b.sqlTable(), quoteIdent(b.name), b.attr(u"definition"_s));
            if (context.options.online && b.flag(u"validated"_s) && (type == u"c"_s || type == u"f"_s) && !tableIsNew(b, context)
                && !partitioned(context.to, b))
                return {add + u" NOT VALID;"_s, u"ALTER TABLE %1 VALIDATE CONSTRAINT %2;"_s.arg(b.sqlTable(), quoteIdent(b.name))};
            return {add + u';'};
        }

        QStringList dropConstraint(const SchemaObject &a, const WriteContext &)
        {
            return {u"ALTER TABLE IF EXISTS %1 DROP CONSTRAINT IF EXISTS %2;"_s.arg(a.sqlTable(), quoteIdent(a.name))};
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
            if (type == u"p"_s || type == u"u"_s || type == u"x"_s)
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
            return {u"DROP INDEX %1IF EXISTS %2;"_s.arg(concurrently ? u"CONCURRENTLY "_s : QString(), a.sqlName())};
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

        // --- Sequence -------------------------------------------------------------------------

        QStringList sequenceOptions(const SchemaObject *a, const SchemaObject &b)
        {
            QStringList o;
            const bool retyped = a && a->attr(u"type"_s) != b.attr(u"type"_s);
            const auto changed = [&](const QString &key) { return !a || retyped || a->attr(key) != b.attr(key); };
            if (!a || retyped)
                o << u"AS "_s + b.attr(u"type"_s);
            if (changed(u"start"_s))
                o << u"START WITH "_s + b.attr(u"start"_s);
            if (changed(u"increment"_s))
                o << u"INCREMENT BY "_s + b.attr(u"increment"_s);
            if (changed(u"min"_s))
                o << u"MINVALUE "_s + b.attr(u"min"_s);
            if (changed(u"max"_s))
                o << u"MAXVALUE "_s + b.attr(u"max"_s);
            if (changed(u"cache"_s))
                o << u"CACHE "_s + b.attr(u"cache"_s);
            if (changed(u"cycle"_s))
                o << (b.flag(u"cycle"_s) ? u"CYCLE"_s : u"NO CYCLE"_s);
            return o;
        }

        QStringList createSequence(const SchemaObject &b, const WriteContext &context)
        {
            QStringList sql;
            // An identity turned serial: its sequence (of the same name) goes before this one is made.
            for (const SchemaObject &c : context.from.objects)
                if (c.kind == ObjectKind::Column && !c.attr(u"identity"_s).isEmpty())
                    if (const SchemaObject *after = context.to.find(c.id());
                        after && after->attr(u"identity"_s).isEmpty() && after->attr(u"default"_s).contains(b.sqlName()))
                        sql << columnPrefix(c) + u" DROP IDENTITY IF EXISTS;"_s;
            sql << u"CREATE SEQUENCE %1 %2;"_s.arg(b.sqlName(), sequenceOptions(nullptr, b).join(u' '));
            return sql;
        }

        QStringList finishSequence(const SchemaObject *a, const SchemaObject &b, const QStringList &, const WriteContext &)
        {
            if (a || b.attr(u"owned_by"_s).isEmpty()) // an altered sequence's OWNED BY is its alter's
                return {};
            return {u"ALTER SEQUENCE %1 OWNED BY %2;"_s.arg(b.sqlName(), b.attr(u"owned_by"_s))};
        }

        /// Whether the column a sequence is OWNED BY exists on `from` (else its create writes OWNED BY).
        bool ownerColumnExists(const QString &ownedBy, const Snapshot &side)
        {
            for (const SchemaObject &o : side.objects)
                if (o.kind == ObjectKind::Column && o.sqlTable() + u'.' + quoteIdent(o.name) == ownedBy)
                    return true;
            return false;
        }

        std::optional<QStringList> alterSequence(const SchemaObject &a, const SchemaObject &b, const QStringList &attributes,
                                                 const WriteContext &context)
        {
            QStringList sql;
            QStringList options;
            for (const QString &k : attributes)
                if (k != u"owned_by"_s)
                {
                    options = sequenceOptions(&a, b);
                    break;
                }
            if (!options.isEmpty())
                sql << u"ALTER SEQUENCE %1 %2;"_s.arg(b.sqlName(), options.join(u' '));
            if (attributes.contains(u"owned_by"_s))
            {
                if (b.attr(u"owned_by"_s).isEmpty())
                    sql << u"ALTER SEQUENCE %1 OWNED BY NONE;"_s.arg(b.sqlName());
                else if (ownerColumnExists(b.attr(u"owned_by"_s), context.from))
                    sql << u"ALTER SEQUENCE %1 OWNED BY %2;"_s.arg(b.sqlName(), b.attr(u"owned_by"_s));
                // else: the new column (or its new table) writes OWNED BY once it exists
            }
            return sql;
        }

        QList<HazardNote> sequenceHazards(const Change &change, const SchemaObject *a, const SchemaObject *, const Snapshot &,
                                          const Snapshot &)
        {
            if (change.type == Change::Type::Removed && a)
                return {HazardNote{Hazard::DataLoss, u"drops sequence %1 and its current value"_s.arg(a->displayName())}};
            return {};
        }

        QString describeWith(const std::function<QStringList(const SchemaObject &, const WriteContext &)> &create, const SchemaObject &o,
                             const Snapshot &side)
        {
            static const SqlOptions plain;
            // As seen on its own side: a part of an existing table is written as an ALTER TABLE.
            const WriteContext context{side, side, plain};
            return create(o, context).join(u'\n');
        }
    }

    QList<KindRules> relationRules()
    {
        QList<KindRules> rules;

        KindRules table;
        table.kind = ObjectKind::Table;
        table.keyword = [](const SchemaObject &) { return u"TABLE"_s; };
        table.create = createTable;
        table.drop = [](const SchemaObject &a, const WriteContext &context) {
            QStringList sql = keepOwnedSequences(a.schema, a.name, {}, context);
            sql << u"DROP TABLE IF EXISTS %1;"_s.arg(a.sqlName());
            return sql;
        };
        table.alter = alterTable;
        table.finish = [](const SchemaObject *a, const SchemaObject &b, const QStringList &attributes, const WriteContext &) {
            // REPLICA IDENTITY USING INDEX needs the index, which may be created after the table.
            if (b.attr(u"replica_identity"_s) != u"i"_s)
                return QStringList{};
            if (a && !attributes.contains(u"replica_identity"_s) && !attributes.contains(u"replica_identity_index"_s))
                return QStringList{};
            return QStringList{replicaIdentitySql(b)};
        };
        table.rename = [](const SchemaObject &a, const SchemaObject &b) {
            return QStringList{u"ALTER TABLE %1 RENAME TO %2;"_s.arg(a.sqlName(), quoteIdent(b.name))};
        };
        table.hazards = tableHazards;
        table.describe = [](const SchemaObject &o, const Snapshot &side) { return describeWith(createTable, o, side); };
        rules << table;

        KindRules column;
        column.kind = ObjectKind::Column;
        column.keyword = [](const SchemaObject &) { return u"COLUMN"_s; };
        column.create = createColumn;
        column.drop = dropColumn;
        column.alter = alterColumn;
        column.recreatesDependents = [](const SchemaObject &, const SchemaObject &, const QStringList &attributes) {
            return attributes.contains(u"type"_s) || attributes.contains(u"collation"_s);
        };
        column.rename = [](const SchemaObject &a, const SchemaObject &b) {
            return QStringList{u"ALTER TABLE %1 RENAME COLUMN %2 TO %3;"_s.arg(a.sqlTable(), quoteIdent(a.name), quoteIdent(b.name))};
        };
        column.hazards = columnHazards;
        column.describe = [](const SchemaObject &o, const Snapshot &) { return columnDefinition(o); };
        // Columns added to one table are added in their `to` order (pg_dump lists them by position).
        column.orderKey = [](const SchemaObject &o) {
            return u"column:%1.%2.%3"_s.arg(o.schema, o.table).arg(o.attr(u"_position"_s).toInt(), 6, 10, QChar(u'0'));
        };
        rules << column;

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

        KindRules sequence;
        sequence.kind = ObjectKind::Sequence;
        sequence.keyword = [](const SchemaObject &) { return u"SEQUENCE"_s; };
        sequence.create = createSequence;
        sequence.drop = [](const SchemaObject &a, const WriteContext &context) {
            // A serial's sequence whose column turns identity is dropped by the column's alter
            // (before the identity's own sequence, which takes the same name, is made).
            for (const SchemaObject &c : context.to.objects)
                if (c.kind == ObjectKind::Column && !c.attr(u"identity"_s).isEmpty()
                    && c.sqlTable() + u'.' + quoteIdent(c.name) == a.attr(u"owned_by"_s))
                    if (const SchemaObject *before = context.from.find(c.id()); before && before->attr(u"identity"_s).isEmpty())
                        return QStringList{};
            return QStringList{u"DROP SEQUENCE IF EXISTS %1;"_s.arg(a.sqlName())};
        };
        sequence.alter = alterSequence;
        sequence.finish = finishSequence;
        sequence.hazards = sequenceHazards;
        sequence.describe = [](const SchemaObject &o, const Snapshot &side) { return describeWith(createSequence, o, side); };
        rules << sequence;

        return rules;
    }
}
