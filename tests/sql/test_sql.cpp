#include "core/sql/sqlsplitter.h"
#include "core/sql/statementinfo.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;

class TestSql final : public QObject
{
    Q_OBJECT

private slots:
    void split_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QStringList>("statements");
        QTest::addColumn<QList<int>>("lines");

        QTest::newRow("plain") << u"SELECT 1;\nSELECT 2;"_s << QStringList{u"SELECT 1"_s, u"SELECT 2"_s} << QList<int>{1, 2};
        QTest::newRow("no final semicolon") << u"CREATE TABLE a (x int);\n\nDROP TABLE a"_s
                                            << QStringList{u"CREATE TABLE a (x int)"_s, u"DROP TABLE a"_s} << QList<int>{1, 3};
        QTest::newRow("semicolon in string and comment")
            << u"-- first; not a split\nINSERT INTO t VALUES ('a;b'); /* c; d */ SELECT ';'"_s
            << QStringList{u"INSERT INTO t VALUES ('a;b')"_s, u"SELECT ';'"_s} << QList<int>{2, 2};
        QTest::newRow("dollar quotes")
            << u"CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM 1; RETURN 2;\nEND;\n$$;\nSELECT f();"_s
            << QStringList{u"CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM 1; RETURN 2;\nEND;\n$$"_s,
                           u"SELECT f()"_s}
            << QList<int>{1, 6};
        QTest::newRow("tagged dollar quote") << u"DO $body$ BEGIN RAISE NOTICE 'x;y'; END $body$;"_s
                                             << QStringList{u"DO $body$ BEGIN RAISE NOTICE 'x;y'; END $body$"_s} << QList<int>{1};
        QTest::newRow("begin atomic")
            << u"CREATE FUNCTION g() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;\nSELECT g();"_s
            << QStringList{u"CREATE FUNCTION g() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND"_s, u"SELECT g()"_s}
            << QList<int>{1, 6};
        QTest::newRow("nested block comment") << u"/* a /* b; */ c; */\nSELECT 3;"_s << QStringList{u"SELECT 3"_s} << QList<int>{2};
        QTest::newRow("only comments") << u"-- nothing here\n/* at all */"_s << QStringList{} << QList<int>{};
    }

    void split()
    {
        QFETCH(QString, sql);
        QFETCH(QStringList, statements);
        QFETCH(QList<int>, lines);
        auto result = splitStatements(sql);
        QVERIFY2(result.has_value(), qPrintable(result ? QString() : result.error().toString()));
        QStringList texts;
        QList<int> got;
        for (const SqlStatement &s : *result)
        {
            texts << s.text;
            got << s.line;
        }
        QCOMPARE(texts, statements);
        QCOMPARE(got, lines);
    }

    void syntaxErrorNamesFileLineColumn()
    {
        auto result = splitStatements(u"SELECT 1;\n\nCREATE TABEL x (a int);\n"_s, u"0003_bad.sql"_s);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::BadInput);
        QVERIFY2(result.error().message.contains(u"syntax error"_s), qPrintable(result.error().message));
        QCOMPARE(result.error().context, u"0003_bad.sql:3:8"_s);
    }

    void normalizedDigestIgnoresOnlyWhitespaceAndComments()
    {
        const QByteArray a = normalizedDigest(u"CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);"_s);
        QVERIFY(!a.isEmpty());
        QCOMPARE(normalizedDigest(u"-- header\nCREATE   TABLE t\n(a int);  /* x */\r\ninsert into t values (1);"_s), a);
        QVERIFY(normalizedDigest(u"CREATE TABLE t (a int);\nINSERT INTO t VALUES (2);"_s) != a); // a literal changed
        QVERIFY(normalizedDigest(u"CREATE TABLE t (a bigint);\nINSERT INTO t VALUES (1);"_s) != a);
        QVERIFY(normalizedDigest(u"CREATE TABEL"_s).isEmpty());
    }

    void transactionControlFromTheParseTree_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("kind");
        QTest::newRow("begin") << u"BEGIN"_s << u"BEGIN"_s;
        QTest::newRow("begin isolation") << u"begin isolation level serializable"_s << u"BEGIN"_s;
        QTest::newRow("start") << u"START TRANSACTION READ WRITE"_s << u"START TRANSACTION"_s;
        QTest::newRow("commit") << u"COMMIT"_s << u"COMMIT"_s;
        QTest::newRow("end") << u"END"_s << u"COMMIT"_s;
        QTest::newRow("rollback") << u"ROLLBACK"_s << u"ROLLBACK"_s;
        QTest::newRow("abort") << u"ABORT"_s << u"ROLLBACK"_s;
        QTest::newRow("savepoint") << u"SAVEPOINT s1"_s << u"SAVEPOINT"_s;
        QTest::newRow("release") << u"RELEASE SAVEPOINT s1"_s << u"RELEASE SAVEPOINT"_s;
        QTest::newRow("rollback to") << u"ROLLBACK TO s1"_s << u"ROLLBACK TO SAVEPOINT"_s;
        QTest::newRow("set transaction") << u"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"_s << u"SET TRANSACTION"_s;
        QTest::newRow("session characteristics")
            << u"SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"_s << u"SET SESSION CHARACTERISTICS AS TRANSACTION"_s;
        QTest::newRow("prepare transaction") << u"PREPARE TRANSACTION 'x'"_s << u"PREPARE TRANSACTION"_s;
        QTest::newRow("commit prepared") << u"COMMIT PREPARED 'x'"_s << u"COMMIT PREPARED"_s;
        // Not transaction control, though the words appear.
        QTest::newRow("set local") << u"SET LOCAL lock_timeout = '1s'"_s << QString();
        QTest::newRow("do block") << u"DO $$ BEGIN PERFORM 1; END $$"_s << QString();
        QTest::newRow("string") << u"INSERT INTO t VALUES ('BEGIN; COMMIT')"_s << QString();
        QTest::newRow("column named begin") << u"SELECT \"begin\" FROM t"_s << QString();
        QTest::newRow("function body") << u"CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$BEGIN COMMIT; END$$"_s << QString();
    }

    void transactionControlFromTheParseTree()
    {
        QFETCH(QString, sql);
        QFETCH(QString, kind);
        const StatementInfo info = analyzeStatement(sql);
        QVERIFY(info.parsed);
        QCOMPARE(info.transactionControl, kind);
    }

    void createdIndexFromTheParseTree()
    {
        const StatementInfo a = analyzeStatement(u"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"Big Idx\" ON app.t (x)"_s);
        QVERIFY(a.createdIndex);
        QCOMPARE(a.createdIndex->name, u"Big Idx"_s);
        QCOMPARE(a.createdIndex->schema, u"app"_s);
        QCOMPARE(a.createdIndex->table, u"t"_s);
        QVERIFY(a.createdIndex->concurrently);
        QVERIFY(a.createdIndex->ifNotExists);
        const StatementInfo b = analyzeStatement(u"create index i on t (x)"_s);
        QVERIFY(b.createdIndex);
        QVERIFY(b.createdIndex->schema.isEmpty());
        QVERIFY(!b.createdIndex->concurrently);
        QVERIFY(!analyzeStatement(u"CREATE INDEX ON t (x)"_s).createdIndex); // unnamed: the server picks the name
        QVERIFY(!analyzeStatement(u"SELECT 1"_s).createdIndex);
        QVERIFY(!analyzeStatement(u"SELEC 1"_s).parsed);
    }

    void fingerprintIsStableAcrossFormatting()
    {
        QCOMPARE(fingerprint(u"SELECT a FROM t WHERE b = 1"_s), fingerprint(u"select a\nfrom   t where b=1 -- c"_s));
        QVERIFY(fingerprint(u"SELECT a FROM t"_s) != fingerprint(u"SELECT b FROM t"_s));
    }
};

QTEST_GUILESS_MAIN(TestSql)
#include "test_sql.moc"
