#include "core/migrate/checksum.h"
#include "core/migrate/migrationsource.h"
#include "core/migrate/version.h"
#include "tests/support/cli.h"
#include "tests/support/files.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;

using Files = QList<QPair<QString, QByteArray>>;

namespace
{
    void write(const QString &dir, const QString &name, const QByteArray &bytes)
    {
        dbops::test::writeFile(dir, name, bytes);
    }
}

class TestSource final : public QObject
{
    Q_OBJECT

private slots:
    void names_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("description");
        QTest::addColumn<int>("role");

        QTest::newRow("sqlx") << u"20241019000100_create_users.sql"_s << true << u"20241019000100"_s << u"create users"_s
                              << int(ParsedName::Up);
        QTest::newRow("seed 001") << u"0013_fix_jobs_scheduled_for.sql"_s << true << u"0013"_s << u"fix jobs scheduled for"_s
                                  << int(ParsedName::Up);
        QTest::newRow("reversible up") << u"0002_add_x.up.sql"_s << true << u"0002"_s << u"add x"_s << int(ParsedName::Up);
        QTest::newRow("reversible down") << u"0002_add_x.down.sql"_s << true << u"0002"_s << u"add x"_s << int(ParsedName::Down);
        QTest::newRow("golang-migrate") << u"1_init.up.sql"_s << true << u"1"_s << u"init"_s << int(ParsedName::Up);
        QTest::newRow("flyway V") << u"V1_1__add_column.sql"_s << true << u"1_1"_s << u"add column"_s << int(ParsedName::Up);
        QTest::newRow("flyway dotted") << u"V2.10__x.sql"_s << true << u"2.10"_s << u"x"_s << int(ParsedName::Up);
        QTest::newRow("flyway U") << u"U3__drop.sql"_s << true << u"3"_s << u"drop"_s << int(ParsedName::Down);
        QTest::newRow("flyway R") << u"R__refresh_views.sql"_s << true << QString() << u"refresh views"_s << int(ParsedName::Repeatable);
        QTest::newRow("date id") << u"2026-02-03-001-add-bot-id-column.sql"_s << true << u"2026-02-03-001"_s << u"add bot id column"_s
                                 << int(ParsedName::Up);
        QTest::newRow("no description") << u"0005.sql"_s << true << u"0005"_s << QString() << int(ParsedName::Up);
        QTest::newRow("no version") << u"create_users.sql"_s << false << QString() << QString() << 0;
        QTest::newRow("flyway without __") << u"V1_add.sql"_s << false << QString() << QString() << 0;
        QTest::newRow("not sql") << u"README.md"_s << false << QString() << QString() << 0;
    }

    void names()
    {
        QFETCH(QString, file);
        QFETCH(bool, valid);
        const auto parsed = parseMigrationFileName(file);
        QCOMPARE(parsed.has_value(), valid);
        if (!valid)
            return;
        QFETCH(QString, version);
        QFETCH(QString, description);
        QFETCH(int, role);
        QCOMPARE(parsed->version, version);
        QCOMPARE(parsed->description, description);
        QCOMPARE(int(parsed->role), role);
    }

    void versionOrder_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("expected"); // -1 a<b, 0 equal, 1 a>b
        QTest::newRow("numeric segments") << u"1.9"_s << u"1.10"_s << -1;
        QTest::newRow("leading zeros equal") << u"0013"_s << u"13"_s << 0;
        QTest::newRow("longer is later") << u"1"_s << u"1.1"_s << -1;
        QTest::newRow("timestamps") << u"20241019000100"_s << u"20241019000099"_s << 1;
        QTest::newRow("date ids") << u"2026-02-03-002"_s << u"2026-02-03-010"_s << -1;
        QTest::newRow("underscore") << u"1_2"_s << u"1.2"_s << 0;
        QTest::newRow("beyond int64 digits") << u"2"_s << u"10"_s << -1;
    }

    void versionOrder()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, expected);
        const auto c = Version(a) <=> Version(b);
        QCOMPARE(c < 0 ? -1 : c > 0 ? 1 : 0, expected);
    }

    void loadsAllConventionsInOrder()
    {
        QTemporaryDir dir;
        write(dir.path(), u"2_second.sql"_s, "CREATE TABLE b (x int);");
        write(dir.path(), u"10_tenth.up.sql"_s, "CREATE TABLE j (x int);");
        write(dir.path(), u"10_tenth.down.sql"_s, "DROP TABLE j;");
        write(dir.path(), u"1_first.sql"_s, "-- dbops:no-transaction\nCREATE INDEX CONCURRENTLY i ON a (x);");
        write(dir.path(), u"R__views.sql"_s, "CREATE OR REPLACE VIEW v AS SELECT 1;");
        write(dir.path(), u"README.md"_s, "not a migration");
        auto set = loadMigrations(dir.path());
        QVERIFY2(set.has_value(), qPrintable(set ? QString() : set.error().toString()));
        QCOMPARE(set->migrations.size(), 4);
        QCOMPARE(set->migrations[0].version.text(), u"1"_s);
        QVERIFY(set->migrations[0].up.noTransaction);
        QCOMPARE(set->migrations[1].version.text(), u"2"_s);
        QCOMPARE(set->migrations[2].version.text(), u"10"_s);
        QVERIFY(set->migrations[2].down.has_value());
        QCOMPARE(set->migrations[2].down->statements.size(), 1);
        QVERIFY(set->migrations[3].isRepeatable());
        QCOMPARE(set->migrations[1].up.checksum, sha256("CREATE TABLE b (x int);"));
    }

    void sqlxNoTransactionMarker()
    {
        QTemporaryDir dir;
        write(dir.path(), u"1_a.sql"_s, "-- no-transaction\nVACUUM;");
        auto set = loadMigrations(dir.path());
        QVERIFY(set.has_value());
        QVERIFY(set->migrations[0].up.noTransaction);
    }

    void badInput_data()
    {
        QTest::addColumn<Files>("files");
        QTest::addColumn<QString>("expected");
        QTest::newRow("duplicate version") << Files{{u"0001_a.sql"_s, "SELECT 1;"}, {u"1_b.sql"_s, "SELECT 2;"}} << u"duplicate version"_s;
        QTest::newRow("unparsable name") << Files{{u"0001_a.sql"_s, "SELECT 1;"}, {u"add_users.sql"_s, "SELECT 2;"}}
                                         << u"add_users.sql: the name follows no migration convention"_s;
        QTest::newRow("not utf-8") << Files{{u"0001_a.sql"_s, "SELECT '\xff\xfe';"}} << u"0001_a.sql: is not valid UTF-8"_s;
        QTest::newRow("empty") << Files{{u"0001_a.sql"_s, ""}} << u"0001_a.sql: is empty"_s;
        QTest::newRow("only comments") << Files{{u"0001_a.sql"_s, "-- todo\n"}} << u"0001_a.sql: has no SQL statements"_s;
        QTest::newRow("down without up") << Files{{u"0002_b.down.sql"_s, "DROP TABLE b;"}}
                                         << u"0002_b.down.sql: a down/undo file without its up"_s;
        QTest::newRow("syntax error") << Files{{u"0001_a.sql"_s, "SELECT 1;\nCREATE TABEL x (a int);"}}
                                      << u"0001_a.sql: syntax error at 0001_a.sql:2:8"_s;
    }

    void badInput()
    {
        QFETCH(Files, files);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        for (const auto &[name, bytes] : files)
            write(dir.path(), name, bytes);
        auto set = loadMigrations(dir.path());
        QVERIFY(!set);
        QCOMPARE(int(set.error().code), int(ErrorCode::BadInput));
        QCOMPARE(set.error().exitCode(), 2);
        const QString all = set.error().message + u'\n' + set.error().detail;
        QVERIFY2(all.contains(expected), qPrintable(all));
    }

    /// Every entry named like a migration that cannot be read is bad input, named, never skipped
    /// (or later migrations would be applied past it).
    void unreadableEntries_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("dangling symlink") << u"dangling"_s << u"0002_b.sql: a dangling symbolic link to"_s;
        QTest::newRow("symlink loop") << u"loop"_s << u"0002_b.sql: a symbolic link loop"_s;
        QTest::newRow("folder") << u"folder"_s << u"0002_b.sql: is a folder"_s;
        QTest::newRow("fifo") << u"fifo"_s << u"0002_b.sql: is not a regular file"_s;
    }

    void unreadableEntries()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        write(dir.path(), u"0001_a.sql"_s, "SELECT 1;");
        write(dir.path(), u"0003_c.sql"_s, "SELECT 3;");
        const QString entry = dir.filePath(u"0002_b.sql"_s);
        if (kind == u"dangling"_s)
            QVERIFY(QFile::link(dir.filePath(u"gone.txt"_s), entry));
        else if (kind == u"loop"_s)
        {
            QVERIFY(QFile::link(dir.filePath(u"0002_other.txt"_s), entry));
            QVERIFY(QFile::link(entry, dir.filePath(u"0002_other.txt"_s)));
        }
        else if (kind == u"folder"_s)
            QVERIFY(QDir(dir.path()).mkdir(u"0002_b.sql"_s));
        else
            QCOMPARE(QProcess::execute(u"mkfifo"_s, {entry}), 0);
        auto set = loadMigrations(dir.path());
        QVERIFY(!set);
        QCOMPARE(set.error().exitCode(), 2);
        const QString all = set.error().message + u'\n' + set.error().detail;
        QVERIFY2(all.contains(expected), qPrintable(all));
    }

    /// A file without read permission (as a user other than root: root reads everything).
    void unreadableFileAsOtherUser()
    {
        QTemporaryDir dir;
        dir.setAutoRemove(true);
        QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ReadOther
                                              | QFileDevice::ExeOther | QFileDevice::ReadGroup | QFileDevice::ExeGroup);
        write(dir.path(), u"0001_a.sql"_s, "SELECT 1;");
        write(dir.path(), u"0002_b.sql"_s, "SELECT 2;");
        QFile::setPermissions(dir.filePath(u"0001_a.sql"_s), QFileDevice::ReadOwner | QFileDevice::ReadOther | QFileDevice::ReadGroup);
        QFile::setPermissions(dir.filePath(u"0002_b.sql"_s), QFileDevice::WriteOwner);
        QStringList command = {QString::fromLocal8Bit(qgetenv("DBOPS_CLI")),
                               u"info"_s,
                               u"--db"_s,
                               u"postgresql://127.0.0.1:1/x"_s,
                               u"--migrations"_s,
                               dir.path()};
        if (::geteuid() == 0)
        {
            // Root reads everything: run the CLI as an unprivileged user. Its binary must be reachable.
            if (QProcess::execute(u"runuser"_s, {u"-u"_s, u"nobody"_s, u"--"_s, command.first(), u"--version"_s}) != 0)
                QFAIL("the dbops binary is not executable by 'nobody' (build folder under a private home?)");
            command = QStringList{u"-u"_s, u"nobody"_s, u"--"_s} + command;
            command.prepend(u"runuser"_s);
        }
        QProcess p;
        p.setProgram(command.takeFirst());
        p.setArguments(command);
        p.setProcessEnvironment(dbops::test::cliEnvironment({}, dir.filePath(u"home"_s)));
        p.start();
        QVERIFY(p.waitForFinished(60000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(err.contains(u"0002_b.sql: cannot be read"_s), qPrintable(err));
    }

    void missingFolder()
    {
        auto set = loadMigrations(u"/nonexistent/migrations"_s);
        QVERIFY(!set);
        QVERIFY(set.error().message.contains(u"/nonexistent/migrations"_s));
    }

    void classify_data()
    {
        QTest::addColumn<QByteArray>("applied");
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<int>("kind");
        const QByteArray sql = "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\n";
        QTest::newRow("same") << sql << sql << int(MismatchKind::None);
        QTest::newRow("CRLF") << sql << toCrlf(sql) << int(MismatchKind::LineEndings);
        QTest::newRow("back to LF") << toCrlf(sql) << sql << int(MismatchKind::LineEndings);
        QTest::newRow("BOM added") << sql << addBom(sql) << int(MismatchKind::Bom);
        QTest::newRow("BOM and CRLF") << sql << addBom(toCrlf(sql)) << int(MismatchKind::Bom);
        QTest::newRow("comment") << sql << QByteArray("-- why\n" + sql) << int(MismatchKind::WhitespaceComments);
        QTest::newRow("literal changed") << sql << QByteArray(sql).replace("(1)", "(2)") << int(MismatchKind::SqlChanged);
    }

    void classify()
    {
        QFETCH(QByteArray, applied);
        QFETCH(QByteArray, file);
        QFETCH(int, kind);
        const auto kindOf = [&](const QString &appliedSql) {
            return classifyMismatch(
                file, sha256(applied), [](const QByteArray &b) { return sha256(b); }, appliedSql);
        };
        QCOMPARE(int(kindOf(QString::fromUtf8(applied))), kind);
        // Without the applied SQL (formats that keep only a checksum), cosmetic cases are still recognised.
        if (kind == int(MismatchKind::LineEndings) || kind == int(MismatchKind::Bom) || kind == int(MismatchKind::None))
            QCOMPARE(int(kindOf(QString())), kind);
        else
            QCOMPARE(int(kindOf(QString())), int(MismatchKind::Unknown));
    }
};

QTEST_GUILESS_MAIN(TestSource)
#include "test_source.moc"
