// The migration lint (core/sql/lint.h, issue 15): each rule has a statement that fires it and its
// safe rewrite, which does not; the ignore comment, the grading by live table size, and where a
// finding points.
#include "core/sql/lint.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;

namespace
{
    LintResult lint(const QString &sql, bool inTransaction = true, const LintOptions &base = {})
    {
        LintOptions options = base;
        options.inTransaction = inTransaction;
        const Expected<QList<SqlStatement>> statements = splitStatements(sql, u"0002_change.sql"_s);
        if (!statements)
            qFatal("split failed: %s", qPrintable(statements.error().toString()));
        return lintScript({u"0002_change.sql"_s, sql, *statements}, options);
    }

    QList<LintFinding> of(const LintResult &r, const QString &rule, bool includeIgnored = false)
    {
        QList<LintFinding> out;
        for (const LintFinding &f : r.findings)
            if (f.rule == rule && (includeIgnored || !f.ignored()))
                out << f;
        return out;
    }

    struct Case
    {
        const char *name;
        QString rule, fires, safe;
        bool inTransaction = true;
        bool safeInTransaction = true;
    };

    QString listed(const LintResult &r)
    {
        QStringList out;
        for (const LintFinding &f : r.findings)
            out << f.toText();
        return out.join(u"\n"_s);
    }
}

class TestLint final : public QObject
{
    Q_OBJECT

    static const QList<Case> &cases()
    {
        static const QList<Case> all = [] {
            QList<Case> out;
            const auto row = [&out](const char *name, const QString &rule, const QString &fires, const QString &safe, bool tx = true,
                                    std::optional<bool> safeTx = std::nullopt) {
                out << Case{name, rule, fires, safe, tx, safeTx.value_or(tx)};
            };
            row("index-create", u"require-concurrent-index-creation"_s, u"CREATE INDEX i ON orders (customer_id);"_s,
                u"CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON orders (customer_id);"_s, false);
            row("index-drop", u"require-concurrent-index-deletion"_s, u"DROP INDEX orders_customer;"_s,
                u"DROP INDEX CONCURRENTLY IF EXISTS orders_customer;"_s, false);
            row("concurrently-in-tx", u"ban-concurrent-index-creation-in-transaction"_s,
                u"CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON orders (customer_id);"_s,
                u"CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON orders (customer_id);"_s, true, false);
            row("reindex", u"require-concurrent-reindex"_s, u"REINDEX TABLE orders;"_s, u"REINDEX TABLE CONCURRENTLY orders;"_s, false);
            row("detach", u"require-concurrent-partition-detach"_s, u"ALTER TABLE events DETACH PARTITION events_2020;"_s,
                u"ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;"_s, false);
            row("column-type", u"changing-column-type"_s, u"ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);"_s,
                u"ALTER TABLE orders ADD COLUMN total_v2 numeric(12,2);"_s);
            row("set-not-null", u"adding-not-nullable-field"_s, u"ALTER TABLE orders ALTER COLUMN note SET NOT NULL;"_s,
                u"ALTER TABLE orders ADD CONSTRAINT note_nn CHECK (note IS NOT NULL) NOT VALID;\n"
                "COMMIT; BEGIN; ALTER TABLE orders VALIDATE CONSTRAINT note_nn;\n"
                "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;"_s,
                false);
            row("fk", u"adding-foreign-key-constraint"_s,
                u"ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);"_s,
                u"ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;"_s);
            row("fk-column", u"adding-foreign-key-constraint"_s,
                u"ALTER TABLE orders ADD COLUMN customer_id bigint REFERENCES customers (id);"_s,
                u"ALTER TABLE orders ADD COLUMN customer_id bigint;"_s);
            row("check", u"constraint-missing-not-valid"_s, u"ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0);"_s,
                u"ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;"_s);
            row("validate-same-tx", u"constraint-missing-not-valid"_s,
                u"ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT positive;"_s,
                u"ALTER TABLE orders VALIDATE CONSTRAINT positive;"_s);
            row("unique", u"disallowed-unique-constraint"_s, u"ALTER TABLE users ADD CONSTRAINT users_email UNIQUE (email);"_s,
                u"ALTER TABLE users ADD CONSTRAINT users_email UNIQUE USING INDEX users_email_idx;"_s);
            row("primary-key", u"adding-serial-primary-key-field"_s, u"ALTER TABLE items ADD PRIMARY KEY (id);"_s,
                u"ALTER TABLE items ADD CONSTRAINT items_pkey PRIMARY KEY USING INDEX items_id_idx;"_s);
            row("change-pk", u"changing-primary-key"_s,
                u"ALTER TABLE items DROP CONSTRAINT items_pkey;\nALTER TABLE items ADD CONSTRAINT items_pkey PRIMARY KEY USING INDEX items_new;"_s,
                u"ALTER TABLE items ADD CONSTRAINT items_code UNIQUE USING INDEX items_code_idx;"_s);
            row("volatile-default", u"adding-field-with-default"_s, u"ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();"_s,
                u"ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();"_s);
            row("generated-stored", u"adding-field-with-default"_s,
                u"ALTER TABLE orders ADD COLUMN doubled bigint GENERATED ALWAYS AS (total * 2) STORED;"_s,
                u"ALTER TABLE orders ADD COLUMN doubled bigint;"_s);
            row("serial-column", u"adding-serial-column"_s, u"ALTER TABLE events ADD COLUMN seq bigserial;"_s,
                u"ALTER TABLE events ADD COLUMN seq bigint;"_s);
            row("identity-column", u"adding-serial-column"_s, u"ALTER TABLE events ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;"_s,
                u"CREATE TABLE events (seq bigint GENERATED ALWAYS AS IDENTITY);"_s);
            row("required-field", u"adding-required-field"_s, u"ALTER TABLE users ADD COLUMN plan text NOT NULL;"_s,
                u"ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';"_s);
            row("vacuum-full", u"vacuum-full"_s, u"VACUUM FULL orders;"_s, u"VACUUM orders;"_s, false);
            row("cluster", u"cluster"_s, u"CLUSTER orders USING orders_pkey;"_s, u"ANALYZE orders;"_s, false);
            row("lock-timeout", u"require-lock-timeout"_s, u"ALTER TABLE orders ADD COLUMN note text;"_s,
                u"SET lock_timeout = '2s';\nALTER TABLE orders ADD COLUMN note text;"_s);
            row("lock-timeout-zero", u"require-lock-timeout"_s, u"SET lock_timeout = 0;\nALTER TABLE orders ADD COLUMN note text;"_s,
                u"SET LOCAL lock_timeout TO '1s';\nALTER TABLE orders ADD COLUMN note text;"_s);
            row("statement-timeout", u"require-statement-timeout"_s, u"ALTER TABLE orders ADD COLUMN note text;"_s,
                u"SET statement_timeout = '5min';\nALTER TABLE orders ADD COLUMN note text;"_s);
            row("drop-table", u"ban-drop-table"_s, u"DROP TABLE legacy_orders;"_s,
                u"ALTER TABLE legacy_orders RENAME TO legacy_orders_old;"_s);
            row("drop-column", u"ban-drop-column"_s, u"ALTER TABLE users DROP COLUMN fax;"_s,
                u"ALTER TABLE users ALTER COLUMN fax DROP DEFAULT;"_s);
            row("truncate", u"ban-truncate"_s, u"TRUNCATE sessions;"_s, u"DELETE FROM sessions WHERE expires_at < now();"_s);
            row("truncate-cascade", u"ban-truncate-cascade"_s, u"TRUNCATE customers CASCADE;"_s, u"TRUNCATE customers;"_s);
            row("drop-schema-cascade", u"ban-drop-schema-cascade"_s, u"DROP SCHEMA billing CASCADE;"_s, u"DROP SCHEMA billing;"_s);
            row("drop-database", u"ban-drop-database"_s, u"DROP DATABASE shop;"_s, u"CREATE TABLE shop_archive (id bigint);"_s, false);
            row("update-all", u"dml-without-where"_s, u"UPDATE users SET plan = 'free';"_s,
                u"UPDATE users SET plan = 'free' WHERE plan IS NULL;"_s);
            row("delete-all", u"dml-without-where"_s, u"DELETE FROM sessions;"_s, u"DELETE FROM sessions WHERE id < 1000;"_s);
            row("data-with-ddl", u"data-change-with-ddl"_s,
                u"ALTER TABLE users ADD COLUMN plan text;\nUPDATE users SET plan = 'free' WHERE plan IS NULL;"_s,
                u"UPDATE users SET plan = 'free' WHERE plan IS NULL;"_s);
            row("data-then-ddl", u"data-change-with-ddl"_s,
                u"UPDATE users SET plan = 'free' WHERE plan IS NULL;\nALTER TABLE users ALTER COLUMN plan SET DEFAULT 'free';"_s,
                u"CREATE TABLE plans (id bigint);\nINSERT INTO plans SELECT id FROM old_plans;"_s);
            row("rename-column", u"renaming-column"_s, u"ALTER TABLE users RENAME COLUMN mail TO email;"_s,
                u"ALTER TABLE users ADD COLUMN email text;"_s);
            row("rename-table", u"renaming-table"_s, u"ALTER TABLE users RENAME TO accounts;"_s,
                u"CREATE VIEW accounts AS SELECT * FROM users;"_s);
            row("drop-not-null", u"ban-drop-not-null"_s, u"ALTER TABLE users ALTER COLUMN email DROP NOT NULL;"_s,
                u"ALTER TABLE users ALTER COLUMN email SET DEFAULT '';"_s);
            row("enum-use", u"enum-value-used-in-transaction"_s,
                u"ALTER TYPE status ADD VALUE IF NOT EXISTS 'archived' AFTER 'done';\nUPDATE tasks SET status = 'archived' WHERE done_at < '2020-01-01';"_s,
                u"ALTER TYPE status ADD VALUE IF NOT EXISTS 'archived' AFTER 'done';"_s);
            row("nesting", u"transaction-nesting"_s, u"BEGIN;\nCREATE TABLE t (id bigint);\nCOMMIT;"_s, u"CREATE TABLE t (id bigint);"_s);
            row("uncommitted", u"ban-uncommitted-transaction"_s, u"BEGIN;\nCREATE TABLE IF NOT EXISTS t (id bigint);"_s,
                u"BEGIN;\nCREATE TABLE IF NOT EXISTS t (id bigint);\nCOMMIT;"_s, false);
            row("robust", u"prefer-robust-stmts"_s, u"CREATE TABLE t (id bigint);"_s, u"CREATE TABLE IF NOT EXISTS t (id bigint);"_s,
                false);
            row("robust-column", u"prefer-robust-stmts"_s, u"ALTER TABLE t ADD COLUMN c text;"_s,
                u"ALTER TABLE t ADD COLUMN IF NOT EXISTS c text;"_s, false);
            row("robust-drop", u"prefer-robust-stmts"_s, u"DROP INDEX CONCURRENTLY i;"_s, u"DROP INDEX CONCURRENTLY IF EXISTS i;"_s, false);
            row("duplicate-assignment", u"ban-duplicate-column-assignments"_s, u"UPDATE t SET a = 1, a = 2 WHERE id = 1;"_s,
                u"UPDATE t SET a = 1, b = 2 WHERE id = 1;"_s);
            row("enum-order", u"require-enum-value-ordering"_s, u"ALTER TYPE status ADD VALUE IF NOT EXISTS 'archived';"_s,
                u"ALTER TYPE status ADD VALUE IF NOT EXISTS 'archived' AFTER 'done';"_s);
            row("domain", u"ban-create-domain-with-constraint"_s, u"CREATE DOMAIN positive AS int CHECK (VALUE > 0);"_s,
                u"CREATE DOMAIN positive AS bigint;"_s);
            row("alter-domain", u"ban-alter-domain-with-add-constraint"_s, u"ALTER DOMAIN positive ADD CONSTRAINT p CHECK (VALUE > 0);"_s,
                u"ALTER DOMAIN positive SET DEFAULT 1;"_s);
            row("int", u"prefer-bigint-over-int"_s, u"CREATE TABLE t (id int PRIMARY KEY);"_s,
                u"CREATE TABLE t (id bigint PRIMARY KEY);"_s);
            row("smallint", u"prefer-bigint-over-smallint"_s, u"CREATE TABLE t (n smallint);"_s, u"CREATE TABLE t (n bigint);"_s);
            row("serial", u"prefer-identity"_s, u"CREATE TABLE t (id bigserial PRIMARY KEY);"_s,
                u"CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);"_s);
            row("varchar", u"prefer-text-field"_s, u"CREATE TABLE t (name varchar(100));"_s, u"CREATE TABLE t (name text);"_s);
            row("timestamp", u"prefer-timestamptz"_s, u"ALTER TABLE t ADD COLUMN at timestamp;"_s,
                u"ALTER TABLE t ADD COLUMN at timestamptz;"_s);
            row("char", u"ban-char-field"_s, u"CREATE TABLE t (code char(3));"_s, u"CREATE TABLE t (code text);"_s);
            row("long-name", u"identifier-too-long"_s,
                u"CREATE TABLE t (a_column_name_that_is_much_too_long_for_postgres_to_keep_it_whole_x text);"_s,
                u"CREATE TABLE t (short_name text);"_s);
            row("vacuum-in-tx", u"ban-concurrent-index-creation-in-transaction"_s, u"VACUUM orders;"_s, u"ANALYZE orders;"_s);
            return out;
        }();
        return all;
    }

private slots:
    void eachRuleFiresAndItsRewriteDoesNot_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("fires");
        QTest::addColumn<QString>("safe");
        QTest::addColumn<bool>("inTransaction");
        QTest::addColumn<bool>("safeInTransaction");
        for (const Case &c : cases())
            QTest::newRow(c.name) << c.rule << c.fires << c.safe << c.inTransaction << c.safeInTransaction;
    }

    void eachRuleFiresAndItsRewriteDoesNot()
    {
        QFETCH(QString, rule);
        QFETCH(QString, fires);
        QFETCH(QString, safe);
        QFETCH(bool, inTransaction);
        QFETCH(bool, safeInTransaction);
        QVERIFY2(findLintRule(rule), qPrintable(rule));
        const LintResult bad = lint(fires, inTransaction);
        const QList<LintFinding> found = of(bad, rule);
        QVERIFY2(!found.isEmpty(), qPrintable(u"%1 did not fire on:\n%2\nfound:\n%3"_s.arg(rule, fires, listed(bad))));
        QVERIFY(!found.first().risk.isEmpty());
        QVERIFY(!found.first().fix.isEmpty());
        QVERIFY(found.first().statement >= 1);
        const LintResult good = lint(safe, safeInTransaction);
        QVERIFY2(of(good, rule).isEmpty(), qPrintable(u"%1 fired on the safe rewrite:\n%2\n%3"_s.arg(rule, safe, listed(good))));
    }

    void everyRuleHasACase()
    {
        // Keeps the table above whole: a rule added without a firing case fails here.
        QSet<QString> covered, ids;
        for (const Case &c : cases())
            covered.insert(c.rule);
        const QSet<QString> ownComments{u"lint-ignore-without-reason"_s, u"lint-ignore-unknown-rule"_s, u"unused-ignore"_s};
        for (const LintRule &r : lintRules())
        {
            QVERIFY2(!r.summary.isEmpty(), qPrintable(r.id));
            QVERIFY2(covered.contains(r.id) || ownComments.contains(r.id), qPrintable(u"no case for "_s + r.id));
            QVERIFY2(!ids.contains(r.id), qPrintable(u"two rules named "_s + r.id));
            ids.insert(r.id);
        }
    }

    void pointsAtFileStatementAndLine()
    {
        const LintResult r =
            lint(u"SET lock_timeout = '2s';\nSET statement_timeout = '1min';\n\n-- the index\nCREATE INDEX i\n  ON orders (a);\n"_s);
        const QList<LintFinding> f = of(r, u"require-concurrent-index-creation"_s);
        QCOMPARE(f.size(), 1);
        QCOMPARE(f[0].file, u"0002_change.sql"_s);
        QCOMPARE(f[0].statement, 3);
        QCOMPARE(f[0].line, 5);
        QCOMPARE(f[0].object, u"i"_s);
        QVERIFY(f[0].toText().startsWith(u"0002_change.sql:5:1: warning [require-concurrent-index-creation]"_s));
        const QJsonObject json = f[0].toJson();
        QCOMPARE(json[u"rule"_s].toString(), u"require-concurrent-index-creation"_s);
        QCOMPARE(json[u"line"_s].toInt(), 5);
        QVERIFY(json[u"sql"_s].toString().contains(u"CREATE INDEX i"_s));
    }

    void anIgnoreWithAReasonSuppressesAndRecordsIt()
    {
        const LintResult r = lint(u"SET lock_timeout = '2s'; SET statement_timeout = '1min';\n"
                                  u"-- dbops:lint-ignore require-concurrent-index-creation the table has 40 rows, checked 2026-12-01\n"
                                  u"CREATE INDEX i ON orders (a);\n"
                                  u"CREATE INDEX j ON orders (b);\n"_s);
        const QList<LintFinding> all = of(r, u"require-concurrent-index-creation"_s, true);
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[0].statement, 3);
        QCOMPARE(all[0].ignoredBecause, u"the table has 40 rows, checked 2026-12-01"_s);
        QVERIFY(!all[1].ignored()); // the next statement is not covered
        QCOMPARE(r.count(LintSeverity::Warning), 1);
        QCOMPARE(r.count(LintSeverity::Warning, true), 2);
    }

    void anIgnoreOnTheStatementsLineAndForTheFile()
    {
        const LintResult trailing = lint(u"SET lock_timeout = '2s'; SET statement_timeout = '1min';\n"
                                         u"DROP TABLE legacy; -- dbops:lint-ignore ban-drop-table replaced by orders in 2024\n"
                                         u"DROP TABLE legacy2;\n"_s);
        const QList<LintFinding> drops = of(trailing, u"ban-drop-table"_s, true);
        QCOMPARE(drops.size(), 2);
        QCOMPARE(drops[0].ignoredBecause, u"replaced by orders in 2024"_s);
        QVERIFY(!drops[1].ignored());
        const LintResult file = lint(u"-- dbops:lint-ignore-file ban-drop-table,ban-drop-column the cleanup of release 5\n"
                                     u"SET lock_timeout = '2s'; SET statement_timeout = '1min';\n"
                                     u"DROP TABLE a; DROP TABLE b; ALTER TABLE c DROP COLUMN d;\n"_s);
        QCOMPARE(file.count(LintSeverity::Error), 0);
        QCOMPARE(of(file, u"ban-drop-table"_s, true).size(), 2);
    }

    void anIgnoreWithoutReasonOrWithAnUnknownRuleSuppressesNothing()
    {
        const LintResult noReason = lint(u"-- dbops:lint-ignore ban-drop-table\nDROP TABLE a;\n"_s);
        QCOMPARE(of(noReason, u"ban-drop-table"_s).size(), 1);
        QCOMPARE(of(noReason, u"lint-ignore-without-reason"_s).size(), 1);
        QCOMPARE(of(noReason, u"lint-ignore-without-reason"_s)[0].line, 1);
        const LintResult unknown = lint(u"-- dbops:lint-ignore ban-drop-tables typo in the name\nDROP TABLE a;\n"_s);
        QCOMPARE(of(unknown, u"ban-drop-table"_s).size(), 1);
        QVERIFY(of(unknown, u"lint-ignore-unknown-rule"_s)[0].risk.contains(u"ban-drop-tables"_s));
        const LintResult unused = lint(u"-- dbops:lint-ignore ban-drop-table nothing is dropped\nCREATE TABLE a (id bigint);\n"_s);
        QCOMPARE(of(unused, u"unused-ignore"_s).size(), 1);
    }

    void liveSizesGradeTheSeverity()
    {
        LintOptions options;
        options.tables = QHash<QString, LintTableFacts>{
            {u"public.small"_s, {8192, 0}}, {u"public.medium"_s, {200ll << 20, 2'000'000}}, {u"public.huge"_s, {50ll << 30, 900'000'000}}};
        const auto severity = [&](const QString &table) {
            const LintResult r = lint(u"CREATE INDEX i ON %1 (a);"_s.arg(table), true, options);
            const QList<LintFinding> f = of(r, u"require-concurrent-index-creation"_s);
            return f.isEmpty() ? u"none"_s : toString(f[0].severity) + u" / "_s + f[0].sizeNote;
        };
        QVERIFY2(severity(u"small"_s).startsWith(u"info / public.small: 8.0 kB, ~0 rows"_s), qPrintable(severity(u"small"_s)));
        QVERIFY2(severity(u"medium"_s).startsWith(u"warning / public.medium: 200.0 MB"_s), qPrintable(severity(u"medium"_s)));
        QVERIFY2(severity(u"huge"_s).startsWith(u"error / public.huge: 50.0 GB, ~900,000,000 rows"_s), qPrintable(severity(u"huge"_s)));
        QVERIFY2(severity(u"absent"_s).startsWith(u"info / public.absent does not exist on the target"_s),
                 qPrintable(severity(u"absent"_s)));
        // ByRows: a DROP COLUMN of a table with rows is an error whatever its size; of an empty one, info.
        const LintResult dropSmall = lint(u"ALTER TABLE small DROP COLUMN a;"_s, true, options);
        QCOMPARE(toString(of(dropSmall, u"ban-drop-column"_s)[0].severity), u"info"_s);
        const LintResult dropMedium = lint(u"ALTER TABLE medium DROP COLUMN a;"_s, true, options);
        QCOMPARE(toString(of(dropMedium, u"ban-drop-column"_s)[0].severity), u"error"_s);
        // A table an earlier file of the plan creates is new; one the target has is graded by its size.
        options.createdEarlier = {u"public.fresh"_s, u"public.huge"_s};
        QVERIFY2(severity(u"fresh"_s).startsWith(u"info / public.fresh is new: created by an earlier file of the plan"_s),
                 qPrintable(severity(u"fresh"_s)));
        QVERIFY(severity(u"huge"_s).startsWith(u"error / "_s));
    }

    void runSettingsCountAsTimeouts()
    {
        LintOptions options;
        options.runSetsLockTimeout = true;
        options.runSetsStatementTimeout = true;
        const LintResult r = lint(u"ALTER TABLE orders ADD COLUMN note text;"_s, true, options);
        QVERIFY(of(r, u"require-lock-timeout"_s).isEmpty());
        QVERIFY(of(r, u"require-statement-timeout"_s).isEmpty());
        const LintResult reset = lint(u"SET lock_timeout = 0;\nALTER TABLE orders ADD COLUMN note text;"_s, true, options);
        QCOMPARE(of(reset, u"require-lock-timeout"_s).size(), 1);
    }

    void aNewTableIsNotLockedForAnyone()
    {
        const LintResult r = lint(u"CREATE TABLE IF NOT EXISTS t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, note text);\n"
                                  u"CREATE INDEX t_note ON t (note);\nALTER TABLE t ADD COLUMN code text NOT NULL;\n"
                                  u"ALTER TABLE t ADD CONSTRAINT t_code UNIQUE (code);\n"_s);
        // Found (squawk finds them too) but graded info: the table is created in this file.
        QVERIFY2(r.count(LintSeverity::Error) == 0 && r.count(LintSeverity::Warning) == 0, qPrintable(listed(r)));
        for (const QString &rule : {u"require-concurrent-index-creation"_s, u"adding-required-field"_s, u"disallowed-unique-constraint"_s})
        {
            const QList<LintFinding> f = of(r, rule);
            QVERIFY2(f.size() == 1 && f[0].sizeNote == u"public.t is new: created in this file"_s, qPrintable(rule + u"\n"_s + listed(r)));
        }
        QCOMPARE(r.createdTables, QSet<QString>{u"public.t"_s});
    }
};

QTEST_MAIN(TestLint)
#include "test_lint.moc"
