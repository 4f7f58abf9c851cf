#include "core/sql/sqlsplitter.h"

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

    void fingerprintIsStableAcrossFormatting()
    {
        QCOMPARE(fingerprint(u"SELECT a FROM t WHERE b = 1"_s), fingerprint(u"select a\nfrom   t where b=1 -- c"_s));
        QVERIFY(fingerprint(u"SELECT a FROM t"_s) != fingerprint(u"SELECT b FROM t"_s));
    }
};

QTEST_GUILESS_MAIN(TestSql)
#include "test_sql.moc"
