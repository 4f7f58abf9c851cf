// The real dbops binary: help, exit codes, profiles add/list/test/remove, and no password ever on disk.
#include "core/db/pgconnection.h"
#include "tests/support/cli.h"
#include "tests/support/pgfixture.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::PgFixture;

namespace
{
    using Run = dbops::test::CliResult;
}

class TestCli final : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_home;

    Run dbops(const QStringList &args, const QMap<QString, QString> &extraEnv = {})
    {
        QStringList env{u"PGPASSFILE=/nonexistent/dbops-test-pgpass"_s};
        for (auto it = extraEnv.begin(); it != extraEnv.end(); ++it)
            env << it.key() + u'=' + it.value();
        return dbops::test::runCli(args, {.env = env, .home = m_home->path(), .closedStdin = true});
    }

    /// Every file under DBOPS_HOME (store, WAL, logs) concatenated.
    QByteArray everythingOnDisk() const
    {
        QByteArray all;
        QDirIterator it(m_home->path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext())
        {
            QFile f(it.next());
            if (f.open(QIODevice::ReadOnly))
                all += f.readAll();
        }
        return all;
    }

    QByteArray logFile() const
    {
        QFile f(m_home->path() + u"/logs/dbops.log"_s);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    QJsonArray profilesJson()
    {
        const Run r = dbops({u"profiles"_s, u"list"_s, u"--json"_s});
        if (r.exitCode != 0)
            return {};
        return QJsonDocument::fromJson(r.out.toUtf8()).object()[u"profiles"_s].toArray();
    }

    /// A role with a password, in a fresh database it owns; returns {role, url without password}.
    QPair<QString, QString> roleWithPassword(const QString &password)
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli"_s);
        auto admin = PgFixture::connect(db);
        const QString role = dbops::test::newRole(*admin, u"cli_role"_s, password);
        const QString dbname = db.value(u"dbname"_s);
        const QString url =
            u"postgresql://%1@/%2?host=%3&port=%4"_s.arg(role, dbname, PgFixture::sandbox().socketDir()).arg(PgFixture::sandbox().port());
        return {role, url};
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(PgFixture::cliPath()).isExecutable(),
                 qPrintable(u"DBOPS_CLI is not set to the dbops binary: "_s + PgFixture::cliPath()));
        DBOPS_REQUIRE_PG();
    }

    void init()
    {
        m_home = std::make_unique<QTemporaryDir>();
        QVERIFY(m_home->isValid());
    }

    void versionAndHelp()
    {
        const Run v = dbops({u"--version"_s});
        QCOMPARE(v.exitCode, 0);
        QVERIFY2(v.out.startsWith(u"dbops "_s) && v.out.contains(QStringLiteral(DBOPS_VERSION_FOR_TESTS)), qPrintable(v.both()));
        const Run h = dbops({u"--help"_s});
        QCOMPARE(h.exitCode, 0);
        QVERIFY(h.out.contains(u"Usage: dbops"_s));
        QVERIFY(h.out.contains(u"profiles"_s));
        QVERIFY(h.out.contains(u"sandbox"_s));
        QVERIFY(h.out.contains(u"Exit codes"_s));
    }

    void subcommandHelp_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("usage");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("profiles") << QStringList{u"profiles"_s, u"--help"_s} << u"Usage: dbops profiles list"_s << u"profiles add NAME"_s;
        QTest::newRow("profiles list") << QStringList{u"profiles"_s, u"list"_s, u"--help"_s} << u"Usage: dbops profiles list"_s
                                       << u"--json"_s;
        QTest::newRow("profiles add") << QStringList{u"profiles"_s, u"add"_s, u"--help"_s} << u"Usage: dbops profiles add"_s << u"--url"_s;
        QTest::newRow("profiles remove") << QStringList{u"profiles"_s, u"remove"_s, u"--help"_s} << u"Usage: dbops profiles remove"_s
                                         << u"name"_s;
        QTest::newRow("profiles test") << QStringList{u"profiles"_s, u"test"_s, u"--help"_s} << u"Usage: dbops profiles test"_s
                                       << u"--db"_s;
        QTest::newRow("sandbox") << QStringList{u"sandbox"_s, u"--help"_s} << u"Usage: dbops sandbox"_s << u"start|stop|url|status"_s;
    }
    void subcommandHelp()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, usage);
        QFETCH(QString, mentions);
        const Run r = dbops(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(usage), qPrintable(r.both()));
        QVERIFY2(r.out.contains(mentions), qPrintable(r.both()));
        QVERIFY2(!r.out.contains(u"test_cli"_s) && !r.out.contains(PgFixture::cliPath()), "help names the command, not a path");
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown command") << QStringList{u"frobnicate"_s} << u"unknown command 'frobnicate'"_s;
        QTest::newRow("unknown subcommand") << QStringList{u"profiles"_s, u"frob"_s} << u"unknown subcommand 'frob'"_s;
        QTest::newRow("unknown option") << QStringList{u"profiles"_s, u"list"_s, u"--nope"_s} << u"nope"_s;
        QTest::newRow("add without name") << QStringList{u"profiles"_s, u"add"_s} << u"exactly one NAME"_s;
        QTest::newRow("bad environment") << QStringList{u"profiles"_s, u"add"_s, u"x"_s, u"--env"_s, u"qa"_s, u"--host"_s, u"h"_s}
                                         << u"unknown environment 'qa'"_s;
        QTest::newRow("bad port option") << QStringList{u"profiles"_s, u"add"_s, u"x"_s, u"--host"_s, u"h"_s, u"--port"_s, u"abc"_s}
                                         << u"--port 'abc'"_s;
        QTest::newRow("remove missing") << QStringList{u"profiles"_s, u"remove"_s, u"ghost"_s} << u"no profile named 'ghost'"_s;
        QTest::newRow("test without target") << QStringList{u"profiles"_s, u"test"_s} << u"no target"_s;
        QTest::newRow("sandbox bad action") << QStringList{u"sandbox"_s, u"explode"_s} << u"unknown sandbox action"_s;
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const Run r = dbops(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.both()));
    }

    void malformedUrlIsRefused_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("port") << u"postgresql://host:notaport/db"_s << u"notaport"_s;
        QTest::newRow("ipv6") << u"postgresql://[::1"_s << u"]"_s;
        QTest::newRow("keyword") << u"host=a = b"_s << u"="_s;
        QTest::newRow("sslmode") << u"postgresql://h/db?sslmode=always"_s << u"always"_s;
    }
    void malformedUrlIsRefused()
    {
        QFETCH(QString, url);
        QFETCH(QString, mentions);
        const Run r = dbops({u"profiles"_s, u"add"_s, u"broken"_s, u"--url"_s, url});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"invalid connection string"_s) && r.err.contains(mentions), qPrintable(r.both()));
        QCOMPARE(profilesJson().size(), 0);
    }

    void profileLifecycle_data()
    {
        QTest::addColumn<bool>("useUri");
        QTest::newRow("uri") << true;
        QTest::newRow("keyword string") << false;
    }
    void profileLifecycle()
    {
        QFETCH(bool, useUri);
        const ConnectParams db = PgFixture::newDatabase(u"cli"_s);
        const QString url = useUri ? PgFixture::sandbox().url(db.value(u"dbname"_s)) : db.toDisplayString();
        const Run add = dbops({u"profiles"_s, u"add"_s, u"prod"_s, u"--env"_s, u"production"_s, u"--url"_s, url});
        QVERIFY2(add.exitCode == 0, qPrintable(add.both()));
        QVERIFY(add.out.contains(u"Added profile 'prod' (production)"_s));

        const QJsonArray list = profilesJson();
        QCOMPARE(list.size(), 1);
        const QJsonObject prod = list.first().toObject();
        QCOMPARE(prod[u"name"_s].toString(), u"prod"_s);
        QCOMPARE(prod[u"environment"_s].toString(), u"production"_s);
        QCOMPARE(prod[u"kind"_s].toString(), u"postgres"_s);
        QVERIFY(prod[u"target"_s].toString().endsWith(u"/"_s + db.value(u"dbname"_s)));

        const Run plain = dbops({u"profiles"_s, u"list"_s});
        QCOMPARE(plain.exitCode, 0);
        QVERIFY2(plain.out.contains(u"PRODUCTION"_s) && plain.out.contains(u"prod"_s), qPrintable(plain.both()));

        const Run test = dbops({u"profiles"_s, u"test"_s, u"prod"_s, u"--json"_s});
        QVERIFY2(test.exitCode == 0, qPrintable(test.both()));
        const QJsonObject info = QJsonDocument::fromJson(test.out.toUtf8()).object();
        QVERIFY2(info[u"server_version"_s].toString().startsWith(u"15."_s), qPrintable(test.out));
        QCOMPARE(info[u"superuser"_s].toBool(), true);
        QCOMPARE(info[u"current_user"_s].toString(), u"postgres"_s);
        QCOMPARE(info[u"database"_s].toString(), db.value(u"dbname"_s));
        QVERIFY(info[u"latency_ms"_s].toDouble() > 0);

        const Run text = dbops({u"profiles"_s, u"test"_s, u"prod"_s});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains(u"PostgreSQL 15."_s) && text.out.contains(u"(superuser)"_s), qPrintable(text.both()));

        // The same name again is refused.
        const Run dup = dbops({u"profiles"_s, u"add"_s, u"prod"_s, u"--url"_s, url});
        QCOMPARE(dup.exitCode, 2);
        QVERIFY(dup.err.contains(u"already exists"_s));

        const Run rm = dbops({u"profiles"_s, u"remove"_s, u"prod"_s});
        QVERIFY2(rm.exitCode == 0, qPrintable(rm.both()));
        QCOMPARE(profilesJson().size(), 0);
        QCOMPARE(dbops({u"profiles"_s, u"test"_s, u"prod"_s}).exitCode, 2);
    }

    void testWithDbTarget()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli"_s);
        const Run r = dbops({u"profiles"_s, u"test"_s, u"--db"_s, PgFixture::sandbox().url(db.value(u"dbname"_s)), u"--json"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.both()));
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object()[u"database"_s].toString(), db.value(u"dbname"_s));
        const Run env = dbops({u"profiles"_s, u"test"_s, u"--json"_s}, {{u"DATABASE_URL"_s, db.toDisplayString()}});
        QVERIFY2(env.exitCode == 0, qPrintable(env.both()));
    }

    void passwordInUrlWithoutKeychain()
    {
        const auto [role, url] = roleWithPassword(u"Sup3rSecretPw"_s);
        QString withPassword = url;
        withPassword.replace(role + u'@', role + u":Sup3rSecretPw@"_s);
        const Run r = dbops({u"profiles"_s, u"add"_s, u"staging"_s, u"--env"_s, u"staging"_s, u"--url"_s, withPassword});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"no OS keychain"_s) && r.err.contains(u"Nothing was saved"_s), qPrintable(r.both()));
        QCOMPARE(profilesJson().size(), 0);
        QVERIFY(!r.out.contains(u"Sup3rSecretPw"_s));
        QVERIFY(!r.err.contains(u"Sup3rSecretPw"_s));
        QVERIFY(!everythingOnDisk().contains("Sup3rSecretPw"));
    }

    void wrongPasswordExits3()
    {
        const auto [role, url] = roleWithPassword(u"RightPw123"_s);
        QString wrong = url;
        wrong.replace(role + u'@', role + u":WrongPw456@"_s);
        const Run r = dbops({u"profiles"_s, u"test"_s, u"--db"_s, wrong});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(u"password authentication failed for user \"%1\""_s.arg(role)), qPrintable(r.both()));
        QVERIFY(!r.err.contains(u"retry"_s)); // authentication failures are not retried
        QVERIFY(!r.out.contains(u"WrongPw456"_s) && !r.err.contains(u"WrongPw456"_s));
        const QByteArray disk = everythingOnDisk();
        QVERIFY(!logFile().isEmpty());
        QVERIFY(!disk.contains("WrongPw456"));

        // The right password in the URL works for this run only, and is not kept either.
        QString right = url;
        right.replace(role + u'@', role + u":RightPw123@"_s);
        const Run ok = dbops({u"profiles"_s, u"test"_s, u"--db"_s, right, u"--json"_s});
        QVERIFY2(ok.exitCode == 0, qPrintable(ok.both()));
        QCOMPARE(QJsonDocument::fromJson(ok.out.toUtf8()).object()[u"current_user"_s].toString(), role);
        QCOMPARE(QJsonDocument::fromJson(ok.out.toUtf8()).object()[u"superuser"_s].toBool(), false);
        QVERIFY(!everythingOnDisk().contains("RightPw123"));
    }

    void savedProfileWithoutPassword()
    {
        const auto [role, url] = roleWithPassword(u"NeverStored9"_s);
        const Run add = dbops({u"profiles"_s, u"add"_s, u"app"_s, u"--url"_s, url});
        QVERIFY2(add.exitCode == 0, qPrintable(add.both()));
        // No password anywhere (no keychain, no .pgpass, no terminal): exit 3, and it says why.
        const Run r = dbops({u"profiles"_s, u"test"_s, u"app"_s});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(u"no password supplied"_s), qPrintable(r.both()));
        // PGPASSWORD is honoured by libpq, and never written down by us.
        const Run ok = dbops({u"profiles"_s, u"test"_s, u"app"_s, u"--json"_s}, {{u"PGPASSWORD"_s, u"NeverStored9"_s}});
        QVERIFY2(ok.exitCode == 0, qPrintable(ok.both()));
        QVERIFY(!everythingOnDisk().contains("NeverStored9"));
    }

    void unreachableServerExits3()
    {
        const Run r = dbops({u"profiles"_s, u"test"_s, u"--db"_s, u"host=/nonexistent/socket/dir port=5999 user=x connect_timeout=2"_s});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(u"/nonexistent/socket/dir"_s), qPrintable(r.both()));
    }

    /// A stray word is refused by every command (exit 2) before anything connects:
    /// "migrate 0001" must never mean "migrate everything".
    void strayArgumentsAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        const QString db = u"postgresql://127.0.0.1:1/nowhere?connect_timeout=1"_s;
        for (const char *command : {"info", "migrate", "validate", "repair", "adopt", "locks", "backup"})
            QTest::newRow(command) << QStringList{QString::fromLatin1(command), u"--db"_s, db, u"0001"_s};
        QTest::newRow("baseline") << QStringList{u"baseline"_s, u"--db"_s, db, u"--version"_s, u"1"_s, u"junk"_s};
        QTest::newRow("down") << QStringList{u"down"_s, u"--db"_s, db, u"--target"_s, u"1"_s, u"junk"_s};
        QTest::newRow("cancel two pids") << QStringList{u"cancel"_s, u"--db"_s, db, u"12"_s, u"13"_s};
        QTest::newRow("restore two archives") << QStringList{u"restore"_s, u"--db"_s, db, u"1"_s, u"2"_s, u"--into"_s, u"x"_s};
        QTest::newRow("backups list junk") << QStringList{u"backups"_s, u"list"_s, u"junk"_s};
        QTest::newRow("backups verify extra") << QStringList{u"backups"_s, u"verify"_s, u"1"_s, u"junk"_s};
        QTest::newRow("sandbox extra") << QStringList{u"sandbox"_s, u"status"_s, u"junk"_s};
        QTest::newRow("profiles list junk") << QStringList{u"profiles"_s, u"list"_s, u"junk"_s};
        QTest::newRow("profiles remove two") << QStringList{u"profiles"_s, u"remove"_s, u"a"_s, u"b"_s};
    }
    void strayArgumentsAreRefused()
    {
        QFETCH(QStringList, args);
        const Run r = dbops(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"unexpected argument"_s), qPrintable(r.both()));
        QVERIFY2(!r.err.contains(u"Connection refused"_s), "nothing may connect before the arguments are checked");
    }

    /// connect_timeout=abc is bad input at once, never a "transient" failure to retry.
    void connectOptionNotANumberIsBadInput()
    {
        const Run r = dbops({u"info"_s, u"--db"_s, u"postgresql://127.0.0.1:1/x?connect_timeout=abc"_s, u"--migrations"_s, m_home->path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"connect_timeout \"abc\""_s), qPrintable(r.both()));
        QVERIFY2(!r.err.contains(u"retry"_s, Qt::CaseInsensitive), qPrintable(r.both()));
    }

    /// Every command with --json prints one JSON document, errors included, with the same exit code.
    void jsonErrorIsOneDocument_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("usage: stray argument") << QStringList{u"migrate"_s, u"--json"_s, u"--db"_s, u"host=x"_s, u"0001"_s} << u"usage"_s
                                               << 2;
        QTest::newRow("usage: unknown option") << QStringList{u"info"_s, u"--json"_s, u"--frobnicate"_s} << u"usage"_s << 2;
        QTest::newRow("bad url") << QStringList{u"locks"_s, u"--json"_s, u"--db"_s, u"postgresql://h:notaport/x"_s} << u"bad_input"_s << 2;
        QTest::newRow("no target") << QStringList{u"info"_s, u"--json"_s} << u"usage"_s << 2;
        QTest::newRow("unknown backup") << QStringList{u"backups"_s, u"verify"_s, u"999"_s, u"--json"_s} << u"not_found"_s << 2;
        QTest::newRow("unreachable") << QStringList{u"profiles"_s, u"test"_s, u"--json"_s, u"--db"_s,
                                                    u"host=/nonexistent/socket/dir port=5999 user=x connect_timeout=2"_s}
                                     << u"connect"_s << 3;
    }
    void jsonErrorIsOneDocument()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, code);
        QFETCH(int, exitCode);
        const Run r = dbops(args);
        QCOMPARE(r.exitCode, exitCode);
        QJsonParseError parseError{};
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &parseError);
        QVERIFY2(parseError.error == QJsonParseError::NoError && doc.isObject(), qPrintable(r.both()));
        const QJsonObject error = doc.object().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"code"_s).toString(), code);
        QCOMPARE(error.value(u"exit_code"_s).toInt(), exitCode);
        QVERIFY(!error.value(u"message"_s).toString().isEmpty());
    }

    /// A password typed in --db is warned about and hidden from our own process list entry.
    void passwordInArgvIsWarnedAndHidden()
    {
        const ConnectParams db = PgFixture::newDatabase(u"cli"_s);
        const QString url =
            u"postgresql://postgres:Visible7Secret@/%1?host=%2&port=%3"_s.arg(db.value(u"dbname"_s), PgFixture::sandbox().socketDir())
                .arg(PgFixture::sandbox().port());
        QProcess p;
        p.setProcessEnvironment(dbops::test::cliEnvironment({}, m_home->path()));
        p.start(PgFixture::cliPath(), {u"locks"_s, u"--watch"_s, u"1"_s, u"--db"_s, url});
        QVERIFY(p.waitForStarted(10000));
        const QString cmdline = u"/proc/%1/cmdline"_s.arg(p.processId());
        const auto readCmdline = [&] {
            QFile f(cmdline);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        // Wait until it has shown the locks once (it is past start-up), then look at its argv.
        QTRY_VERIFY_WITH_TIMEOUT(p.bytesAvailable() > 0 || p.state() != QProcess::Running, 60000);
        const QByteArray seen = readCmdline();
        p.kill();
        p.waitForFinished(10000);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(u"--db carries a password"_s) && err.contains(u"DATABASE_URL"_s), qPrintable(err));
        QVERIFY2(!err.contains(u"Visible7Secret"_s), "the warning never repeats the password");
        QVERIFY2(seen.contains("locks") && !seen.contains("Visible7Secret"), seen.constData());
    }

    void sandboxStatusWithPrivateHome()
    {
        const Run r = dbops({u"sandbox"_s, u"status"_s});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.out.startsWith(u"stopped"_s), qPrintable(r.both()));
        const Run url = dbops({u"sandbox"_s, u"url"_s});
        QCOMPARE(url.exitCode, 3);
        QVERIFY(url.err.contains(u"dbops sandbox start"_s));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
