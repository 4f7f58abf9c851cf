// dbops lint as a child process (issue 15): a folder without a database; the same files against a
// real PostgreSQL, read by a least-privileged role, where the live table sizes grade the findings;
// the exit codes (1 when an error is left, --fail-on) and bad input (exit 2, nothing linted).
#include "core/db/pgconnection.h"
#include "tests/support/cli.h"
#include "tests/support/pgfixture.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::PgFixture;
using Run = dbops::test::CliResult;

namespace
{
    void write(const QString &path, const QString &text)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text.toUtf8());
    }

    QJsonObject finding(const QJsonObject &report, const QString &rule, const QString &object)
    {
        for (const QJsonValue &v : report[u"findings"_s].toArray())
            if (v[u"rule"_s].toString() == rule && v[u"object"_s].toString() == object)
                return v.toObject();
        return {};
    }
}

class TestLintCli final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString migrations()
    {
        const QString dir = m_dir.filePath(u"migrations"_s);
        QDir().mkpath(dir);
        write(dir + u"/0001_index_big.sql"_s, u"SET lock_timeout = '2s';\nSET statement_timeout = '1min';\n"
                                              u"CREATE INDEX big_a ON big (a);\nCREATE INDEX empty_a ON empty (a);\n"_s);
        write(dir + u"/0002_drop.sql"_s, u"SET lock_timeout = '2s';\nSET statement_timeout = '1min';\n"
                                         u"-- dbops:lint-ignore ban-drop-column moved to audit.notes in 0001, checked by the DBA\n"
                                         u"ALTER TABLE big DROP COLUMN note;\nALTER TABLE empty DROP COLUMN note;\n"_s);
        return dir;
    }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        QVERIFY(m_dir.isValid());
    }

    void withoutATargetTheRulesOwnSeverities()
    {
        const Run r = dbops::test::runCli({u"lint"_s, migrations(), u"--json"_s});
        QVERIFY2(r.exitCode == 1, qPrintable(r.both())); // the DROP COLUMN of empty is an error
        const QJsonObject report = r.json();
        QCOMPARE(report[u"files"_s].toArray().size(), 2);
        QCOMPARE(finding(report, u"require-concurrent-index-creation"_s, u"big_a"_s)[u"severity"_s].toString(), u"warning"_s);
        QCOMPARE(finding(report, u"ban-drop-column"_s, u"empty.note"_s)[u"severity"_s].toString(), u"error"_s);
        const QJsonObject ignored = finding(report, u"ban-drop-column"_s, u"big.note"_s);
        QCOMPARE(ignored[u"ignored_because"_s].toString(), u"moved to audit.notes in 0001, checked by the DBA"_s);
        QCOMPARE(report[u"ignored"_s].toInt(), 1);
        QVERIFY(report[u"target"_s].isNull());
        const Run never = dbops::test::runCli({u"lint"_s, migrations(), u"--fail-on"_s, u"never"_s});
        QVERIFY2(never.exitCode == 0, qPrintable(never.both()));
        QVERIFY(never.out.contains(u"0002_drop.sql:5:1: error [ban-drop-column]"_s));
    }

    void aTargetsLiveSizesGradeTheFindings()
    {
        const ConnectParams db = PgFixture::newDatabase(u"lintcli"_s);
        auto admin = PgFixture::connect(db);
        admin->exec(u"CREATE TABLE big (id bigint, a int, note text); INSERT INTO big SELECT g, g, 'x' FROM generate_series(1, 20000) g;"
                    "CREATE TABLE empty (id bigint, a int, note text); ANALYZE big; ANALYZE empty;"_s);
        // A role that owns nothing and may only connect: the catalog is enough.
        const QString role = dbops::test::newRole(*admin, u"lintro"_s, u"pw-lintro"_s);
        admin->exec(u"GRANT CONNECT ON DATABASE %1 TO %2"_s.arg(db.value(u"dbname"_s), role));
        const QString target = u"host=%1 port=%2 dbname=%3 user=%4 password=pw-lintro"_s.arg(db.value(u"host"_s), db.value(u"port"_s),
                                                                                             db.value(u"dbname"_s), role);
        const Run r = dbops::test::runCli({u"lint"_s, migrations(), u"--db"_s, target, u"--json"_s});
        // big has rows: its DROP COLUMN stays an error, but it is ignored with its reason; nothing else is an error.
        QVERIFY2(r.exitCode == 0, qPrintable(r.both()));
        const QJsonObject report = r.json();
        QVERIFY(report[u"tables_read"_s].toInt() >= 2);
        const QJsonObject big = finding(report, u"require-concurrent-index-creation"_s, u"big_a"_s);
        QCOMPARE(big[u"severity"_s].toString(), u"warning"_s);
        QVERIFY2(big[u"size"_s].toString().contains(u"~20,000 rows"_s), qPrintable(big[u"size"_s].toString()));
        const QJsonObject empty = finding(report, u"require-concurrent-index-creation"_s, u"empty_a"_s);
        QCOMPARE(empty[u"severity"_s].toString(), u"info"_s);
        QVERIFY(empty[u"size"_s].toString().contains(u"~0 rows"_s));
        QCOMPARE(finding(report, u"ban-drop-column"_s, u"big.note"_s)[u"severity"_s].toString(), u"error"_s);
        // The DROP COLUMN of the empty table is info: nothing is lost.
        QCOMPARE(finding(report, u"ban-drop-column"_s, u"empty.note"_s)[u"severity"_s].toString(), u"info"_s);
        QCOMPARE(report[u"errors"_s].toInt(), 0);
        QVERIFY(!r.both().contains(u"pw-lintro"_s));
    }

    void badInputIsExitTwoNamingIt()
    {
        const Run missing = dbops::test::runCli({u"lint"_s, m_dir.filePath(u"nope"_s)});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains(u"nope: no such file or folder"_s), qPrintable(missing.both()));
        const QString bad = m_dir.filePath(u"bad.sql"_s);
        write(bad, u"CREATE TABLE t (id bigint;\n"_s);
        const Run syntax = dbops::test::runCli({u"lint"_s, bad});
        QCOMPARE(syntax.exitCode, 2);
        QVERIFY2(syntax.err.contains(u"bad.sql:1:"_s) && syntax.err.contains(u"syntax error"_s), qPrintable(syntax.both()));
        const Run option = dbops::test::runCli({u"lint"_s, u"--fail-on"_s, u"sometimes"_s, bad});
        QCOMPARE(option.exitCode, 2);
        QVERIFY(option.err.contains(u"sometimes"_s));
    }
};

QTEST_MAIN(TestLintCli)
#include "test_lint_cli.moc"
