// SQLite introspection (QtSql, read-only) and the narrowing that makes a SQLite side and a
// PostgreSQL side comparable.
//
// A SQLite snapshot is written in PostgreSQL's vocabulary so that one narrowing serves both
// dialects: schema "main", a column's "type" is its declared type, a constraint's "definition"
// and an index's "definition" are written as pg_get_constraintdef / pg_get_indexdef would print
// them, and an enum column (TEXT with CHECK (col IN ('a','b'))) carries its "labels".
#include "core/schema/sqliteintrospect.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    namespace
    {
        QString quoteList(const QStringList &names)
        {
            QStringList quoted;
            for (const QString &n : names)
                quoted << quoteIdent(n);
            return quoted.join(u", "_s);
        }

        /// The quoted string literals in `text` ('a', 'it''s'), in order.
        QStringList literals(const QString &text)
        {
            static const QRegularExpression literal(u"'((?:[^']|'')*)'"_s);
            QStringList found;
            for (auto it = literal.globalMatch(text); it.hasNext();)
                found << it.next().captured(1).replace(u"''"_s, u"'"_s);
            return found;
        }

        /// Enum-like labels, sorted case-insensitively (a CHECK IN list has no order of its own),
        /// so that labels differing only by case line up pair by pair.
        QString sortedLabels(QStringList labels)
        {
            std::sort(labels.begin(), labels.end(), [](const QString &a, const QString &b) {
                const int ci = a.compare(b, Qt::CaseInsensitive);
                return ci != 0 ? ci < 0 : a < b;
            });
            return jsonList(labels);
        }

        QString unquote(QString name)
        {
            name = name.trimmed();
            if (name.size() >= 2
                && ((name.startsWith(u'"') && name.endsWith(u'"')) || (name.startsWith(u'`') && name.endsWith(u'`'))
                    || (name.startsWith(u'[') && name.endsWith(u']'))))
                return name.mid(1, name.size() - 2).replace(u"\"\""_s, u"\""_s);
            return name;
        }

        /// "CHECK (col IN ('a', 'b'))" in a SQLite CREATE TABLE: column -> labels.
        QHash<QString, QStringList> checkInLists(const QString &createSql)
        {
            static const QRegularExpression checkIn(
                uR"(CHECK\s*\(\s*("(?:[^"]|"")+"|`[^`]+`|\[[^\]]+\]|\w+)\s+IN\s*\(((?:'(?:[^']|'')*'\s*,?\s*)+)\)\s*\))"_s,
                QRegularExpression::CaseInsensitiveOption);
            QHash<QString, QStringList> found;
            for (auto it = checkIn.globalMatch(createSql); it.hasNext();)
            {
                const auto m = it.next();
                found.insert(unquote(m.captured(1)), literals(m.captured(2)));
            }
            return found;
        }

        QString sqlError(const QSqlQuery &q)
        {
            return q.lastError().text();
        }

        /// One read-only QtSql connection, removed when done (connections are per thread).
        class SqliteReader final
        {
        public:
            explicit SqliteReader(const QString &path)
            {
                static QAtomicInteger<int> counter;
                m_name = u"dbops-schema-sqlite-%1"_s.arg(counter.fetchAndAddRelaxed(1));
                QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
                db.setDatabaseName(path);
                db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
                m_open = db.open();
                if (!m_open)
                    m_error = db.lastError().text();
            }
            ~SqliteReader()
            {
                {
                    QSqlDatabase db = QSqlDatabase::database(m_name, false);
                    db.close();
                }
                QSqlDatabase::removeDatabase(m_name);
            }
            SqliteReader(const SqliteReader &) = delete;
            SqliteReader &operator=(const SqliteReader &) = delete;

            bool open() const { return m_open; }
            QString error() const { return m_error; }

            /// The rows of `sql` as maps; throws BadInput naming the query on failure.
            QList<QVariantMap> rows(const QString &sql) const
            {
                QSqlQuery q(QSqlDatabase::database(m_name, false));
                if (!q.exec(sql))
                    throw Exception(ErrorCode::BadInput, u"reading the SQLite schema (%1): %2"_s.arg(sql, sqlError(q)));
                QList<QVariantMap> result;
                while (q.next())
                {
                    QVariantMap row;
                    const QSqlRecord r = q.record();
                    for (int i = 0; i < r.count(); ++i)
                        row.insert(r.fieldName(i), q.value(i));
                    result << row;
                }
                return result;
            }

        private:
            QString m_name;
            bool m_open = false;
            QString m_error;
        };

        QString pragmaArg(const QString &name)
        {
            QString quoted = name;
            quoted.replace(u'\'', u"''"_s);
            return u'\'' + quoted + u'\'';
        }

        void readSqlite(const SqliteReader &reader, Snapshot &snapshot)
        {
            const QString schema = u"main"_s;
            const auto master = reader.rows(
                u"SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"_s);
            QHash<QString, QStringList> primaryKeys; // table -> its PK columns (for FKs without a target column)
            QList<QVariantMap> tables;
            for (const QVariantMap &m : master)
                if (m.value(u"type"_s).toString() == u"table"_s)
                    tables << m;
            for (const QVariantMap &t : tables)
            {
                const QString table = t.value(u"name"_s).toString();
                QStringList pk;
                for (const QVariantMap &c : reader.rows(u"PRAGMA table_info(%1)"_s.arg(pragmaArg(table))))
                    if (c.value(u"pk"_s).toInt() > 0)
                        pk << c.value(u"name"_s).toString(); // ordered by cid; re-sorted below
                QList<std::pair<int, QString>> ordered;
                for (const QVariantMap &c : reader.rows(u"PRAGMA table_info(%1)"_s.arg(pragmaArg(table))))
                    if (const int n = c.value(u"pk"_s).toInt(); n > 0)
                        ordered << std::pair{n, c.value(u"name"_s).toString()};
                std::sort(ordered.begin(), ordered.end());
                pk.clear();
                for (const auto &[n, name] : ordered)
                    pk << name;
                primaryKeys.insert(table, pk);
            }

            for (const QVariantMap &t : tables)
            {
                const QString table = t.value(u"name"_s).toString();
                const QString createSql = t.value(u"sql"_s).toString();
                SchemaObject tableObject{ObjectKind::Table, schema, {}, table, {}, {}, {}};
                snapshot.objects << tableObject;
                const QString tableId = tableObject.id();
                const auto checks = checkInLists(createSql);

                for (const QVariantMap &c : reader.rows(u"PRAGMA table_xinfo(%1)"_s.arg(pragmaArg(table))))
                {
                    if (c.value(u"hidden"_s).toInt() == 1) // a virtual table's hidden column
                        continue;
                    SchemaObject column{ObjectKind::Column, schema, table, c.value(u"name"_s).toString(), {}, {}, {tableId}};
                    column.attrs.insert(u"type"_s, c.value(u"type"_s).toString());
                    column.attrs.insert(u"not_null"_s, c.value(u"notnull"_s).toInt() != 0 ? u"true"_s : u"false"_s);
                    if (!c.value(u"dflt_value"_s).isNull())
                        column.attrs.insert(u"default"_s, c.value(u"dflt_value"_s).toString());
                    if (checks.contains(column.name))
                        column.attrs.insert(u"labels"_s, sortedLabels(checks.value(column.name)));
                    column.attrs.insert(u"_position"_s, QString::number(c.value(u"cid"_s).toInt() + 1));
                    snapshot.objects << column;
                }

                if (const QStringList pk = primaryKeys.value(table); !pk.isEmpty())
                {
                    SchemaObject constraint{ObjectKind::Constraint, schema, table, table + u"_pkey"_s, {}, {}, {tableId}};
                    constraint.attrs.insert(u"type"_s, u"p"_s);
                    constraint.attrs.insert(u"definition"_s, u"PRIMARY KEY (%1)"_s.arg(quoteList(pk)));
                    constraint.attrs.insert(u"validated"_s, u"true"_s);
                    snapshot.objects << constraint;
                }

                // Foreign keys: one per id, columns in seq order; a missing target column is the
                // parent's primary key.
                QMap<int, QList<QVariantMap>> fks;
                for (const QVariantMap &f : reader.rows(u"PRAGMA foreign_key_list(%1)"_s.arg(pragmaArg(table))))
                    fks[f.value(u"id"_s).toInt()] << f;
                for (const QList<QVariantMap> &parts : fks)
                {
                    QStringList from, to;
                    const QString parent = parts.first().value(u"table"_s).toString();
                    for (const QVariantMap &p : parts)
                    {
                        from << p.value(u"from"_s).toString();
                        if (!p.value(u"to"_s).isNull() && !p.value(u"to"_s).toString().isEmpty())
                            to << p.value(u"to"_s).toString();
                    }
                    if (to.isEmpty())
                        to = primaryKeys.value(parent);
                    SchemaObject fk{ObjectKind::Constraint, schema, table, table + u'_' + from.join(u'_') + u"_fkey"_s, {}, {}, {tableId}};
                    fk.attrs.insert(u"type"_s, u"f"_s);
                    QString def =
                        u"FOREIGN KEY (%1) REFERENCES %2.%3(%4)"_s.arg(quoteList(from), schema, quoteIdent(parent), quoteList(to));
                    const QString onUpdate = parts.first().value(u"on_update"_s).toString().toUpper();
                    const QString onDelete = parts.first().value(u"on_delete"_s).toString().toUpper();
                    if (!onUpdate.isEmpty() && onUpdate != u"NO ACTION"_s)
                        def += u" ON UPDATE "_s + onUpdate;
                    if (!onDelete.isEmpty() && onDelete != u"NO ACTION"_s)
                        def += u" ON DELETE "_s + onDelete;
                    fk.attrs.insert(u"definition"_s, def);
                    fk.attrs.insert(u"validated"_s, u"true"_s);
                    snapshot.objects << fk;
                }

                for (const QVariantMap &i : reader.rows(u"PRAGMA index_list(%1)"_s.arg(pragmaArg(table))))
                {
                    const QString origin = i.value(u"origin"_s).toString();
                    if (origin == u"pk"_s)
                        continue;
                    const QString name = i.value(u"name"_s).toString();
                    QStringList cols;
                    for (const QVariantMap &k : reader.rows(u"PRAGMA index_info(%1)"_s.arg(pragmaArg(name))))
                        cols << (k.value(u"name"_s).isNull() ? u"(expression)"_s : quoteIdent(k.value(u"name"_s).toString()));
                    const bool unique = i.value(u"unique"_s).toInt() != 0;
                    if (origin == u"u"_s)
                    {
                        SchemaObject constraint{ObjectKind::Constraint, schema, table, {}, {}, {}, {tableId}};
                        QStringList plain;
                        for (const QString &c : cols)
                            plain << unquote(c);
                        constraint.name = table + u'_' + plain.join(u'_') + u"_key"_s;
                        constraint.attrs.insert(u"type"_s, u"u"_s);
                        constraint.attrs.insert(u"definition"_s, u"UNIQUE (%1)"_s.arg(cols.join(u", "_s)));
                        constraint.attrs.insert(u"validated"_s, u"true"_s);
                        snapshot.objects << constraint;
                        continue;
                    }
                    QString where;
                    if (i.value(u"partial"_s).toInt() != 0)
                        for (const QVariantMap &m : master)
                            if (m.value(u"type"_s).toString() == u"index"_s && m.value(u"name"_s).toString() == name)
                            {
                                static const QRegularExpression whereClause(u"\\bWHERE\\b(.*)$"_s,
                                                                            QRegularExpression::CaseInsensitiveOption
                                                                                | QRegularExpression::DotMatchesEverythingOption);
                                if (const auto w = whereClause.match(m.value(u"sql"_s).toString()); w.hasMatch())
                                    where = w.captured(1).trimmed();
                            }
                    SchemaObject index{ObjectKind::Index, schema, table, name, {}, {}, {tableId}};
                    index.attrs.insert(u"definition"_s, u"CREATE %1INDEX %2 ON %3.%4 USING btree (%5)%6"_s.arg(
                                                            unique ? u"UNIQUE "_s : QString(), quoteIdent(name), schema, quoteIdent(table),
                                                            cols.join(u", "_s), where.isEmpty() ? QString() : u" WHERE "_s + where));
                    index.attrs.insert(u"unique"_s, unique ? u"true"_s : u"false"_s);
                    index.attrs.insert(u"primary"_s, u"false"_s);
                    snapshot.objects << index;
                }
            }

            for (const QVariantMap &m : master)
            {
                if (m.value(u"type"_s).toString() != u"view"_s)
                    continue;
                SchemaObject view{ObjectKind::View, schema, {}, m.value(u"name"_s).toString(), {}, {}, {}};
                view.attrs.insert(u"definition"_s, m.value(u"sql"_s).toString());
                snapshot.objects << view;
            }
        }

        // ---- narrowing -----------------------------------------------------------------------

        /// A SQLite declared type's family, named as a PostgreSQL type of that family (so a
        /// column the writer creates from it is valid PostgreSQL).
        QString sqliteFamily(const QString &declared)
        {
            const QString t = declared.trimmed().toUpper();
            static const QRegularExpression dateLike(u"^(DATE|DATETIME|TIMESTAMP|TIME)\\b"_s);
            if (t == u"BOOL"_s || t == u"BOOLEAN"_s)
                return u"integer"_s; // SQLite stores booleans as 0/1
            if (dateLike.match(t).hasMatch() || t.startsWith(u"UUID"_s) || t.startsWith(u"JSON"_s))
                return u"text"_s; // SQLite stores dates as ISO text
            if (t.startsWith(u"NUMERIC"_s) || t.startsWith(u"DECIMAL"_s) || t.startsWith(u"MONEY"_s))
                return u"real"_s;
            if (t.contains(u"INT"_s))
                return u"integer"_s;
            if (t.contains(u"CHAR"_s) || t.contains(u"CLOB"_s) || t.contains(u"TEXT"_s))
                return u"text"_s;
            if (t.isEmpty() || t.contains(u"BLOB"_s))
                return u"bytea"_s;
            if (t.contains(u"REAL"_s) || t.contains(u"FLOA"_s) || t.contains(u"DOUB"_s))
                return u"real"_s;
            return u"text"_s;
        }

        /// A PostgreSQL type's family (format_type text).
        QString postgresFamily(const QString &type, const QHash<QString, QString> &domains, int depth = 0)
        {
            const QString t = type.trimmed();
            if (t.endsWith(u"[]"_s))
                return u"text"_s; // SQLite keeps an array as JSON text
            if (t == u"smallint"_s || t == u"integer"_s || t == u"bigint"_s || t == u"boolean"_s)
                return u"integer"_s;
            if (t == u"real"_s || t == u"double precision"_s || t.startsWith(u"numeric"_s) || t == u"money"_s)
                return u"real"_s;
            if (t == u"bytea"_s)
                return u"bytea"_s;
            if (domains.contains(t) && depth < 8)
                return postgresFamily(domains.value(t), domains, depth + 1);
            return u"text"_s; // text, varchar, char, uuid, json, dates and times, enums, others
        }

        /// The column lists of "PRIMARY KEY (a, b)", "UNIQUE NULLS NOT DISTINCT (a)".
        QString trailingColumns(const QString &definition)
        {
            static const QRegularExpression cols(u"\\(([^()]*)\\)\\s*(?:INCLUDE.*|WITH.*|USING INDEX.*|DEFERRABLE.*|NOT VALID.*)?$"_s);
            const auto m = cols.match(definition);
            return m.hasMatch() ? m.captured(1).trimmed() : definition;
        }

        QString plainName(const QString &columns)
        {
            QStringList parts;
            for (const QString &c : columns.split(u','))
                parts << unquote(c);
            return parts.join(u'_');
        }

        /// A qualified "s.t" or "s"."t" as printed, with a SQLite "main" read as "public".
        QString normaliseTarget(const QString &target, bool sqlite)
        {
            static const QRegularExpression parts(uR"(^("(?:[^"]|"")+"|[^."]+)\.("(?:[^"]|"")+"|[^."]+)$)"_s);
            const auto m = parts.match(target.trimmed());
            if (!m.hasMatch())
                return target.trimmed();
            QString schema = unquote(m.captured(1));
            if (sqlite && schema == u"main"_s)
                schema = u"public"_s;
            return quoteIdent(schema) + u'.' + quoteIdent(unquote(m.captured(2)));
        }

        /// The column and labels of "CHECK ((status = ANY (ARRAY['a'::text, 'b'::text])))" as
        /// PostgreSQL prints `status IN ('a','b')`.
        std::optional<std::pair<QString, QStringList>> postgresCheckIn(const QString &definition)
        {
            static const QRegularExpression anyArray(
                uR"(^CHECK \(+("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\)*(?:::[a-z ]+)?\)* = ANY \(+ARRAY\[(.*)\]\)*(?:::[a-z ]+\[\])?\)+$)"_s);
            const auto m = anyArray.match(definition.trimmed());
            if (!m.hasMatch())
                return std::nullopt;
            return std::pair{unquote(m.captured(1)), literals(m.captured(2))};
        }
    }

    Expected<Snapshot> snapshotSqlite(const QString &path)
    {
        const QFileInfo info(path);
        if (!info.isFile())
            return fail(ErrorCode::BadInput, u"no SQLite file at %1"_s.arg(path));
        {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                return fail(ErrorCode::BadInput, u"cannot read the SQLite file %1: %2"_s.arg(path, file.errorString()));
            const QByteArray head = file.read(16);
            if (!head.isEmpty() && head != QByteArray("SQLite format 3\0", 16))
                return fail(ErrorCode::BadInput, u"%1 is not a SQLite database (its header is not 'SQLite format 3')"_s.arg(path));
        }
        Snapshot snapshot;
        snapshot.dialect = Dialect::Sqlite;
        snapshot.source = u"sqlite:"_s + info.absoluteFilePath();
        snapshot.takenAt = QDateTime::currentDateTimeUtc();
        SqliteReader reader(info.absoluteFilePath());
        if (!reader.open())
            return fail(ErrorCode::BadInput, u"cannot open the SQLite file %1: %2"_s.arg(path, reader.error()));
        try
        {
            // One consistent picture: the reads share one read transaction.
            (void)reader.rows(u"BEGIN"_s);
            readSqlite(reader, snapshot);
            (void)reader.rows(u"COMMIT"_s);
        }
        catch (const Exception &e)
        {
            Error err = e.error();
            err.context = snapshot.source;
            return std::unexpected(err);
        }
        snapshot.finish();
        return snapshot;
    }

    Snapshot comparableAcrossDialects(const Snapshot &side, QString *comparedAs)
    {
        if (comparedAs)
            *comparedAs = u"SQLite against PostgreSQL: tables, columns (type family: integer, text, real, bytea; booleans as integer, "
                          "dates as text), not null, primary keys, unique constraints, foreign keys (columns and target), indexes "
                          "(columns, unique, partial), views by name, and enum labels (a PostgreSQL enum or CHECK IN against a "
                          "SQLite CHECK IN); defaults, checks, owners, grants, comments and PostgreSQL-only kinds are not compared; "
                          "constraints and indexes are matched by their columns under PostgreSQL's default names"_s;
        const bool sqlite = side.dialect == Dialect::Sqlite;
        const auto schemaOf = [&](const QString &s) { return sqlite && s == u"main"_s ? u"public"_s : s; };

        QHash<QString, QString> enumLabels;      // quoted qualified type -> labels
        QHash<QString, QString> domains;         // quoted qualified domain -> base type
        QHash<QString, QStringList> checkLabels; // column id -> labels of a CHECK IN
        QHash<QString, QStringList> pkColumns;   // table key -> pk columns
        for (const SchemaObject &o : side.objects)
        {
            const QString qualified = quoteIdent(o.schema) + u'.' + quoteIdent(o.name);
            if (o.kind == ObjectKind::Enum)
                enumLabels.insert(qualified, sortedLabels(fromJsonList(o.attr(u"labels"_s))));
            else if (o.kind == ObjectKind::Domain)
                domains.insert(qualified, o.attr(u"type"_s));
            else if (o.kind == ObjectKind::Constraint && o.attr(u"type"_s) == u"c"_s)
            {
                if (const auto in = postgresCheckIn(o.attr(u"definition"_s)))
                    checkLabels.insert(o.schema + u'.' + o.table + u'.' + in->first, in->second);
            }
            else if (o.kind == ObjectKind::Constraint && o.attr(u"type"_s) == u"p"_s)
                for (const QString &c : trailingColumns(o.attr(u"definition"_s)).split(u','))
                    pkColumns[o.schema + u'.' + o.table] << unquote(c);
        }

        // Parts of a relation that is not a table here (a view's columns) are not compared.
        QSet<QString> tables;
        for (const SchemaObject &o : side.objects)
            if (o.kind == ObjectKind::Table)
                tables.insert(o.schema + u'.' + o.name);

        Snapshot narrowed;
        narrowed.source = side.source;
        narrowed.dialect = side.dialect;
        narrowed.serverVersionNum = side.serverVersionNum;
        narrowed.takenAt = side.takenAt;
        narrowed.notCompared = side.notCompared;
        for (const SchemaObject &o : side.objects)
        {
            SchemaObject n;
            n.kind = o.kind;
            n.schema = schemaOf(o.schema);
            n.table = o.table;
            n.name = o.name;
            const QString tableId = SchemaObject{ObjectKind::Table, n.schema, {}, o.table, {}, {}, {}}.id();
            if (!o.table.isEmpty() && !tables.contains(o.schema + u'.' + o.table))
                continue;
            switch (o.kind)
            {
            case ObjectKind::Table:
                break;
            case ObjectKind::Column: {
                const QString type = o.attr(u"type"_s);
                n.attrs.insert(u"type"_s, sqlite ? sqliteFamily(type) : postgresFamily(type, domains));
                const bool inPk = pkColumns.value(o.schema + u'.' + o.table).contains(o.name);
                n.attrs.insert(u"not_null"_s, o.flag(u"not_null"_s) || inPk ? u"true"_s : u"false"_s);
                QString labels = o.attr(u"labels"_s);
                if (labels.isEmpty() && enumLabels.contains(type))
                    labels = enumLabels.value(type);
                if (labels.isEmpty() && checkLabels.contains(o.schema + u'.' + o.table + u'.' + o.name))
                    labels = sortedLabels(checkLabels.value(o.schema + u'.' + o.table + u'.' + o.name));
                if (!labels.isEmpty())
                    n.attrs.insert(u"labels"_s, labels);
                if (o.attrs.contains(u"_position"_s))
                    n.attrs.insert(u"_position"_s, o.attr(u"_position"_s));
                n.dependsOn = {tableId};
                break;
            }
            case ObjectKind::Constraint: {
                const QString type = o.attr(u"type"_s);
                const QString def = o.attr(u"definition"_s);
                if (type == u"p"_s || type == u"u"_s)
                {
                    const QString cols = trailingColumns(def);
                    n.name = type == u"p"_s ? QString(o.table + u"_pkey"_s) : QString(o.table + u'_' + plainName(cols) + u"_key"_s);
                    n.attrs.insert(u"definition"_s, (type == u"p"_s ? u"PRIMARY KEY (%1)"_s : u"UNIQUE (%1)"_s).arg(cols));
                }
                else if (type == u"f"_s)
                {
                    static const QRegularExpression fk(uR"(^FOREIGN KEY \((.*?)\) REFERENCES (.+?)\((.*?)\))"_s);
                    const auto m = fk.match(def);
                    if (!m.hasMatch())
                        continue;
                    n.name = o.table + u'_' + plainName(m.captured(1)) + u"_fkey"_s;
                    const QString target = normaliseTarget(m.captured(2), sqlite);
                    n.attrs.insert(u"definition"_s, u"FOREIGN KEY (%1) REFERENCES %2(%3)"_s.arg(m.captured(1), target, m.captured(3)));
                    const auto dot = target.indexOf(u'.');
                    n.dependsOn = {
                        SchemaObject{ObjectKind::Table, unquote(target.left(dot)), {}, unquote(target.mid(dot + 1)), {}, {}, {}}.id()};
                }
                else
                    continue; // checks (their labels are on the column), exclusion, triggers
                n.attrs.insert(u"type"_s, type);
                n.attrs.insert(u"validated"_s, u"true"_s);
                n.dependsOn << tableId;
                break;
            }
            case ObjectKind::Index: {
                static const QRegularExpression indexDef(
                    uR"(^CREATE (UNIQUE )?INDEX .* USING \w+ \((.*?)\)(?: INCLUDE \(.*?\))?(?: WITH \(.*?\))?(?: WHERE (.*))?$)"_s,
                    QRegularExpression::DotMatchesEverythingOption);
                const auto m = indexDef.match(o.attr(u"definition"_s));
                if (!m.hasMatch())
                    continue;
                static const QRegularExpression order(u"\\s+(ASC|DESC|NULLS FIRST|NULLS LAST)"_s,
                                                      QRegularExpression::CaseInsensitiveOption);
                QStringList cols;
                for (QString c : m.captured(2).split(u','))
                    cols << c.remove(order).trimmed();
                const bool unique = !m.captured(1).isEmpty();
                const bool partial = !m.captured(3).isEmpty();
                n.name = o.table + u'_' + plainName(cols.join(u',')) + (unique ? u"_key"_s : u"_idx"_s);
                // The WHERE text is each dialect's own: compared as "partial", kept as "_where".
                n.attrs.insert(u"definition"_s,
                               u"CREATE %1INDEX %2 ON %3 USING btree (%4)"_s.arg(unique ? u"UNIQUE "_s : QString(), quoteIdent(n.name),
                                                                                 n.sqlTable(), cols.join(u", "_s)));
                n.attrs.insert(u"unique"_s, unique ? u"true"_s : u"false"_s);
                n.attrs.insert(u"primary"_s, u"false"_s);
                n.attrs.insert(u"partial"_s, partial ? u"true"_s : u"false"_s);
                n.attrs.insert(u"_where"_s, m.captured(3));
                n.dependsOn = {tableId};
                break;
            }
            case ObjectKind::View:
            case ObjectKind::MaterializedView:
                n.kind = ObjectKind::View;
                break;
            default:
                continue; // kinds SQLite does not have
            }
            if (n.name != o.name) // compared under the default name; dropped under its own
                n.attrs.insert(u"_name"_s, o.name);
            narrowed.objects << n;
        }
        narrowed.finish();
        return narrowed;
    }
}
