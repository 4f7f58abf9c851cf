// The backup CLI end to end (the built dbops, a private DBOPS_HOME): backup/backups/restore, exit
// codes, and the automatic pre-migration backup of production profiles.
#include "tests/migrate/migratetestutil.h"
#include "tests/support/pgfixture.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

class TestBackupCli final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    static QJsonObject json(const CliResult &r)
    {
        return QJsonDocument::fromJson(r.out.toUtf8()).object();
    }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        QVERIFY(m_dir.isValid());
    }

    void backupListVerifyRestore()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli"_s);
        PgFixture::connect(db)->exec(u"CREATE TABLE n(x int); INSERT INTO n SELECT generate_series(1, 1234)"_s);
        const QString url = PgFixture::sandbox().url(db.value(u"dbname"_s));

        const CliResult b = runCli({u"backup"_s, u"--db"_s, url, u"--label"_s, u"nightly"_s, u"--json"_s});
        QVERIFY2(b.exitCode == 0, qPrintable(b.err));
        const QJsonObject e = json(b);
        QCOMPARE(e.value(u"verification"_s).toString(), u"verified"_s);
        QCOMPARE(e.value(u"label"_s).toString(), u"nightly"_s);
        QCOMPARE(e.value(u"sha256"_s).toString().size(), 64);
        QCOMPARE(e.value(u"pg_dump_version"_s).toString().section(u'.', 0, 0), u"15"_s);
        QVERIFY(QFileInfo(e.value(u"path"_s).toString()).size() == e.value(u"size"_s).toInteger());
        const QString id = QString::number(e.value(u"id"_s).toInteger());

        const CliResult list = runCli({u"backups"_s, u"--json"_s});
        QVERIFY2(list.exitCode == 0, qPrintable(list.err));
        QVERIFY(!json(list).value(u"backups"_s).toArray().isEmpty());
        QVERIFY2(runCli({u"backups"_s}).out.contains(u"nightly"_s), "the table lists the label");

        const CliResult v = runCli({u"backups"_s, u"verify"_s, id});
        QVERIFY2(v.exitCode == 0 && v.out.contains(u"verified"_s), qPrintable(v.out + v.err));

        const QString copy = db.value(u"dbname"_s) + u"_copy"_s;
        const CliResult r = runCli({u"restore"_s, id, u"--db"_s, url, u"--into"_s, copy});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(PgFixture::connect(PgFixture::sandbox().connectParams(copy))->exec(u"SELECT count(*) FROM n"_s).value(0, 0).toInt(), 1234);

        // Replace without the typed confirmation: refused, exit 2.
        const CliResult noConfirm = runCli({u"restore"_s, id, u"--db"_s, url, u"--replace"_s, copy});
        QCOMPARE(noConfirm.exitCode, 2);

        // A flipped byte: refused before anything is touched, exit 2.
        QFile f(e.value(u"path"_s).toString());
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(f.size() / 2);
        char c = 0;
        f.getChar(&c);
        f.seek(f.size() / 2);
        f.putChar(char(c ^ 0x01));
        f.close();
        const CliResult bad = runCli({u"restore"_s, id, u"--db"_s, url, u"--into"_s, u"never_cli"_s});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(u"SHA-256"_s), qPrintable(bad.err));
    }

    void missingPgDumpIsAClearError()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli_tools"_s);
        const CliResult r = runCli({u"backup"_s, u"--db"_s, PgFixture::sandbox().url(db.value(u"dbname"_s))},
                                   {u"DBOPS_PG_TOOLS_DIR="_s + m_dir.filePath(u"no-such-folder"_s)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"postgresql-client-15"_s) && r.err.contains(u"PostgreSQL 15"_s), qPrintable(r.err));
    }

    void productionMigrateTakesAVerifiedBackupFirst()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli_prod"_s);
        const QString name = db.value(u"dbname"_s);
        const QString profile = u"prod-"_s + name;
        const CliResult added = runCli({u"profiles"_s, u"add"_s, profile, u"--env"_s, u"production"_s, u"--host"_s,
                                        PgFixture::sandbox().socketDir(), u"--port"_s, QString::number(PgFixture::sandbox().port()),
                                        u"--dbname"_s, name, u"--user"_s, u"postgres"_s});
        QVERIFY2(added.exitCode == 0, qPrintable(added.err));
        const QString migrations = m_dir.filePath(u"migrations-"_s + name);
        copyDemoMigrations(migrations);

        const CliResult m = runCli({u"migrate"_s, u"--profile"_s, profile, u"--migrations"_s, migrations, u"--confirm"_s, name});
        QVERIFY2(m.exitCode == 0, qPrintable(m.err));
        const QJsonArray entries = json(runCli({u"backups"_s, u"--profile"_s, profile, u"--json"_s})).value(u"backups"_s).toArray();
        QCOMPARE(entries.size(), 1);
        const QJsonObject e = entries[0].toObject();
        QCOMPARE(e.value(u"kind"_s).toString(), u"pre-migration"_s);
        QCOMPARE(e.value(u"verification"_s).toString(), u"verified"_s);
        const QString id = QString::number(e.value(u"id"_s).toInteger());
        auto conn = PgFixture::connect(db);
        const QueryResult rows = conn->exec(u"SELECT count(*) AS n, count(*) FILTER (WHERE backup_id = $1) AS ref FROM dbops_schema_history "
                                            u"WHERE type = 'SQL'"_s,
                                            {id});
        QVERIFY(rows.value(0, u"n"_s).toInt() > 0);
        QCOMPARE(rows.value(0, u"ref"_s).toInt(), rows.value(0, u"n"_s).toInt());

        // Switched off for the profile: no backup.
        QCOMPARE(runCli({u"backups"_s, u"policy"_s, u"--profile"_s, profile, u"--pre-migration"_s, u"off"_s}).exitCode, 0);
        writeFile(migrations, u"9999_extra.sql"_s, "CREATE TABLE extra_after_switch(x int);\n");
        const CliResult m2 = runCli({u"migrate"_s, u"--profile"_s, profile, u"--migrations"_s, migrations, u"--confirm"_s, name});
        QVERIFY2(m2.exitCode == 0, qPrintable(m2.err));
        QCOMPARE(json(runCli({u"backups"_s, u"--profile"_s, profile, u"--json"_s})).value(u"backups"_s).toArray().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestBackupCli)
#include "test_backup_cli.moc"
