// The declarative CLI driver, through the real dbops binary: for every command, anything unknown,
// extra, missing, ill-typed or conflicting is exit 2 naming what is wrong, before anything
// connects or changes. The target is an unreachable server: a connection attempt would show as
// exit 3 ("Connection refused"); nothing may reach it.
#include "tests/support/pgfixture.h"

#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using dbops::test::PgFixture;

namespace
{
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
        QString both() const { return out + u"\n--- stderr ---\n"_s + err; }
    };

    /// A server nobody listens on: connecting fails at once with "Connection refused" (exit 3).
    const QString kNowhere = u"postgresql://127.0.0.1:1/nowhere?connect_timeout=1"_s;

    /// Every command that takes a target, with what it needs besides to get past its own checks.
    const QList<QStringList> &targetCommands()
    {
        static const QList<QStringList> all{
            {u"info"_s},
            {u"migrate"_s},
            {u"validate"_s},
            {u"repair"_s},
            {u"baseline"_s, u"--version"_s, u"1"_s},
            {u"down"_s, u"--target"_s, u"1"_s},
            {u"adopt"_s, u"--yes"_s},
            {u"locks"_s},
            {u"cancel"_s, u"12"_s, u"--yes"_s},
            {u"terminate"_s, u"12"_s, u"--yes"_s},
            {u"profiles"_s, u"test"_s},
            {u"backup"_s},
            {u"restore"_s, u"1"_s, u"--into"_s, u"copy"_s},
        };
        return all;
    }

    /// Every command and subcommand, as typed (for --help and unknown options).
    QList<QStringList> everyCommand()
    {
        QList<QStringList> all;
        for (const QStringList &c : targetCommands())
            all.append(c.first() == u"profiles"_s ? c.mid(0, 2) : c.mid(0, 1));
        for (const char *sub : {"list", "add", "remove"})
            all.append({u"profiles"_s, QString::fromLatin1(sub)});
        for (const char *sub : {"list", "verify", "test-restore", "policy", "tools"})
            all.append({u"backups"_s, QString::fromLatin1(sub)});
        all.append({u"sandbox"_s});
        return all;
    }
}

class TestCliDriver final : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_home;

    Run dbops(const QStringList &args, const QMap<QString, QString> &extraEnv = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DBOPS_HOME"_s, m_home->path());
        env.insert(u"DBOPS_KEYCHAIN"_s, u"off"_s);
        for (const char *name : {"PGPASSWORD", "DATABASE_URL", "DBOPS_DEBUG", "RUN_MIGRATIONS", "MIGRATIONS_DIR", "MIGRATION_MAX_RETRIES",
                                 "MIGRATION_LOCK_TIMEOUT", "MIGRATION_MAX_WAIT_TIME", "MIGRATION_RETRY_BACKOFF"})
            env.remove(QString::fromLatin1(name));
        env.insert(u"PGPASSFILE"_s, u"/nonexistent/dbops-test-pgpass"_s);
        for (auto it = extraEnv.begin(); it != extraEnv.end(); ++it)
            env.insert(it.key(), it.value());
        p.setProcessEnvironment(env);
        p.setStandardInputFile(QProcess::nullDevice());
        p.start(PgFixture::cliPath(), args);
        Run r;
        if (!p.waitForStarted(60000) || !p.waitForFinished(120000))
        {
            p.kill();
            p.waitForFinished();
            r.err = u"did not run: "_s + p.errorString();
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    /// Files our store keeps (the audit log, the catalog): nothing may be written on a refusal.
    QStringList filesWritten() const
    {
        QStringList files;
        QDirIterator it(m_home->path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext())
        {
            const QString f = it.next();
            if (!f.contains(u"/logs/"_s))
                files << f;
        }
        return files;
    }

    /// Exit 2, the message names `mentions`, nothing connected, nothing written, and with --json
    /// the same error as one JSON document.
    void expectRefused(const QStringList &args, const QString &mentions)
    {
        const Run r = dbops(args);
        QVERIFY2(r.exitCode == 2, qPrintable(args.join(u' ') + u": "_s + r.both()));
        QVERIFY2(r.err.contains(mentions), qPrintable(args.join(u' ') + u": expected '"_s + mentions + u"' in: "_s + r.both()));
        QVERIFY2(!r.err.contains(u"Connection refused"_s) && !r.err.contains(u"connecting to"_s),
                 qPrintable(u"nothing may connect before the arguments are checked: "_s + r.both()));
        QVERIFY2(filesWritten().isEmpty(), qPrintable(filesWritten().join(u", "_s)));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.both()));
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(PgFixture::cliPath()).isExecutable(),
                 qPrintable(u"DBOPS_CLI is not set to the dbops binary: "_s + PgFixture::cliPath()));
    }

    void init()
    {
        m_home = std::make_unique<QTemporaryDir>();
        QVERIFY(m_home->isValid());
    }

    /// The unreachable target really is: what gets past the checks tries to connect (exit 3).
    void theTargetIsUnreachable()
    {
        const Run r = dbops({u"info"_s, u"--db"_s, kNowhere, u"--migrations"_s, m_home->path()});
        QVERIFY2(r.exitCode == 3, qPrintable(r.both()));
    }

    void helpForEveryCommand_data()
    {
        QTest::addColumn<QStringList>("command");
        for (const QStringList &c : everyCommand())
            QTest::newRow(qPrintable(c.join(u' '))) << c;
    }
    void helpForEveryCommand()
    {
        QFETCH(QStringList, command);
        const Run r = dbops(command + QStringList{u"--help"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(u"Usage: dbops "_s + command.join(u' ')), qPrintable(r.both()));
        QVERIFY2(r.out.contains(u"--help"_s), qPrintable(r.out));
    }

    void unknownOptionEveryCommand_data()
    {
        QTest::addColumn<QStringList>("command");
        for (const QStringList &c : everyCommand())
            QTest::newRow(qPrintable(c.join(u' '))) << c;
    }
    void unknownOptionEveryCommand()
    {
        QFETCH(QStringList, command);
        QStringList args = command;
        if (command.first() == u"sandbox"_s)
            args << u"status"_s;
        expectRefused(args + QStringList{u"--frobnicate"_s, u"--db"_s, kNowhere}, u"unknown option '--frobnicate'"_s);
        // A mistyped option is unknown too, even with a value after it.
        expectRefused(args + QStringList{u"--trget"_s, u"0001"_s}, u"unknown option '--trget'"_s);
    }

    void strayArgumentEveryCommand_data()
    {
        QTest::addColumn<QStringList>("args");
        for (const QStringList &c : targetCommands())
            QTest::newRow(qPrintable(c.first())) << c + QStringList{u"--db"_s, kNowhere, u"stray1"_s, u"stray2"_s};
        QTest::newRow("profiles list") << QStringList{u"profiles"_s, u"list"_s, u"stray1"_s};
        QTest::newRow("profiles add") << QStringList{u"profiles"_s, u"add"_s, u"a"_s, u"stray1"_s, u"--host"_s, u"h"_s};
        QTest::newRow("profiles remove") << QStringList{u"profiles"_s, u"remove"_s, u"a"_s, u"stray1"_s};
        QTest::newRow("backups") << QStringList{u"backups"_s, u"list"_s, u"stray1"_s};
        QTest::newRow("backups verify") << QStringList{u"backups"_s, u"verify"_s, u"1"_s, u"stray1"_s};
        QTest::newRow("backups test-restore") << QStringList{u"backups"_s, u"test-restore"_s, u"1"_s, u"stray1"_s};
        QTest::newRow("backups policy") << QStringList{u"backups"_s, u"policy"_s, u"--profile"_s, u"p"_s, u"stray1"_s};
        QTest::newRow("backups tools") << QStringList{u"backups"_s, u"tools"_s, u"stray1"_s};
        QTest::newRow("sandbox") << QStringList{u"sandbox"_s, u"status"_s, u"stray1"_s};
    }
    void strayArgumentEveryCommand()
    {
        QFETCH(QStringList, args);
        expectRefused(args, u"unexpected argument 'stray"_s); // 'stray2' where the first is an optional argument (profiles test NAME)
    }

    void missingValue_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        // An option at the end without its value.
        for (const QStringList &c : targetCommands())
            QTest::newRow(qPrintable(c.first() + u" --db"_s)) << c + QStringList{u"--db"_s} << u"--db needs a value"_s;
        // "--target --dry-run" is a missing target, never "migrate everything".
        QTest::newRow("migrate --target --dry-run")
            << QStringList{u"migrate"_s, u"--db"_s, kNowhere, u"--target"_s, u"--dry-run"_s} << u"--target needs a value"_s;
        QTest::newRow("down --target --yes") << QStringList{u"down"_s, u"--db"_s, kNowhere, u"--target"_s, u"--yes"_s}
                                             << u"--target needs a value"_s;
        // A required option or argument that is not there.
        QTest::newRow("down without --target") << QStringList{u"down"_s, u"--db"_s, kNowhere} << u"needs --target"_s;
        QTest::newRow("baseline without --version") << QStringList{u"baseline"_s, u"--db"_s, kNowhere} << u"needs --version"_s;
        QTest::newRow("cancel without pid") << QStringList{u"cancel"_s, u"--db"_s, kNowhere} << u"needs exactly one pid"_s;
        QTest::newRow("terminate without pid") << QStringList{u"terminate"_s, u"--db"_s, kNowhere} << u"needs exactly one pid"_s;
        QTest::newRow("restore without archive")
            << QStringList{u"restore"_s, u"--db"_s, kNowhere, u"--into"_s, u"x"_s} << u"needs exactly one ARCHIVE"_s;
        QTest::newRow("verify without id") << QStringList{u"backups"_s, u"verify"_s} << u"needs exactly one ID"_s;
        QTest::newRow("test-restore without id") << QStringList{u"backups"_s, u"test-restore"_s} << u"needs exactly one ID"_s;
        QTest::newRow("policy without --profile")
            << QStringList{u"backups"_s, u"policy"_s, u"--keep-last"_s, u"3"_s} << u"needs --profile"_s;
        QTest::newRow("profiles add without name") << QStringList{u"profiles"_s, u"add"_s} << u"needs exactly one NAME"_s;
        QTest::newRow("profiles remove without name") << QStringList{u"profiles"_s, u"remove"_s} << u"needs exactly one NAME"_s;
        QTest::newRow("sandbox without action") << QStringList{u"sandbox"_s} << u"needs exactly one start|stop|url|status"_s;
        // An empty value where one is needed is not "no option": --db '' never means $DATABASE_URL.
        QTest::newRow("info --db ''") << QStringList{u"info"_s, u"--db"_s, QString()} << u"--db needs a value, not an empty one"_s;
        QTest::newRow("migrate --migrations ''")
            << QStringList{u"migrate"_s, u"--db"_s, kNowhere, u"--migrations="_s} << u"--migrations needs a value, not an empty one"_s;
        QTest::newRow("repeated --target") << QStringList{u"migrate"_s, u"--db"_s, kNowhere, u"--target"_s, u"1"_s, u"--target"_s, u"2"_s}
                                           << u"--target is given twice"_s;
        QTest::newRow("flag with a value") << QStringList{u"migrate"_s, u"--db"_s, kNowhere, u"--dry-run=no"_s}
                                           << u"--dry-run takes no value"_s;
    }
    void missingValue()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        expectRefused(args, mentions);
    }

    void illTyped_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        const auto row = [](const QString &name, const QStringList &args, const QString &mentions) {
            QTest::newRow(qPrintable(name)) << args << mentions;
        };
        for (const char *c : {"info", "migrate", "validate", "repair", "adopt"})
        {
            const QString command = QString::fromLatin1(c);
            const QStringList base{command, u"--db"_s, kNowhere};
            row(command + u" --max-retries"_s, base + QStringList{u"--max-retries"_s, u"many"_s},
                u"--max-retries 'many' is not a whole number >= 0"_s);
            row(command + u" --lock-timeout"_s, base + QStringList{u"--lock-timeout"_s, u"-5"_s},
                u"--lock-timeout '-5' is not a number of seconds"_s);
            row(command + u" --max-wait"_s, base + QStringList{u"--max-wait"_s, u"1.5"_s}, u"--max-wait '1.5'"_s);
            row(command + u" --retry-backoff"_s, base + QStringList{u"--retry-backoff"_s, u"soon"_s},
                u"--retry-backoff 'soon' is not a number of milliseconds"_s);
            row(command + u" --history-format"_s, base + QStringList{u"--history-format"_s, u"liquibase"_s},
                u"--history-format 'liquibase' is not one of"_s);
        }
        const QStringList migrate{u"migrate"_s, u"--db"_s, kNowhere};
        row(u"migrate --statement-timeout"_s, migrate + QStringList{u"--statement-timeout"_s, u"x"_s}, u"--statement-timeout 'x'"_s);
        row(u"migrate --sql-lock-timeout"_s, migrate + QStringList{u"--sql-lock-timeout"_s, u"-1"_s}, u"--sql-lock-timeout '-1'"_s);
        row(u"migrate --target control"_s, migrate + QStringList{u"--target"_s, u"1\n2"_s}, u"is not a version"_s);
        row(u"down --target control"_s, QStringList{u"down"_s, u"--db"_s, kNowhere, u"--target"_s, u"1\t"_s}, u"is not a version"_s);
        row(u"baseline --version control"_s, QStringList{u"baseline"_s, u"--db"_s, kNowhere, u"--version"_s, u"\x01"_s},
            u"is not a version"_s);
        row(u"repair --dirty"_s, QStringList{u"repair"_s, u"--db"_s, kNowhere, u"--dirty"_s, u"maybe"_s},
            u"--dirty 'maybe' is not one of complete, reverted"_s);
        row(u"locks --watch"_s, QStringList{u"locks"_s, u"--db"_s, kNowhere, u"--watch"_s, u"0"_s},
            u"--watch '0' is not a number of seconds >= 1"_s);
        row(u"locks --locks-per-session"_s, QStringList{u"locks"_s, u"--db"_s, kNowhere, u"--locks-per-session"_s, u"x"_s},
            u"--locks-per-session 'x' is not a whole number >= 1"_s);
        row(u"cancel pid"_s, QStringList{u"cancel"_s, u"abc"_s, u"--db"_s, kNowhere, u"--yes"_s},
            u"pid 'abc' is not a whole number >= 1"_s);
        row(u"terminate pid"_s, QStringList{u"terminate"_s, u"-3"_s, u"--db"_s, kNowhere, u"--yes"_s},
            u"pid '-3' is not a whole number >= 1"_s);
        row(u"backup --format"_s, QStringList{u"backup"_s, u"--db"_s, kNowhere, u"--format"_s, u"zip"_s},
            u"--format 'zip' is not one of custom, directory"_s);
        row(u"backup --jobs"_s, QStringList{u"backup"_s, u"--db"_s, kNowhere, u"--jobs"_s, u"0"_s},
            u"--jobs '0' is not a whole number >= 1"_s);
        row(u"restore --jobs"_s, QStringList{u"restore"_s, u"1"_s, u"--db"_s, kNowhere, u"--into"_s, u"x"_s, u"--jobs"_s, u"four"_s},
            u"--jobs 'four'"_s);
        row(u"backups verify id"_s, QStringList{u"backups"_s, u"verify"_s, u"latest"_s},
            u"backup id 'latest' is not a whole number >= 1"_s);
        row(u"backups test-restore id"_s, QStringList{u"backups"_s, u"test-restore"_s, u"0"_s},
            u"backup id '0' is not a whole number >= 1"_s);
        row(u"backups policy --keep-last"_s, QStringList{u"backups"_s, u"policy"_s, u"--profile"_s, u"p"_s, u"--keep-last"_s, u"-1"_s},
            u"--keep-last '-1'"_s);
        row(u"backups policy --pre-migration"_s,
            QStringList{u"backups"_s, u"policy"_s, u"--profile"_s, u"p"_s, u"--pre-migration"_s, u"yes"_s},
            u"--pre-migration 'yes' is not one of on, off"_s);
        row(u"profiles add --port"_s, QStringList{u"profiles"_s, u"add"_s, u"x"_s, u"--host"_s, u"h"_s, u"--port"_s, u"70000"_s},
            u"--port '70000' is not a whole number between 1 and 65535"_s);
        row(u"profiles add --sslmode"_s, QStringList{u"profiles"_s, u"add"_s, u"x"_s, u"--host"_s, u"h"_s, u"--sslmode"_s, u"always"_s},
            u"--sslmode 'always' is not one of"_s);
        row(u"sandbox action"_s, QStringList{u"sandbox"_s, u"explode"_s}, u"unknown sandbox action 'explode'"_s);
        row(u"backups subcommand"_s, QStringList{u"backups"_s, u"purge"_s}, u"unknown subcommand 'purge'"_s);
    }
    void illTyped()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        expectRefused(args, mentions);
    }

    void conflicting_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        for (const QStringList &c : targetCommands())
            QTest::newRow(qPrintable(c.join(u' ') + u" --db --profile"_s))
                << c + QStringList{u"--db"_s, kNowhere, u"--profile"_s, u"prod"_s} << u"--db and --profile exclude each other"_s;
        const QStringList adopt{u"adopt"_s, u"--db"_s, kNowhere, u"--yes"_s};
        QTest::newRow("adopt checksums") << adopt + QStringList{u"--record-checksums"_s, u"--no-record-checksums"_s}
                                         << u"--record-checksums and --no-record-checksums exclude each other"_s;
        QTest::newRow("repair --reason alone") << QStringList{u"repair"_s, u"--db"_s, kNowhere, u"--reason"_s, u"x"_s}
                                               << u"--reason goes with --mark-applied"_s;
        QTest::newRow("repair --mark-applied --dirty") << QStringList{u"repair"_s,   u"--db"_s, kNowhere,     u"--mark-applied"_s, u"1"_s,
                                                                      u"--reason"_s, u"r"_s,    u"--dirty"_s, u"complete"_s}
                                                       << u"--mark-applied and --dirty exclude each other"_s;
        const QStringList restore{u"restore"_s, u"1"_s, u"--db"_s, kNowhere};
        QTest::newRow("restore --into --replace")
            << restore + QStringList{u"--into"_s, u"a"_s, u"--replace"_s, u"b"_s, u"--confirm"_s, u"b"_s}
            << u"--into and --replace exclude each other"_s;
        QTest::newRow("restore --confirm alone")
            << restore + QStringList{u"--into"_s, u"a"_s, u"--confirm"_s, u"a"_s} << u"--confirm goes with --replace"_s;
        QTest::newRow("restore --terminate-sessions alone")
            << restore + QStringList{u"--into"_s, u"a"_s, u"--terminate-sessions"_s} << u"--terminate-sessions goes with --replace"_s;
        QTest::newRow("profiles add two sources")
            << QStringList{u"profiles"_s, u"add"_s, u"x"_s, u"--url"_s, kNowhere, u"--sqlite"_s, u"/tmp/x.db"_s}
            << u"--url and --sqlite exclude each other"_s;
        QTest::newRow("profiles add --password-stdin alone")
            << QStringList{u"profiles"_s, u"add"_s, u"x"_s, u"--host"_s, u"h"_s, u"--password-stdin"_s}
            << u"--password-stdin goes with --save-password"_s;
    }
    void conflicting()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        expectRefused(args, mentions);
    }

    /// An environment default is typed like its option: a bad one is exit 2 naming the variable,
    /// and an option given on the command line wins over it.
    void environmentDefaults()
    {
        const QStringList info{u"info"_s, u"--db"_s, kNowhere, u"--migrations"_s, m_home->path()};
        Run r = dbops(info, {{u"MIGRATION_MAX_RETRIES"_s, u"lots"_s}});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"MIGRATION_MAX_RETRIES='lots' is not a whole number >= 0"_s), qPrintable(r.both()));
        QVERIFY(!r.err.contains(u"Connection refused"_s));
        // A malformed deployment setting is refused even when the option overrides it.
        r = dbops(info + QStringList{u"--max-retries"_s, u"0"_s}, {{u"MIGRATION_MAX_RETRIES"_s, u"lots"_s}});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"MIGRATION_MAX_RETRIES='lots'"_s), qPrintable(r.both()));
        // A well-formed one is taken, and the option is typed on its own.
        r = dbops(info + QStringList{u"--max-retries"_s, u"0"_s}, {{u"MIGRATION_MAX_RETRIES"_s, u"2"_s}});
        QVERIFY2(r.exitCode == 3, qPrintable(r.both())); // past the checks: it tried the unreachable server
        r = dbops(info, {{u"MIGRATION_MAX_WAIT_TIME"_s, u"-1"_s}});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"MIGRATION_MAX_WAIT_TIME='-1'"_s), qPrintable(r.both()));
        // DATABASE_URL is --db's default; --profile given instead is no conflict with it.
        r = dbops({u"info"_s, u"--migrations"_s, m_home->path()}, {{u"DATABASE_URL"_s, kNowhere}});
        QVERIFY2(r.exitCode == 3, qPrintable(r.both()));
        r = dbops({u"info"_s, u"--profile"_s, u"ghost"_s}, {{u"DATABASE_URL"_s, kNowhere}});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"ghost"_s) && !r.err.contains(u"exclude"_s), qPrintable(r.both()));
    }

    /// With --json, a refusal by the driver is one JSON document too.
    void jsonRefusalIsOneDocument()
    {
        for (const QStringList &args : {QStringList{u"migrate"_s, u"--json"_s, u"--db"_s, kNowhere, u"--target"_s},
                                        QStringList{u"backups"_s, u"verify"_s, u"x"_s, u"--json"_s},
                                        QStringList{u"locks"_s, u"--json"_s, u"--db"_s, kNowhere, u"--profile"_s, u"p"_s}})
        {
            const Run r = dbops(args);
            QCOMPARE(r.exitCode, 2);
            QJsonParseError parseError{};
            const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &parseError);
            QVERIFY2(parseError.error == QJsonParseError::NoError && doc.isObject(), qPrintable(r.both()));
            QCOMPARE(doc.object().value(u"error"_s).toObject().value(u"code"_s).toString(), u"usage"_s);
        }
    }
};

QTEST_GUILESS_MAIN(TestCliDriver)
#include "test_cli_driver.moc"
