#include "core/sql/lint.h"

#include "core/sql/parsetree.h"

#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        using tree::stringValue;
        using tree::unwrap;

        QStringList names(const QJsonArray &items)
        {
            return tree::stringList(items);
        }

        /// A relation as written ("s.t") and as the lint keys it ("s.t", public when unqualified).
        struct Rel
        {
            QString shown;
            QString key;
        };

        Rel relation(const QJsonValue &v)
        {
            const QJsonObject r = unwrap(v, u"RangeVar"_s);
            const QString schema = r[u"schemaname"_s].toString();
            const QString name = r[u"relname"_s].toString();
            return {(schema.isEmpty() ? QString() : schema + u'.') + name, (schema.isEmpty() ? u"public"_s : schema) + u'.' + name};
        }

        /// A type's own name, without pg_catalog: "int4", "varchar", "serial", "timestamp".
        QString typeKey(const QJsonObject &typeName)
        {
            const QStringList n = names(typeName[u"names"_s].toArray());
            return n.isEmpty() ? QString() : n.last().toLower();
        }

        /// Every node of a tree, depth first.
        void walk(const QJsonValue &v, const std::function<void(const QString &, const QJsonObject &)> &visit)
        {
            if (v.isArray())
            {
                for (const QJsonValue &x : v.toArray())
                    walk(x, visit);
                return;
            }
            if (!v.isObject())
                return;
            const QJsonObject o = v.toObject();
            for (auto it = o.begin(); it != o.end(); ++it)
            {
                if (it.value().isObject() && !it.key().isEmpty() && it.key()[0].isUpper())
                    visit(it.key(), it.value().toObject());
                walk(it.value(), visit);
            }
        }

        /// Functions known not to be volatile, so that a default calling them is stored once.
        bool knownNotVolatile(const QString &function)
        {
            static const QSet<QString> stable{u"now"_s,
                                              u"statement_timestamp"_s,
                                              u"transaction_timestamp"_s,
                                              u"current_date"_s,
                                              u"current_time"_s,
                                              u"localtimestamp"_s,
                                              u"lower"_s,
                                              u"upper"_s,
                                              u"length"_s,
                                              u"concat"_s,
                                              u"coalesce"_s,
                                              u"to_timestamp"_s,
                                              u"to_date"_s,
                                              u"json_build_object"_s,
                                              u"jsonb_build_object"_s,
                                              u"json_build_array"_s,
                                              u"jsonb_build_array"_s,
                                              u"array_fill"_s,
                                              u"make_interval"_s,
                                              u"make_date"_s,
                                              u"make_timestamp"_s,
                                              u"make_timestamptz"_s,
                                              u"abs"_s,
                                              u"round"_s,
                                              u"trim"_s,
                                              u"btrim"_s,
                                              u"replace"_s,
                                              u"md5"_s,
                                              u"current_setting"_s,
                                              u"pg_catalog.now"_s};
            return stable.contains(function.toLower());
        }

        struct IgnoreComment
        {
            int line = 0;
            bool wholeFile = false;
            QStringList rules;
            QString reason;
            bool used = false;
        };

        QList<IgnoreComment> readIgnores(const QString &sql)
        {
            static const QRegularExpression re(uR"(--\s*dbops:lint-ignore(-file)?\b[ \t]*([A-Za-z0-9_,\-]*)[ \t]*(.*)$)"_s);
            QList<IgnoreComment> out;
            const QStringList lines = sql.split(u'\n');
            for (int i = 0; i < lines.size(); ++i)
            {
                const QRegularExpressionMatch m = re.match(lines[i]);
                if (!m.hasMatch())
                    continue;
                IgnoreComment c;
                c.line = i + 1;
                c.wholeFile = !m.captured(1).isEmpty();
                c.rules = m.captured(2).split(u',', Qt::SkipEmptyParts);
                c.reason = m.captured(3).trimmed();
                if (c.reason.startsWith(u"--"_s))
                    c.reason.clear();
                out << c;
            }
            return out;
        }

        class Linter
        {
        public:
            Linter(const LintInput &input, const LintOptions &options)
                : m_in(input)
                , m_opt(options)
                , m_inTransaction(options.inTransaction)
                , m_lockTimeout(options.runSetsLockTimeout)
                , m_statementTimeout(options.runSetsStatementTimeout)
            {
            }

            LintResult run()
            {
                for (const SqlStatement &st : m_in.statements)
                {
                    m_st = &st;
                    const std::optional<QJsonArray> stmts = parseStatements(st.text);
                    if (!stmts)
                        continue; // the splitter refused what does not parse
                    for (const QJsonValue &s : *stmts)
                        statement(s.toObject());
                }
                m_st = nullptr;
                if (m_begin)
                    add(u"ban-uncommitted-transaction"_s, {},
                        u"the BEGIN of statement %1 has no COMMIT: the file leaves its transaction open "
                        "and what it did is rolled back when the session ends"_s.arg(m_begin->index + 1),
                        u"end the transaction with COMMIT in the same file"_s, {}, m_begin);
                applyIgnores();
                m_out.createdTables = m_created;
                return m_out;
            }

        private:
            const LintInput &m_in;
            const LintOptions &m_opt;
            LintResult m_out;
            const SqlStatement *m_st = nullptr;
            bool m_inTransaction;
            const SqlStatement *m_begin = nullptr; ///< an explicit BEGIN not yet committed
            bool m_lockTimeout, m_statementTimeout;
            bool m_lockTimeoutReported = false, m_statementTimeoutReported = false;
            bool m_locksExisting = false; ///< the current statement locks an existing table
            QSet<QString> m_created, m_createdIndexes;
            // The current transaction.
            QStringList m_addedEnumValues;
            bool m_ddlOnExisting = false;
            const SqlStatement *m_dataChange = nullptr;
            QString m_dataChangeTable;
            QSet<QString> m_notValidThisTransaction;
            // The file: NOT VALID checks of "col IS NOT NULL" by constraint name, validated columns.
            QHash<QString, QString> m_notNullChecks;
            QSet<QString> m_validatedNotNull;
            QSet<QString> m_droppedPrimaryKey;
            QSet<QString> m_dropped; ///< constraints dropped earlier in the file (drop-then-add is re-runnable)

            bool createdHere(const QString &key) const { return m_created.contains(key); }

            bool isNew(const QString &key) const
            {
                return createdHere(key) || (m_opt.tables ? !m_opt.tables->contains(key) : m_opt.createdEarlier.contains(key));
            }

            /// A finding about a new table harms nobody (info); with live sizes, BySize and ByRows
            /// rules grade by the table (see LintRule::Grade).
            LintSeverity grade(const LintRule &rule, const QString &table, QString *note) const
            {
                if (table.isEmpty())
                    return rule.severity;
                if (createdHere(table))
                {
                    *note = u"%1 is new: created in this file"_s.arg(table);
                    return LintSeverity::Info;
                }
                const auto it = m_opt.tables ? m_opt.tables->constFind(table) : QHash<QString, LintTableFacts>::const_iterator{};
                if (m_opt.tables && it == m_opt.tables->cend())
                {
                    *note = m_opt.createdEarlier.contains(table) ? u"%1 is new: created by an earlier file of the plan"_s.arg(table)
                                                                 : u"%1 does not exist on the target"_s.arg(table);
                    return LintSeverity::Info;
                }
                if (!m_opt.tables && m_opt.createdEarlier.contains(table))
                {
                    *note = u"%1 is new: created by an earlier file of the plan"_s.arg(table);
                    return LintSeverity::Info;
                }
                if (!m_opt.tables || rule.grade == LintRule::Grade::None)
                    return rule.severity;
                QLocale c = QLocale::c();
                c.setNumberOptions(QLocale::DefaultNumberOptions); // 1,200,000
                *note = it->rows >= 0 ? u"%1: %2, ~%3 rows"_s.arg(table, formatSize(it->bytes), c.toString(it->rows))
                                      : u"%1: %2, never analyzed"_s.arg(table, formatSize(it->bytes));
                const bool empty = it->rows == 0 || (it->rows < 0 && it->bytes <= 64 * 1024);
                if (empty)
                    return LintSeverity::Info;
                if (rule.grade == LintRule::Grade::ByRows)
                    return rule.severity;
                return it->bytes >= (qint64(1) << 30) ? LintSeverity::Error : LintSeverity::Warning;
            }

            static QString formatSize(qint64 bytes)
            {
                const char *units[] = {"bytes", "kB", "MB", "GB", "TB"};
                double v = double(bytes);
                int u = 0;
                while (v >= 1024 && u < 4)
                {
                    v /= 1024;
                    ++u;
                }
                return u == 0 ? u"%1 bytes"_s.arg(bytes) : u"%1 %2"_s.arg(v, 0, 'f', 1).arg(QLatin1StringView(units[u]));
            }

            /// Records a finding; null when the same rule already found the same object in the statement.
            LintFinding *add(const QString &ruleId, const QString &object, const QString &risk, const QString &fix,
                             const QString &table = {}, const SqlStatement *at = nullptr)
            {
                const LintRule *rule = findLintRule(ruleId);
                Q_ASSERT(rule);
                const SqlStatement *st = at ? at : m_st;
                LintFinding f;
                f.rule = ruleId;
                f.severity = grade(*rule, table, &f.sizeNote);
                f.file = m_in.file;
                if (st)
                {
                    f.statement = st->index + 1;
                    f.line = st->line;
                    f.column = st->column;
                    f.statementText = st->text.trimmed();
                }
                f.object = object;
                f.risk = risk;
                f.fix = fix;
                for (const LintFinding &o : std::as_const(m_out.findings))
                    if (o.rule == f.rule && o.statement == f.statement && o.object == f.object)
                        return nullptr;
                m_out.findings << f;
                return &m_out.findings.last();
            }

            /// A lock on an existing table: asks for lock_timeout / statement_timeout once per file.
            void locksExisting(const QString &table)
            {
                if (isNew(table))
                    return;
                m_locksExisting = true;
                if (m_inTransaction)
                    m_ddlOnExisting = true;
                if (m_dataChange && m_inTransaction)
                    add(u"data-change-with-ddl"_s, m_dataChangeTable,
                        u"the data change of statement %1 runs in the same transaction as this DDL: the DDL's lock on %2 is held until "
                        "the data change is done"_s.arg(m_dataChange->index + 1)
                            .arg(table),
                        u"change the data in its own file (in batches), before or after the schema change"_s, m_dataChangeTable,
                        m_dataChange);
            }

            /// CREATE, ALTER and DROP of anything, and the maintenance commands, wait for locks (a
            /// CREATE TABLE only when it references another table).
            static bool possiblySlow(const QString &kind, const QJsonObject &s)
            {
                if (kind == u"CreateStmt"_s)
                {
                    bool references = false;
                    walk(s, [&](const QString &type, const QJsonObject &o) {
                        references = references || (type == u"Constraint"_s && o[u"contype"_s].toString() == u"CONSTR_FOREIGN"_s);
                    });
                    return references;
                }
                if (kind == u"VacuumStmt"_s)
                    return s[u"is_vacuumcmd"_s].toBool();
                if (kind == u"SelectStmt"_s)
                    return s.contains(u"intoClause"_s);
                static const QSet<QString> others{u"IndexStmt"_s,         u"RenameStmt"_s,
                                                  u"ClusterStmt"_s,       u"CommentStmt"_s,
                                                  u"LockStmt"_s,          u"RefreshMatViewStmt"_s,
                                                  u"ReindexStmt"_s,       u"TruncateStmt"_s,
                                                  u"ViewStmt"_s,          u"DefineStmt"_s,
                                                  u"CompositeTypeStmt"_s, u"RuleStmt"_s,
                                                  u"LoadStmt"_s,          u"ImportForeignSchemaStmt"_s};
                return kind.startsWith(u"Create"_s) || kind.startsWith(u"Alter"_s) || kind.startsWith(u"Drop"_s) || others.contains(kind);
            }

            /// Asks for lock_timeout / statement_timeout once per file, at the first statement that
            /// waits for locks: a warning when it locks an existing table, info otherwise.
            void timeouts()
            {
                const QString what = m_st->text.simplified().section(u' ', 0, 2);
                const LintSeverity severity = m_locksExisting ? LintSeverity::Warning : LintSeverity::Info;
                if (!m_lockTimeout && !m_lockTimeoutReported)
                {
                    m_lockTimeoutReported = true;
                    if (LintFinding *f =
                            add(u"require-lock-timeout"_s, what,
                                u"no lock_timeout is set before this %1: waiting behind one long transaction for its lock, it blocks every "
                                "query that arrives after it on the same table"_s.arg(what),
                                u"SET lock_timeout = '2s'; at the top of the file (or dbops migrate --sql-lock-timeout MS for the run), "
                                u"and retry on "
                                "timeout"_s))
                        f->severity = severity;
                }
                if (!m_statementTimeout && !m_statementTimeoutReported)
                {
                    m_statementTimeoutReported = true;
                    add(u"require-statement-timeout"_s, what,
                        u"no statement_timeout is set: if this %1 runs long it holds its locks for as long as it runs"_s.arg(what),
                        u"SET statement_timeout = '5min'; at the top of the file (or dbops migrate --statement-timeout MS)"_s);
                }
            }

            void robust(bool guarded, const QString &object, const QString &what, const QString &fix)
            {
                if (guarded)
                    return;
                const QString risk = m_inTransaction
                                         ? u"%1 cannot be re-run once it has run: inside dbops' transaction a failure rolls it back, but "
                                           "run by hand a second time it fails"_s.arg(what)
                                         : u"%1 runs outside a transaction: after a partial failure of this file, running it again fails "
                                           "here (seed 001)"_s.arg(what);
                if (LintFinding *f = add(u"prefer-robust-stmts"_s, object, risk, fix); f && m_inTransaction)
                    f->severity = LintSeverity::Info;
            }

            /// The parser truncates an identifier to 63 bytes as it reads it, so every name of exactly
            /// 63 bytes in the tree is looked up in the statement's text to see what was written.
            void identifiers(const QJsonValue &v)
            {
                if (v.isArray())
                    for (const QJsonValue &x : v.toArray())
                        identifiers(x);
                else if (v.isObject())
                {
                    const QJsonObject o = v.toObject();
                    for (auto it = o.begin(); it != o.end(); ++it)
                        if (it.value().isString())
                            identifier(it.value().toString());
                        else
                            identifiers(it.value());
                }
            }

            void identifier(const QString &name)
            {
                if (name.toUtf8().size() != 63 || !m_st)
                    return;
                const QString &text = m_st->text;
                for (qsizetype at = text.indexOf(name, 0, Qt::CaseInsensitive); at >= 0;
                     at = text.indexOf(name, at + 1, Qt::CaseInsensitive))
                {
                    qsizetype end = at + name.size();
                    while (end < text.size() && (text[end].isLetterOrNumber() || text[end] == u'_' || text[end] == u'$'))
                        ++end;
                    if (end == at + name.size())
                        continue;
                    const QString written = text.mid(at, end - at);
                    add(u"identifier-too-long"_s, written,
                        u"%1 is %2 bytes: PostgreSQL keeps only the first 63 (%3), so the object is not named as written"_s.arg(written)
                            .arg(written.toUtf8().size())
                            .arg(name),
                        u"a name of at most 63 bytes"_s);
                    return;
                }
            }

            void columnType(const QString &object, const QJsonObject &typeName)
            {
                const QString t = typeKey(typeName);
                const bool hasLength = !typeName[u"typmods"_s].toArray().isEmpty();
                if (t == u"int4"_s || t == u"int"_s || t == u"integer"_s || t == u"serial"_s || t == u"serial4"_s)
                    add(u"prefer-bigint-over-int"_s, object,
                        u"%1 is a 32-bit integer: as a key it runs out at 2,147,483,647 and widening it later rewrites the table"_s.arg(
                            object),
                        u"bigint (or bigserial / bigint GENERATED … AS IDENTITY)"_s);
                if (t == u"int2"_s || t == u"smallint"_s || t == u"smallserial"_s || t == u"serial2"_s)
                    add(u"prefer-bigint-over-smallint"_s, object, u"%1 is a 16-bit integer: it runs out at 32,767"_s.arg(object),
                        u"bigint"_s);
                if (t.contains(u"serial"_s))
                    add(u"prefer-identity"_s, object,
                        u"%1 is a serial: its sequence's ownership and grants are managed apart from the column"_s.arg(object),
                        u"bigint GENERATED BY DEFAULT AS IDENTITY"_s);
                if (t == u"varchar"_s && hasLength)
                    add(u"prefer-text-field"_s, object, u"%1 is varchar(n): lengthening it later takes ACCESS EXCLUSIVE"_s.arg(object),
                        u"text with a CHECK (length(col) <= n) constraint added NOT VALID"_s);
                if (t == u"timestamp"_s)
                    add(u"prefer-timestamptz"_s, object, u"%1 is timestamp without time zone: values lose their offset"_s.arg(object),
                        u"timestamptz"_s);
                if (t == u"bpchar"_s || t == u"char"_s || t == u"character"_s)
                    add(u"ban-char-field"_s, object, u"%1 is char(n): values are padded with spaces"_s.arg(object), u"text (or varchar)"_s);
            }

            void statement(const QJsonObject &node)
            {
                if (node.isEmpty())
                    return;
                const QString kind = node.begin().key();
                const QJsonObject s = node.begin().value().toObject();
                m_locksExisting = false;
                checkStatement(kind, s);
                identifiers(s);
                if (possiblySlow(kind, s))
                    timeouts();
            }

            void checkStatement(const QString &kind, const QJsonObject &s)
            {
                if (!m_addedEnumValues.isEmpty() && m_inTransaction && kind != u"AlterEnumStmt"_s)
                    walk(s, [&](const QString &type, const QJsonObject &o) {
                        if (type == u"A_Const"_s && o.contains(u"sval"_s))
                        {
                            const QString value = o[u"sval"_s].toObject()[u"sval"_s].toString();
                            if (m_addedEnumValues.contains(value))
                                add(u"enum-value-used-in-transaction"_s, value,
                                    u"'%1' was added by ALTER TYPE … ADD VALUE in this transaction: PostgreSQL refuses to use it until the "
                                    "transaction commits (unsafe use of new value)"_s.arg(value),
                                    u"add the value in its own migration (or file) and use it in a later one"_s);
                        }
                    });
                if (kind == u"CreateStmt"_s)
                    createTable(s);
                else if (kind == u"CreateTableAsStmt"_s)
                {
                    const Rel r = relation(s[u"into"_s].toObject()[u"rel"_s]);
                    m_created.insert(r.key);
                    robust(s[u"if_not_exists"_s].toBool(), r.shown, u"CREATE TABLE AS %1"_s.arg(r.shown),
                           u"CREATE TABLE IF NOT EXISTS … AS"_s);
                }
                else if (kind == u"IndexStmt"_s)
                    createIndex(s);
                else if (kind == u"DropStmt"_s)
                    drop(s);
                else if (kind == u"TruncateStmt"_s)
                {
                    for (const QJsonValue &v : s[u"relations"_s].toArray())
                    {
                        const Rel r = relation(v);
                        add(u"ban-truncate"_s, r.shown,
                            u"TRUNCATE deletes every row of %1 and cannot be undone after commit"_s.arg(r.shown),
                            u"take a verified backup first and confirm the table is meant to be emptied; or DELETE … WHERE in batches"_s,
                            r.key);
                        locksExisting(r.key);
                    }
                    if (s[u"behavior"_s].toString() == u"DROP_CASCADE"_s)
                        add(u"ban-truncate-cascade"_s, {},
                            u"CASCADE also empties every table that has a foreign key to these, and the tables that reference those"_s,
                            u"TRUNCATE the tables you mean by name, without CASCADE"_s);
                }
                else if (kind == u"DropdbStmt"_s)
                    add(u"ban-drop-database"_s, s[u"dbname"_s].toString(),
                        u"DROP DATABASE %1 destroys the whole database"_s.arg(s[u"dbname"_s].toString()),
                        u"never in a migration; do it by hand after a verified backup"_s);
                else if (kind == u"AlterTableStmt"_s)
                    alterTable(s);
                else if (kind == u"RenameStmt"_s)
                    rename(s);
                else if (kind == u"VacuumStmt"_s)
                    vacuum(s);
                else if (kind == u"ClusterStmt"_s)
                {
                    const Rel r = relation(s[u"relation"_s]);
                    add(u"cluster"_s, r.shown.isEmpty() ? u"every clustered table"_s : r.shown,
                        u"CLUSTER rewrites %1 under ACCESS EXCLUSIVE: no reads or writes until it finishes"_s.arg(
                            r.shown.isEmpty() ? u"every clustered table"_s : r.shown),
                        u"pg_repack (online), or leave the physical order alone"_s, r.key);
                    if (!r.shown.isEmpty())
                        locksExisting(r.key);
                }
                else if (kind == u"ReindexStmt"_s)
                    reindex(s);
                else if (kind == u"AlterEnumStmt"_s)
                    alterEnum(s);
                else if (kind == u"VariableSetStmt"_s)
                    setVariable(s);
                else if (kind == u"TransactionStmt"_s)
                    transaction(s);
                else if (kind == u"UpdateStmt"_s || kind == u"DeleteStmt"_s)
                    dataChange(kind, s);
                else if (kind == u"InsertStmt"_s)
                {
                    const Rel r = relation(s[u"relation"_s]);
                    duplicateTargets(r, s[u"cols"_s].toArray(), u"INSERT INTO (…)"_s);
                    duplicateTargets(r, s[u"onConflictClause"_s].toObject()[u"targetList"_s].toArray(), u"ON CONFLICT DO UPDATE SET"_s);
                    if (s[u"selectStmt"_s].toObject()[u"SelectStmt"_s].toObject().contains(u"fromClause"_s))
                        noteDataChange(r);
                }
                else if (kind == u"CreateDomainStmt"_s)
                {
                    const QString name = names(s[u"domainname"_s].toArray()).join(u'.');
                    if (!s[u"constraints"_s].toArray().isEmpty())
                        add(u"ban-create-domain-with-constraint"_s, name,
                            u"a constraint on domain %1 is checked on every column of the domain, and changing it later scans them all"_s
                                .arg(name),
                            u"put the CHECK on the table's column instead"_s);
                }
                else if (kind == u"AlterDomainStmt"_s && s[u"subtype"_s].toString() == u"C"_s)
                {
                    const QString name = names(s[u"typeName"_s].toArray()).join(u'.');
                    add(u"ban-alter-domain-with-add-constraint"_s, name,
                        u"adding a constraint to domain %1 scans every column of that domain under lock"_s.arg(name),
                        u"add the CHECK NOT VALID on each table's column, then VALIDATE it"_s);
                }
                else if (kind == u"CreateSeqStmt"_s)
                {
                    const Rel r = relation(s[u"sequence"_s]);
                    robust(s[u"if_not_exists"_s].toBool(), r.shown, u"CREATE SEQUENCE %1"_s.arg(r.shown),
                           u"CREATE SEQUENCE IF NOT EXISTS"_s);
                }
                else if (kind == u"CreateSchemaStmt"_s)
                    robust(s[u"if_not_exists"_s].toBool(), s[u"schemaname"_s].toString(),
                           u"CREATE SCHEMA %1"_s.arg(s[u"schemaname"_s].toString()), u"CREATE SCHEMA IF NOT EXISTS"_s);
            }

            void createTable(const QJsonObject &s)
            {
                const Rel r = relation(s[u"relation"_s]);
                robust(s[u"if_not_exists"_s].toBool(), r.shown, u"CREATE TABLE %1"_s.arg(r.shown), u"CREATE TABLE IF NOT EXISTS"_s);
                m_created.insert(r.key);
                QJsonArray columns;
                for (const QJsonValue &e : s[u"tableElts"_s].toArray())
                    if (e.toObject().contains(u"ColumnDef"_s))
                        columns << QJsonObject{{u"name"_s, e.toObject()[u"ColumnDef"_s].toObject()[u"colname"_s]}};
                duplicateTargets(r, columns, u"CREATE TABLE"_s);
                for (const QJsonValue &e : s[u"tableElts"_s].toArray())
                {
                    const QJsonObject o = e.toObject();
                    if (o.contains(u"ColumnDef"_s))
                    {
                        const QJsonObject c = o[u"ColumnDef"_s].toObject();
                        columnType(r.shown + u'.' + c[u"colname"_s].toString(), c[u"typeName"_s].toObject());
                        for (const QJsonValue &k : c[u"constraints"_s].toArray())
                            foreignKeyTarget(unwrap(k, u"Constraint"_s));
                    }
                    else if (o.contains(u"Constraint"_s))
                    {
                        foreignKeyTarget(o[u"Constraint"_s].toObject());
                    }
                }
            }

            /// A foreign key locks the table it references (SHARE ROW EXCLUSIVE), even from a new table.
            void foreignKeyTarget(const QJsonObject &c)
            {
                if (c[u"contype"_s].toString() == u"CONSTR_FOREIGN"_s)
                    locksExisting(relation(c[u"pktable"_s]).key);
            }

            void createIndex(const QJsonObject &s)
            {
                const Rel r = relation(s[u"relation"_s]);
                const QString name = s[u"idxname"_s].toString();
                const bool concurrent = s[u"concurrent"_s].toBool();
                const QString shown = name.isEmpty() ? u"an index on %1"_s.arg(r.shown) : name;
                if (concurrent && m_inTransaction)
                    add(u"ban-concurrent-index-creation-in-transaction"_s, shown,
                        u"CREATE INDEX CONCURRENTLY cannot run inside a transaction block: the file fails here"_s,
                        u"put it alone in a file whose first line is `-- dbops:no-transaction`"_s);
                if (!concurrent)
                    add(u"require-concurrent-index-creation"_s, shown,
                        u"CREATE INDEX on %1 takes a SHARE lock: every INSERT, UPDATE and DELETE waits until the index is built"_s.arg(
                            r.shown),
                        u"CREATE INDEX CONCURRENTLY IF NOT EXISTS, alone in a `-- dbops:no-transaction` file"_s, r.key);
                if (!concurrent)
                    locksExisting(r.key);
                if (concurrent && !name.isEmpty() && !s[u"if_not_exists"_s].toBool())
                    add(u"prefer-robust-stmts"_s, shown,
                        u"an interrupted CREATE INDEX CONCURRENTLY leaves the INVALID index %1 behind, and the file fails on it when run "
                        "again"_s.arg(name),
                        u"CREATE INDEX CONCURRENTLY IF NOT EXISTS (dbops drops an INVALID index an interrupted build left)"_s);
                else
                    robust(s[u"if_not_exists"_s].toBool() || name.isEmpty(), shown, u"CREATE INDEX %1"_s.arg(shown),
                           u"CREATE INDEX IF NOT EXISTS"_s);
                if (!name.isEmpty())
                    m_createdIndexes.insert(name);
            }

            void drop(const QJsonObject &s)
            {
                const QString type = s[u"removeType"_s].toString();
                const bool ifExists = s[u"missing_ok"_s].toBool();
                const bool cascade = s[u"behavior"_s].toString() == u"DROP_CASCADE"_s;
                for (const QJsonValue &v : s[u"objects"_s].toArray())
                {
                    const QJsonObject o = v.toObject();
                    const QStringList n = o.contains(u"List"_s)       ? names(o[u"List"_s].toObject()[u"items"_s].toArray())
                                          : o.contains(u"TypeName"_s) ? names(o[u"TypeName"_s].toObject()[u"names"_s].toArray())
                                                                      : QStringList{stringValue(v)};
                    const QString shown = n.join(u'.');
                    const QString key = n.size() == 1 ? u"public."_s + n[0] : shown;
                    if (type == u"OBJECT_INDEX"_s)
                    {
                        const bool concurrent = s[u"concurrent"_s].toBool();
                        if (concurrent && m_inTransaction)
                            add(u"ban-concurrent-index-creation-in-transaction"_s, shown,
                                u"DROP INDEX CONCURRENTLY cannot run inside a transaction block: the file fails here"_s,
                                u"put it alone in a file whose first line is `-- dbops:no-transaction`"_s);
                        LintFinding *f = concurrent
                                             ? nullptr
                                             : add(u"require-concurrent-index-deletion"_s, shown,
                                                   u"DROP INDEX %1 takes ACCESS EXCLUSIVE on its table: reads and writes wait"_s.arg(shown),
                                                   u"DROP INDEX CONCURRENTLY IF EXISTS, alone in a `-- dbops:no-transaction` file"_s);
                        if (f && m_createdIndexes.contains(n.last()))
                        {
                            f->severity = LintSeverity::Info;
                            f->sizeNote = u"%1 is new: created in this file"_s.arg(shown);
                        }
                        else if (f)
                            m_locksExisting = true; // its table is not named, but it exists
                    }
                    else if (type == u"OBJECT_TABLE"_s)
                    {
                        add(u"ban-drop-table"_s, shown,
                            u"DROP TABLE %1 destroys the table and its rows; code that still reads it fails"_s.arg(shown),
                            u"rename it aside first (or revoke access), drop it in a later release after a verified backup"_s, key);
                        locksExisting(key);
                    }
                    else if (type == u"OBJECT_SCHEMA"_s && cascade)
                        add(u"ban-drop-schema-cascade"_s, shown,
                            u"DROP SCHEMA %1 CASCADE drops every table, view and function in it, with their data"_s.arg(shown),
                            u"drop the objects you mean by name, then DROP SCHEMA without CASCADE"_s);
                    robust(ifExists, shown, u"DROP %1"_s.arg(shown), u"DROP … IF EXISTS"_s);
                }
            }

            void alterTable(const QJsonObject &s)
            {
                if (s[u"objtype"_s].toString() != u"OBJECT_TABLE"_s)
                    return;
                const Rel r = relation(s[u"relation"_s]);
                const bool tableIfExists = s[u"missing_ok"_s].toBool();
                bool locks = false;
                for (const QJsonValue &v : s[u"cmds"_s].toArray())
                {
                    const QJsonObject cmd = unwrap(v, u"AlterTableCmd"_s);
                    const QString sub = cmd[u"subtype"_s].toString();
                    const QString column = r.shown + u'.' + cmd[u"name"_s].toString();
                    locks = true;
                    static const QSet<QString> guardable{u"AT_AddColumn"_s, u"AT_DropColumn"_s, u"AT_AddConstraint"_s,
                                                         u"AT_DropConstraint"_s, u"AT_ValidateConstraint"_s};
                    if (!guardable.contains(sub)) // no IF [NOT] EXISTS form: only a transaction makes it re-runnable
                        robust(false, column, u"ALTER TABLE %1 (%2)"_s.arg(r.shown, sub.mid(3)),
                               u"run it in a transaction (a file without `-- dbops:no-transaction`)"_s);
                    if (sub == u"AT_AddColumn"_s)
                        addColumn(r, cmd);
                    else if (sub == u"AT_AlterColumnType"_s)
                    {
                        const QJsonObject def = unwrap(cmd[u"def"_s], u"ColumnDef"_s);
                        add(u"changing-column-type"_s, column,
                            u"changing the type of %1 rewrites %2 and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types "
                            "are binary-compatible, such as a longer varchar)"_s.arg(column, r.shown),
                            u"add a new column, backfill it in batches, switch the code, then drop the old one"_s, r.key);
                        columnType(column, def[u"typeName"_s].toObject());
                    }
                    else if (sub == u"AT_SetNotNull"_s)
                    {
                        if (!m_validatedNotNull.contains(r.key + u'.' + cmd[u"name"_s].toString())
                            && !m_validatedNotNull.contains(r.key + u".*"_s))
                            add(u"adding-not-nullable-field"_s, column,
                                u"SET NOT NULL on %1 scans all of %2 under ACCESS EXCLUSIVE"_s.arg(column, r.shown),
                                u"ADD CONSTRAINT … CHECK (%1 IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT in a later transaction; then SET "
                                "NOT NULL (it uses the validated check, no scan) and drop the check"_s.arg(cmd[u"name"_s].toString()),
                                r.key);
                    }
                    else if (sub == u"AT_DropNotNull"_s)
                        add(u"ban-drop-not-null"_s, column,
                            u"dropping NOT NULL on %1 lets NULLs in that running code may not handle"_s.arg(column),
                            u"make sure every reader handles NULL first"_s);
                    else if (sub == u"AT_AddConstraint"_s)
                        addConstraint(r, unwrap(cmd[u"def"_s], u"Constraint"_s));
                    else if (sub == u"AT_ValidateConstraint"_s)
                    {
                        const QString name = cmd[u"name"_s].toString();
                        if (m_notValidThisTransaction.contains(name))
                            add(u"constraint-missing-not-valid"_s, name,
                                u"constraint %1 is added NOT VALID and validated in the same transaction: the validation's scan still "
                                "happens under the ADD's ACCESS EXCLUSIVE lock"_s.arg(name),
                                u"VALIDATE CONSTRAINT in a later migration (or a later transaction)"_s, r.key);
                        // A check this file did not add was added NOT VALID before: the table is taken as validated.
                        m_validatedNotNull.insert(r.key + u'.' + m_notNullChecks.value(name, u"*"_s));
                        robust(m_dropped.contains(name), name, u"VALIDATE CONSTRAINT %1"_s.arg(name),
                               u"run it in a transaction (a file without `-- dbops:no-transaction`)"_s);
                    }
                    else if (sub == u"AT_DropColumn"_s)
                    {
                        add(u"ban-drop-column"_s, column, u"DROP COLUMN %1 destroys its data; code that still reads it fails"_s.arg(column),
                            u"stop reading and writing the column in one release, drop it in a later one after a verified backup"_s, r.key);
                        robust(cmd[u"missing_ok"_s].toBool(), column, u"DROP COLUMN %1"_s.arg(column), u"DROP COLUMN IF EXISTS"_s);
                    }
                    else if (sub == u"AT_DropConstraint"_s)
                    {
                        const QString name = cmd[u"name"_s].toString();
                        m_dropped.insert(name);
                        if (name.endsWith(u"_pkey"_s) || name.endsWith(u"pkey"_s))
                        {
                            m_droppedPrimaryKey.insert(r.key);
                            add(u"changing-primary-key"_s, name,
                                u"dropping %1 (the primary key of %2, judging by its name) breaks every foreign key that references it "
                                "and leaves the table without a key until the new one is built"_s.arg(name, r.shown),
                                u"build the new unique index CONCURRENTLY first, then swap in one transaction with ADD PRIMARY KEY USING "
                                "INDEX"_s,
                                r.key);
                        }
                        robust(cmd[u"missing_ok"_s].toBool(), name, u"DROP CONSTRAINT %1"_s.arg(name), u"DROP CONSTRAINT IF EXISTS"_s);
                    }
                    else if (sub == u"AT_DetachPartition"_s)
                    {
                        const QJsonObject p = unwrap(cmd[u"def"_s], u"PartitionCmd"_s);
                        const QString part = relation(p[u"name"_s]).shown;
                        if (p[u"concurrent"_s].toBool() && m_inTransaction)
                            add(u"ban-concurrent-index-creation-in-transaction"_s, part,
                                u"DETACH PARTITION … CONCURRENTLY cannot run inside a transaction block: the file fails here"_s,
                                u"put it alone in a file whose first line is `-- dbops:no-transaction`"_s);
                        else if (!p[u"concurrent"_s].toBool())
                            add(u"require-concurrent-partition-detach"_s, part,
                                u"DETACH PARTITION %1 takes ACCESS EXCLUSIVE on %2: every query on it waits"_s.arg(part, r.shown),
                                u"DETACH PARTITION … CONCURRENTLY in a `-- dbops:no-transaction` file"_s, r.key);
                    }
                }
                (void)tableIfExists;
                if (locks)
                    locksExisting(r.key);
            }

            /// Whether a default is stored once (no rewrite): literals, arrays, casts and operators of
            /// such, CURRENT_TIMESTAMP, and argument-less calls of functions known to be stable. The
            /// name of what is not, or empty.
            static QString unsafeDefault(const QJsonValue &v)
            {
                const QJsonObject node = v.toObject();
                if (node.isEmpty())
                    return {};
                const QString type = node.begin().key();
                const QJsonObject o = node.begin().value().toObject();
                if (type == u"A_Const"_s || type == u"ParamRef"_s || type == u"A_ArrayExpr"_s)
                    return {};
                if (type == u"A_Expr"_s)
                {
                    const QString left = unsafeDefault(o[u"lexpr"_s]);
                    return left.isEmpty() ? unsafeDefault(o[u"rexpr"_s]) : left;
                }
                if (type == u"TypeCast"_s || type == u"CollateClause"_s)
                    return unsafeDefault(o[u"arg"_s]);
                if (type == u"SQLValueFunction"_s)
                    return o[u"op"_s].toString() == u"SVFOP_CURRENT_TIMESTAMP"_s ? QString() : o[u"op"_s].toString().mid(6).toLower();
                if (type == u"FuncCall"_s)
                {
                    const QStringList name = names(o[u"funcname"_s].toArray());
                    if (name.size() == 1 && o[u"args"_s].toArray().isEmpty() && knownNotVolatile(name[0]))
                        return {};
                    return name.join(u'.') + u"()"_s;
                }
                return type;
            }

            void addColumn(const Rel &r, const QJsonObject &cmd)
            {
                const QJsonObject def = unwrap(cmd[u"def"_s], u"ColumnDef"_s);
                const QString name = def[u"colname"_s].toString();
                const QString column = r.shown + u'.' + name;
                const QString type = typeKey(def[u"typeName"_s].toObject());
                columnType(column, def[u"typeName"_s].toObject());
                robust(cmd[u"missing_ok"_s].toBool(), column, u"ADD COLUMN %1"_s.arg(column), u"ADD COLUMN IF NOT EXISTS"_s);
                bool notNull = false, hasDefault = false, generated = false;
                for (const QJsonValue &k : def[u"constraints"_s].toArray())
                {
                    const QJsonObject c = unwrap(k, u"Constraint"_s);
                    const QString t = c[u"contype"_s].toString();
                    if (t == u"CONSTR_NOTNULL"_s)
                        notNull = true;
                    else if (t == u"CONSTR_DEFAULT"_s)
                    {
                        hasDefault = true;
                        if (const QString unsafe = unsafeDefault(c[u"raw_expr"_s]); !unsafe.isEmpty())
                            add(u"adding-field-with-default"_s, column,
                                u"the default of %1 calls %2, which is volatile or not known to be stable: PostgreSQL then computes it "
                                "for every row and rewrites %3 under ACCESS EXCLUSIVE"_s.arg(column, unsafe, r.shown),
                                u"add the column without a default, then ALTER COLUMN … SET DEFAULT, and backfill in batches"_s, r.key);
                    }
                    else if (t == u"CONSTR_IDENTITY"_s || t == u"CONSTR_GENERATED"_s)
                    {
                        generated = true;
                        add(u"adding-field-with-default"_s, column,
                            u"%1 is %2: its value is computed for every existing row, so %3 is rewritten under ACCESS EXCLUSIVE"_s.arg(
                                column, t == u"CONSTR_IDENTITY"_s ? u"an identity column"_s : u"a stored generated column"_s, r.shown),
                            u"add a plain nullable column, backfill it in batches, and keep it current with a trigger or a default"_s,
                            r.key);
                    }
                    else if (t == u"CONSTR_PRIMARY"_s)
                        add(u"adding-serial-primary-key-field"_s, column,
                            u"a primary key on the new column %1 builds its index under ACCESS EXCLUSIVE"_s.arg(column),
                            u"add the column, CREATE UNIQUE INDEX CONCURRENTLY, then ADD PRIMARY KEY USING INDEX"_s, r.key);
                    else if (t == u"CONSTR_UNIQUE"_s)
                        add(u"disallowed-unique-constraint"_s, column,
                            u"UNIQUE on the new column %1 builds its index under ACCESS EXCLUSIVE"_s.arg(column),
                            u"add the column, CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … UNIQUE USING INDEX"_s, r.key);
                    else if (t == u"CONSTR_FOREIGN"_s)
                    {
                        add(u"adding-foreign-key-constraint"_s, column,
                            u"REFERENCES on the new column %1 is validated at once and locks %2 and %3 against writes"_s.arg(
                                column, r.shown, relation(c[u"pktable"_s]).shown),
                            u"add the column, then ADD CONSTRAINT … FOREIGN KEY … NOT VALID, and VALIDATE CONSTRAINT in a later transaction"_s,
                            r.key);
                        foreignKeyTarget(c);
                    }
                    else if (t == u"CONSTR_CHECK"_s)
                        add(u"constraint-missing-not-valid"_s, column,
                            u"a CHECK on the new column %1 is validated at once under ACCESS EXCLUSIVE"_s.arg(column),
                            u"add the column, then ADD CONSTRAINT … CHECK … NOT VALID and VALIDATE it in a later transaction"_s, r.key);
                }
                if (type.contains(u"serial"_s) || generated)
                    add(u"adding-serial-column"_s, column,
                        u"%1 is filled for every existing row: %2 is rewritten under ACCESS EXCLUSIVE"_s.arg(column, r.shown),
                        u"add a nullable bigint, attach a sequence as its default, backfill in batches"_s, r.key);
                if (notNull && !hasDefault && !generated)
                    add(u"adding-required-field"_s, column,
                        u"%1 is NOT NULL without a default: the ALTER fails if %2 has any row"_s.arg(column, r.shown),
                        u"add it with a non-volatile DEFAULT (stored without a rewrite), or nullable, backfill, then SET NOT NULL via a "
                        "validated CHECK"_s,
                        r.key);
            }

            void addConstraint(const Rel &r, const QJsonObject &c)
            {
                const QString type = c[u"contype"_s].toString();
                const QString name = c[u"conname"_s].toString();
                const QString shown = name.isEmpty() ? u"a constraint on %1"_s.arg(r.shown) : name;
                const bool notValid = c[u"skip_validation"_s].toBool();
                const bool usingIndex = !c[u"indexname"_s].toString().isEmpty();
                if (type == u"CONSTR_FOREIGN"_s)
                    foreignKeyTarget(c);
                // Re-runnable only as "DROP CONSTRAINT IF EXISTS n; ADD CONSTRAINT n", once per drop.
                robust(!name.isEmpty() && m_dropped.remove(name), shown, u"ADD CONSTRAINT %1"_s.arg(shown),
                       u"DROP CONSTRAINT IF EXISTS %1 first, or run it in a transaction"_s.arg(shown));
                if (notValid)
                {
                    m_notValidThisTransaction.insert(name);
                    if (type == u"CONSTR_CHECK"_s)
                    {
                        const QJsonObject test = c[u"raw_expr"_s].toObject()[u"NullTest"_s].toObject();
                        if (test[u"nulltesttype"_s].toString() == u"IS_NOT_NULL"_s)
                        {
                            const QStringList col = names(test[u"arg"_s].toObject()[u"ColumnRef"_s].toObject()[u"fields"_s].toArray());
                            if (col.size() == 1)
                                m_notNullChecks.insert(name, col.last());
                        }
                    }
                    return;
                }
                if (!usingIndex)
                    add(u"constraint-missing-not-valid"_s, shown,
                        type == u"CONSTR_CHECK"_s || type == u"CONSTR_FOREIGN"_s
                            ? u"%1 is added without NOT VALID: it is validated at once, scanning %2 while writes wait"_s.arg(shown, r.shown)
                            : u"%1 builds its index at once, under ACCESS EXCLUSIVE on %2 (it cannot be NOT VALID)"_s.arg(shown, r.shown),
                        type == u"CONSTR_CHECK"_s || type == u"CONSTR_FOREIGN"_s
                            ? u"ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later transaction"_s
                            : u"CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX"_s,
                        r.key);
                if (type == u"CONSTR_FOREIGN"_s)
                    add(u"adding-foreign-key-constraint"_s, shown,
                        u"the foreign key %1 is validated at once: %2 is scanned while writes to it and to %3 wait"_s.arg(
                            shown, r.shown, relation(c[u"pktable"_s]).shown),
                        u"ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later transaction"_s, r.key);
                else if (type == u"CONSTR_UNIQUE"_s && !usingIndex)
                    add(u"disallowed-unique-constraint"_s, shown,
                        u"ADD UNIQUE builds the index of %1 under ACCESS EXCLUSIVE on %2"_s.arg(shown, r.shown),
                        u"CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … UNIQUE USING INDEX"_s, r.key);
                else if (type == u"CONSTR_PRIMARY"_s)
                {
                    if (!usingIndex)
                        add(u"adding-serial-primary-key-field"_s, shown,
                            u"ADD PRIMARY KEY builds its index (and checks for NULLs) under ACCESS EXCLUSIVE on %1"_s.arg(r.shown),
                            u"CREATE UNIQUE INDEX CONCURRENTLY, then ADD PRIMARY KEY USING INDEX"_s, r.key);
                    if (m_droppedPrimaryKey.contains(r.key))
                        add(u"changing-primary-key"_s, shown,
                            u"the primary key of %1 is replaced: foreign keys that referenced the old one are gone with it"_s.arg(r.shown),
                            u"recreate the foreign keys NOT VALID and VALIDATE them in a later transaction"_s, r.key);
                }
                else if (type == u"CONSTR_EXCLUSION"_s)
                    add(u"disallowed-unique-constraint"_s, shown,
                        u"an EXCLUDE constraint builds its index under ACCESS EXCLUSIVE on %1"_s.arg(r.shown),
                        u"add it while the table is small, or in a maintenance window"_s, r.key);
            }

            void rename(const QJsonObject &s)
            {
                const QString type = s[u"renameType"_s].toString();
                const Rel r = relation(s[u"relation"_s]);
                const QString to = s[u"newname"_s].toString();
                if (type == u"OBJECT_COLUMN"_s)
                    add(u"renaming-column"_s, r.shown + u'.' + s[u"subname"_s].toString(),
                        u"renaming %1.%2 to %3 breaks every running client that still uses %2"_s.arg(r.shown, s[u"subname"_s].toString(),
                                                                                                     to),
                        u"add the new column, write both, move the readers, then drop the old one"_s, r.key);
                else if (type == u"OBJECT_TABLE"_s)
                    add(u"renaming-table"_s, r.shown,
                        u"renaming %1 to %2 breaks every running client that still uses %1"_s.arg(r.shown, to),
                        u"rename, and leave a view with the old name until every client moved"_s, r.key);
                if (!r.shown.isEmpty() && s[u"relationType"_s].toString() != u"OBJECT_INDEX"_s)
                {
                    locksExisting(r.key);
                    robust(false, r.shown, u"ALTER TABLE %1 RENAME"_s.arg(r.shown),
                           u"run it in a transaction (a file without `-- dbops:no-transaction`)"_s);
                }
            }

            void vacuum(const QJsonObject &s)
            {
                if (!s[u"is_vacuumcmd"_s].toBool())
                    return; // ANALYZE
                bool full = false;
                for (const QJsonValue &o : s[u"options"_s].toArray())
                    full = full || unwrap(o, u"DefElem"_s)[u"defname"_s].toString() == u"full"_s;
                if (m_inTransaction)
                    add(u"ban-concurrent-index-creation-in-transaction"_s, u"VACUUM"_s,
                        u"VACUUM cannot run inside a transaction block: the file fails here"_s,
                        u"run it in a `-- dbops:no-transaction` file, or leave it to autovacuum"_s);
                if (!full)
                    return;
                const QJsonArray rels = s[u"rels"_s].toArray();
                if (rels.isEmpty())
                    add(u"vacuum-full"_s, u"every table"_s, u"VACUUM FULL rewrites every table of the database under ACCESS EXCLUSIVE"_s,
                        u"pg_repack, or plain VACUUM"_s);
                for (const QJsonValue &v : rels)
                {
                    const Rel r = relation(unwrap(v, u"VacuumRelation"_s)[u"relation"_s]);
                    add(u"vacuum-full"_s, r.shown,
                        u"VACUUM FULL rewrites %1 under ACCESS EXCLUSIVE: no reads or writes until it finishes"_s.arg(r.shown),
                        u"pg_repack (online), or plain VACUUM"_s, r.key);
                    locksExisting(r.key);
                }
            }

            void reindex(const QJsonObject &s)
            {
                bool concurrent = false;
                for (const QJsonValue &o : s[u"params"_s].toArray())
                    concurrent = concurrent || unwrap(o, u"DefElem"_s)[u"defname"_s].toString() == u"concurrently"_s;
                const QString kind = s[u"kind"_s].toString();
                const Rel r = relation(s[u"relation"_s]);
                const QString shown = r.shown.isEmpty() ? s[u"name"_s].toString() : r.shown;
                if (concurrent && m_inTransaction)
                    add(u"ban-concurrent-index-creation-in-transaction"_s, shown,
                        u"REINDEX CONCURRENTLY cannot run inside a transaction block: the file fails here"_s,
                        u"put it alone in a file whose first line is `-- dbops:no-transaction`"_s);
                if (!concurrent && kind != u"REINDEX_OBJECT_SYSTEM"_s)
                {
                    add(u"require-concurrent-reindex"_s, shown,
                        u"REINDEX of %1 blocks writes, and reads that would use the index, until it finishes"_s.arg(shown),
                        u"REINDEX … CONCURRENTLY in a `-- dbops:no-transaction` file"_s,
                        kind == u"REINDEX_OBJECT_TABLE"_s ? r.key : QString());
                    if (kind == u"REINDEX_OBJECT_TABLE"_s)
                        locksExisting(r.key);
                }
            }

            void alterEnum(const QJsonObject &s)
            {
                const QString type = names(s[u"typeName"_s].toArray()).join(u'.');
                const QString value = s[u"newVal"_s].toString();
                if (value.isEmpty() || s.contains(u"oldVal"_s))
                    return; // RENAME VALUE
                if (s[u"newValNeighbor"_s].toString().isEmpty())
                    add(u"require-enum-value-ordering"_s, type + u'.' + value,
                        u"'%1' is added last in %2: if the labels have an order (statuses, levels) it is probably not where it belongs"_s
                            .arg(value, type),
                        u"ALTER TYPE … ADD VALUE '%1' BEFORE / AFTER the label it follows"_s.arg(value));
                if (!s[u"skipIfNewValExists"_s].toBool())
                    robust(false, type, u"ALTER TYPE %1 ADD VALUE '%2'"_s.arg(type, value), u"ADD VALUE IF NOT EXISTS"_s);
                if (m_inTransaction)
                    m_addedEnumValues << value;
            }

            void setVariable(const QJsonObject &s)
            {
                const QString name = s[u"name"_s].toString();
                const QString kind = s[u"kind"_s].toString();
                bool set = false;
                if (kind == u"VAR_SET_VALUE"_s)
                {
                    const QJsonObject arg = unwrap(s[u"args"_s].toArray().first(), u"A_Const"_s);
                    const QString text = arg.contains(u"sval"_s) ? arg[u"sval"_s].toObject()[u"sval"_s].toString()
                                                                 : QString::number(arg[u"ival"_s].toObject()[u"ival"_s].toInt());
                    set = text.trimmed() != u"0"_s && !text.isEmpty();
                }
                if (name == u"lock_timeout"_s)
                    m_lockTimeout = set || (kind != u"VAR_SET_VALUE"_s && m_opt.runSetsLockTimeout);
                else if (name == u"statement_timeout"_s)
                    m_statementTimeout = set || (kind != u"VAR_SET_VALUE"_s && m_opt.runSetsStatementTimeout);
            }

            void endTransaction()
            {
                m_addedEnumValues.clear();
                m_ddlOnExisting = false;
                m_dataChange = nullptr;
                m_notValidThisTransaction.clear();
            }

            void transaction(const QJsonObject &s)
            {
                const QString kind = s[u"kind"_s].toString();
                if (kind == u"TRANS_STMT_BEGIN"_s || kind == u"TRANS_STMT_START"_s)
                {
                    if (m_inTransaction)
                        add(u"transaction-nesting"_s, {},
                            m_begin ? u"a BEGIN inside a transaction that is already open: PostgreSQL warns and ignores it"_s
                                    : u"dbops already runs this file in one transaction: BEGIN here is ignored with a warning"_s,
                            u"remove the BEGIN/COMMIT; mark the file `-- dbops:no-transaction` if it must manage its own transactions"_s);
                    else
                    {
                        m_inTransaction = true;
                        m_begin = m_st;
                        endTransaction();
                    }
                }
                else if (kind == u"TRANS_STMT_COMMIT"_s || kind == u"TRANS_STMT_ROLLBACK"_s)
                {
                    if (!m_begin)
                        add(u"transaction-nesting"_s, {},
                            m_opt.inTransaction ? u"dbops runs this file in one transaction: this COMMIT/ROLLBACK ends it early, and what "
                                                  "follows runs without the all-or-nothing guarantee"_s
                                                : u"there is no transaction for this COMMIT/ROLLBACK to end"_s,
                            m_opt.inTransaction
                                ? u"remove the COMMIT/ROLLBACK; mark the file `-- dbops:no-transaction` if it must manage its "
                                  "own transactions"_s
                                : u"BEGIN the transaction earlier in the file, or remove this statement"_s);
                    m_begin = nullptr;
                    m_inTransaction = false;
                    endTransaction();
                }
            }

            void noteDataChange(const Rel &r)
            {
                if (createdHere(r.key) || !m_inTransaction)
                    return;
                if (m_ddlOnExisting)
                    add(u"data-change-with-ddl"_s, r.shown,
                        u"this data change of %1 runs in the same transaction as DDL on existing tables: their locks are held until it "
                        "is done"_s.arg(r.shown),
                        u"change the data in its own file (in batches), before or after the schema change"_s, r.key);
                else if (!m_dataChange)
                {
                    m_dataChange = m_st;
                    m_dataChangeTable = r.key;
                }
            }

            void dataChange(const QString &kind, const QJsonObject &s)
            {
                const Rel r = relation(s[u"relation"_s]);
                const bool update = kind == u"UpdateStmt"_s;
                if (!s.contains(u"whereClause"_s) && !createdHere(r.key))
                    add(u"dml-without-where"_s, r.shown,
                        u"%1 without WHERE %2 every row of %3"_s.arg(update ? u"UPDATE"_s : u"DELETE"_s,
                                                                     update ? u"rewrites"_s : u"deletes"_s, r.shown),
                        u"add the WHERE you mean; for a backfill, update in batches by key range in a no-transaction file"_s, r.key);
                if (update)
                    duplicateTargets(r, s[u"targetList"_s].toArray(), u"UPDATE … SET"_s);
                noteDataChange(r);
            }

            /// A column assigned (or listed) twice: PostgreSQL rejects it, unless every entry sets a
            /// part of it (a.x, a[1]).
            void duplicateTargets(const Rel &r, const QJsonArray &targets, const QString &where)
            {
                QHash<QString, QList<bool>> partial;
                for (const QJsonValue &t : targets)
                {
                    const QJsonObject target = unwrap(t, u"ResTarget"_s);
                    partial[target[u"name"_s].toString()] << !target[u"indirection"_s].toArray().isEmpty();
                }
                for (auto it = partial.cbegin(); it != partial.cend(); ++it)
                    if (it->size() > 1 && it->contains(false))
                        add(u"ban-duplicate-column-assignments"_s, r.shown + u'.' + it.key(),
                            u"%1 names %2 %3 times: PostgreSQL rejects the statement"_s.arg(where, it.key()).arg(it->size()),
                            u"name each column once"_s);
            }

            /// Which statement an ignore comment is for: the one whose lines hold it (the last of
            /// them, for a comment after `a; b;` on one line), else the next one.
            int statementFor(const IgnoreComment &c) const
            {
                int holding = 0;
                for (const SqlStatement &st : m_in.statements)
                    if (c.line >= st.line && c.line <= st.line + int(st.text.count(u'\n')))
                        holding = st.index + 1;
                if (holding)
                    return holding;
                for (const SqlStatement &st : m_in.statements)
                    if (st.line > c.line)
                        return st.index + 1;
                return 0;
            }

            void applyIgnores()
            {
                QList<IgnoreComment> ignores = readIgnores(m_in.sql);
                for (IgnoreComment &c : ignores)
                {
                    const SqlStatement *at = nullptr;
                    const int target = c.wholeFile ? 0 : statementFor(c);
                    for (const SqlStatement &st : m_in.statements)
                        if (st.index + 1 == target)
                            at = &st;
                    const auto pointAt = [&](LintFinding *f) { // at the comment, not at its statement
                        if (f)
                        {
                            f->line = c.line;
                            f->column = 1;
                        }
                    };
                    QStringList unknown;
                    for (const QString &r : c.rules)
                        if (!findLintRule(r))
                            unknown << r;
                    if (c.rules.isEmpty() || !unknown.isEmpty())
                    {
                        LintFinding *f =
                            add(u"lint-ignore-unknown-rule"_s, unknown.join(u", "_s),
                                c.rules.isEmpty()
                                    ? u"the dbops:lint-ignore comment on line %1 names no rule, so it ignores nothing"_s.arg(c.line)
                                    : u"the dbops:lint-ignore comment on line %1 names %2, which no rule is called"_s.arg(c.line).arg(
                                        unknown.join(u", "_s)),
                                u"name rules as `dbops lint --rules` lists them: -- dbops:lint-ignore RULE reason"_s, {}, at);
                        pointAt(f);
                        continue;
                    }
                    if (c.reason.isEmpty())
                    {
                        LintFinding *f = add(
                            u"lint-ignore-without-reason"_s, c.rules.join(u", "_s),
                            u"the dbops:lint-ignore comment on line %1 gives no reason, so it ignores nothing: the reason goes into the "
                            "change plan"_s.arg(c.line),
                            u"-- dbops:lint-ignore %1 <why it is safe here>"_s.arg(c.rules.join(u',')), {}, at);
                        pointAt(f);
                        continue;
                    }
                    for (LintFinding &f : m_out.findings)
                        if (c.rules.contains(f.rule) && (c.wholeFile || f.statement == target) && !f.ignored())
                        {
                            f.ignoredBecause = c.reason;
                            c.used = true;
                        }
                    if (!c.used)
                    {
                        LintFinding *f =
                            add(u"unused-ignore"_s, c.rules.join(u", "_s),
                                u"the dbops:lint-ignore comment on line %1 suppresses nothing: %2 found nothing %3"_s.arg(c.line).arg(
                                    c.rules.join(u", "_s), c.wholeFile ? u"in this file"_s
                                                           : target    ? u"in statement %1"_s.arg(target)
                                                                       : u"after it"_s),
                                u"remove the comment"_s, {}, at);
                        pointAt(f);
                    }
                }
            }
        };
    }

    QString LintFinding::toText() const
    {
        QString text = u"%1:%2:%3: %4 [%5] %6"_s.arg(file).arg(line).arg(column).arg(toString(severity), rule, risk);
        if (!sizeNote.isEmpty())
            text += u" (%1)"_s.arg(sizeNote);
        if (!fix.isEmpty())
            text += u" Fix: "_s + fix;
        if (ignored())
            text += u" — ignored: "_s + ignoredBecause;
        return text;
    }

    QJsonObject LintFinding::toJson() const
    {
        QJsonObject o{{u"rule"_s, rule},     {u"severity"_s, toString(severity)},
                      {u"file"_s, file},     {u"statement"_s, statement},
                      {u"line"_s, line},     {u"column"_s, column},
                      {u"object"_s, object}, {u"risk"_s, risk},
                      {u"fix"_s, fix},       {u"sql"_s, statementText}};
        if (!sizeNote.isEmpty())
            o[u"size"_s] = sizeNote;
        if (ignored())
            o[u"ignored_because"_s] = ignoredBecause;
        return o;
    }

    int LintResult::count(LintSeverity severity, bool includeIgnored) const
    {
        int n = 0;
        for (const LintFinding &f : findings)
            n += f.severity == severity && (includeIgnored || !f.ignored());
        return n;
    }

    LintResult lintScript(const LintInput &input, const LintOptions &options)
    {
        return Linter(input, options).run();
    }
}
