// dbops diff and dbops snapshot as a child process against real PostgreSQL databases and real
// SQLite files: seed 003 (a SQLite file without evento_id against PostgreSQL with it, and an enum
// whose labels differ only by case), migrations:DIR against a database migrated from the same
// folder, snapshot files, bad input (exit 2), an unreachable side (exit 3), --json, and the two
// sides read on two sessions at the same time.
#include "core/db/pgconnection.h"
#include "tests/support/cli.h"
#include "tests/support/net.h"
#include "tests/support/pgfixture.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::PgFixture;
using Run = dbops::test::CliResult;

namespace
{
    /// Seed 003's production schema (PostgreSQL): inscricoes still has evento_id.
    const char *kSeed003Postgres = R"sql(
CREATE TYPE tipousuario AS ENUM ('admin', 'aluno');
CREATE TABLE usuarios (
    id serial PRIMARY KEY,
    nome varchar(120) NOT NULL,
    email varchar(255) NOT NULL UNIQUE,
    tipo tipousuario NOT NULL,
    ativo boolean NOT NULL DEFAULT true,
    criado_em timestamp without time zone DEFAULT now(),
    saldo numeric(10,2),
    foto bytea,
    codigo uuid,
    preferencias jsonb
);
CREATE TABLE eventos (
    id serial PRIMARY KEY,
    titulo text NOT NULL,
    inicio timestamptz
);
CREATE TABLE inscricoes (
    id bigserial PRIMARY KEY,
    usuario_id integer NOT NULL REFERENCES usuarios (id) ON DELETE CASCADE,
    evento_id integer,
    nota double precision
);
CREATE INDEX ix_inscricoes_usuario_id ON inscricoes (usuario_id);
CREATE VIEW usuarios_ativos AS SELECT id, nome FROM usuarios WHERE ativo;
)sql";

    /// Seed 003's local schema (SQLite): evento_id removed, everything else the same in SQLite's words.
    const QStringList kSeed003Sqlite{
        u"CREATE TABLE usuarios (id INTEGER PRIMARY KEY, nome VARCHAR(120) NOT NULL, email VARCHAR(255) NOT NULL UNIQUE, "
        "tipo VARCHAR(5) NOT NULL CHECK (tipo IN ('admin', 'aluno')), ativo BOOLEAN NOT NULL DEFAULT 1, criado_em DATETIME, "
        "saldo NUMERIC(10, 2), foto BLOB, codigo CHAR(32), preferencias JSON)"_s,
        u"CREATE TABLE eventos (id INTEGER PRIMARY KEY, titulo TEXT NOT NULL, inicio DATETIME)"_s,
        u"CREATE TABLE inscricoes (id INTEGER PRIMARY KEY, usuario_id INTEGER NOT NULL REFERENCES usuarios (id) ON DELETE "
        "CASCADE, nota FLOAT)"_s,
        u"CREATE INDEX ix_inscricoes_usuario_id ON inscricoes (usuario_id)"_s,
        u"CREATE VIEW usuarios_ativos AS SELECT id, nome FROM usuarios WHERE ativo"_s,
        u"CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"_s,
    };

    void makeSqlite(const QString &path, const QStringList &statements)
    {
        static int n = 0;
        const QString name = u"test-sqlite-%1"_s.arg(++n);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
            db.setDatabaseName(path);
            QVERIFY2(db.open(), qPrintable(db.lastError().text()));
            QSqlQuery q(db);
            for (const QString &s : statements)
                QVERIFY2(q.exec(s), qPrintable(s + u": "_s + q.lastError().text()));
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }

    /// The change lines of a default report ("removed column public.inscricoes.evento_id").
    QStringList changeLines(const QString &report)
    {
        QStringList lines;
        static const QRegularExpression change(u"^(added|removed|altered|renamed) "_s);
        for (const QString &l : report.split(u'\n'))
            if (change.match(l).hasMatch())
                lines << l;
        return lines;
    }
}

class TestSchemaCli final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    Run dbops(const QStringList &args)
    {
        return dbops::test::runCli(args, {.env = {u"PGPASSFILE=/nonexistent/dbops-test-pgpass"_s}, .closedStdin = true});
    }

    ConnectParams seed003Database()
    {
        const ConnectParams db = PgFixture::newDatabase(u"seed003"_s);
        PgFixture::connect(db)->exec(QString::fromUtf8(kSeed003Postgres));
        return db;
    }

    QString seed003Sqlite(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        makeSqlite(path, kSeed003Sqlite);
        return path;
    }

    /// psql --single-transaction -v ON_ERROR_STOP=1 -f file on `db`: exit code and output.
    std::pair<int, QString> psql(const ConnectParams &db, const QString &file)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(PgFixture::sandbox().binDir() + u"/psql"_s,
                {u"--no-psqlrc"_s, u"--single-transaction"_s, u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-d"_s, dbops::test::url(db), u"-f"_s, file});
        if (!p.waitForFinished(60000))
            return {-1, u"psql did not finish"_s};
        return {p.exitCode(), QString::fromUtf8(p.readAll())};
    }

    /// `script` written to `name` in the test's folder, then psql() of it.
    std::pair<int, QString> psqlScript(const ConnectParams &db, const QString &name, const QString &script)
    {
        const QString file = m_dir.filePath(name);
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly) || f.write(script.toUtf8()) < 0)
            return {-1, u"cannot write "_s + file};
        f.close();
        return psql(db, file);
    }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        QVERIFY(m_dir.isValid());
    }

    void seed003ReportsExactlyTheColumnInBothDirections()
    {
        const ConnectParams db = seed003Database();
        const QString sqlite = seed003Sqlite(u"local003.db"_s);
        const Run forward = dbops({u"diff"_s, u"--from"_s, u"sqlite:"_s + sqlite, u"--to"_s, dbops::test::url(db)});
        QVERIFY2(forward.exitCode == 1, qPrintable(forward.both()));
        QCOMPARE(changeLines(forward.out), QStringList{u"added column public.inscricoes.evento_id"_s});
        const Run back = dbops({u"diff"_s, u"--from"_s, dbops::test::url(db), u"--to"_s, u"sqlite:"_s + sqlite});
        QCOMPARE(back.exitCode, 1);
        QCOMPARE(changeLines(back.out), QStringList{u"removed column public.inscricoes.evento_id"_s});
        QVERIFY2(back.out.contains(u"data loss"_s), qPrintable(back.both()));
    }

    void seed003SqlFromPostgresDropsTheColumnAndTheReDiffIsEmpty()
    {
        const ConnectParams db = seed003Database();
        const QString sqlite = seed003Sqlite(u"local003-sql.db"_s);
        const Run sql = dbops({u"diff"_s, u"--from"_s, dbops::test::url(db), u"--to"_s, u"sqlite:"_s + sqlite, u"--sql"_s});
        QCOMPARE(sql.exitCode, 1);
        QVERIFY2(sql.out.contains(u"DROP COLUMN"_s) && sql.out.contains(u"evento_id"_s), qPrintable(sql.both()));
        // stdout is only SQL: every line is a comment, blank, or part of a statement; no report lines.
        QVERIFY2(!sql.out.contains(u"summary:"_s), qPrintable(sql.out));
        const auto [code, output] = psqlScript(db, u"fix003.sql"_s, sql.out);
        QVERIFY2(code == 0, qPrintable(output));
        const Run again = dbops({u"diff"_s, u"--from"_s, dbops::test::url(db), u"--to"_s, u"sqlite:"_s + sqlite});
        QVERIFY2(again.exitCode == 0, qPrintable(again.both()));
        QVERIFY2(changeLines(again.out).isEmpty(), qPrintable(again.out));
    }

    /// Across dialects a constraint or index is compared under PostgreSQL's default name; one the
    /// PostgreSQL side named itself is still dropped by its own name (DROP ... IF EXISTS under the
    /// default name would miss it without a word).
    void acrossDialectsAnObjectWithItsOwnNameIsDroppedByIt()
    {
        const ConnectParams db = seed003Database();
        PgFixture::connect(db)->exec(u"CREATE INDEX meu_indice ON usuarios (nome); "
                                     "ALTER TABLE eventos ADD CONSTRAINT titulo_unico UNIQUE (titulo)"_s);
        const QString sqlite = seed003Sqlite(u"local003-names.db"_s);
        const Run sql = dbops({u"diff"_s, u"--from"_s, dbops::test::url(db), u"--to"_s, u"sqlite:"_s + sqlite, u"--sql"_s});
        QCOMPARE(sql.exitCode, 1);
        QVERIFY2(sql.out.contains(u"DROP INDEX IF EXISTS public.meu_indice;"_s), qPrintable(sql.out));
        QVERIFY2(sql.out.contains(u"DROP CONSTRAINT IF EXISTS titulo_unico;"_s), qPrintable(sql.out));
        const auto [code, output] = psqlScript(db, u"fix003-names.sql"_s, sql.out);
        QVERIFY2(code == 0, qPrintable(output));
        const Run again = dbops({u"diff"_s, u"--from"_s, dbops::test::url(db), u"--to"_s, u"sqlite:"_s + sqlite});
        QVERIFY2(again.exitCode == 0, qPrintable(again.both()));
    }

    void sqliteFromWithSqlIsBadInputSuggestingTheSwap()
    {
        const ConnectParams db = seed003Database();
        const QString sqlite = seed003Sqlite(u"local003-swap.db"_s);
        const Run r = dbops({u"diff"_s, u"--from"_s, u"sqlite:"_s + sqlite, u"--to"_s, dbops::test::url(db), u"--sql"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"SQLite"_s) && r.err.contains(u"swap"_s), qPrintable(r.both()));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
    }

    void enumCaseMismatchAgainstASqliteCheckAndTheStoredValues()
    {
        const ConnectParams db = PgFixture::newDatabase(u"enum003"_s);
        PgFixture::connect(db)->exec(u"CREATE TYPE tipousuario AS ENUM ('ADMIN', 'ALUNO');"
                                     "CREATE TABLE usuarios (id serial PRIMARY KEY, tipo tipousuario NOT NULL);"
                                     "INSERT INTO usuarios (tipo) VALUES ('ADMIN'), ('ALUNO'), ('ALUNO');"_s);
        const QString sqlite = m_dir.filePath(u"enum003.db"_s);
        makeSqlite(sqlite,
                   {u"CREATE TABLE usuarios (id INTEGER PRIMARY KEY, tipo VARCHAR(5) NOT NULL CHECK (tipo IN ('admin', 'aluno')))"_s,
                    u"INSERT INTO usuarios (tipo) VALUES ('admin'), ('aluno')"_s});
        const Run r = dbops({u"diff"_s, u"--from"_s, dbops::test::url(db), u"--to"_s, u"sqlite:"_s + sqlite});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(changeLines(r.out), QStringList{u"altered column public.usuarios.tipo (labels)"_s});
        QVERIFY2(r.out.contains(u"label differs only by case: 'ADMIN' -> 'admin'"_s), qPrintable(r.out));
        QVERIFY2(r.out.contains(u"label differs only by case: 'ALUNO' -> 'aluno'"_s), qPrintable(r.out));

        const Run data = dbops({u"diff"_s, u"--from"_s, dbops::test::url(db), u"--to"_s, u"sqlite:"_s + sqlite, u"--data"_s, u"--json"_s});
        QVERIFY2(data.exitCode == 1,
                 qPrintable(data.both() + (data.crashed ? u" crashed"_s : QString()) + (data.timedOut ? u" timed out"_s : QString())));
        const QJsonArray findings = data.json().value(u"data"_s).toArray();
        QVERIFY2(findings.size() == 2, qPrintable(data.both()));
        QJsonObject onServer, onSqlite;
        for (const QJsonValue &f : findings)
            (f[u"side"_s].toString().startsWith(u"sqlite:"_s) ? onSqlite : onServer) = f.toObject();
        QCOMPARE(onServer[u"column"_s].toString(), u"public.usuarios.tipo"_s);
        QCOMPARE(onServer[u"values"_s].toArray(), (QJsonArray{u"ADMIN"_s, u"ALUNO"_s}));
        QCOMPARE(onSqlite[u"values"_s].toArray(), (QJsonArray{u"admin"_s, u"aluno"_s}));
        QVERIFY2(onServer[u"text"_s].toString().contains(u"holds 'ADMIN', 'ALUNO' in public.usuarios.tipo"_s), qPrintable(data.out));

        // The SQL renames the labels in place (never a type rebuild), and then the sides agree.
        const Run sql = dbops({u"diff"_s, u"--from"_s, dbops::test::url(db), u"--to"_s, u"sqlite:"_s + sqlite, u"--sql"_s});
        QCOMPARE(sql.exitCode, 1);
        QVERIFY2(sql.out.contains(u"ALTER TYPE public.tipousuario RENAME VALUE 'ADMIN' TO 'admin';"_s), qPrintable(sql.both()));
        QVERIFY2(!sql.out.contains(u"CREATE TYPE"_s) && !sql.out.contains(u"DROP TYPE"_s), qPrintable(sql.out));
        const auto [code, output] = psqlScript(db, u"enum003.sql"_s, sql.out);
        QVERIFY2(code == 0, qPrintable(output));
        const Run again = dbops({u"diff"_s, u"--from"_s, dbops::test::url(db), u"--to"_s, u"sqlite:"_s + sqlite});
        QVERIFY2(again.exitCode == 0, qPrintable(again.both()));
    }

    void migrationsSideAgainstADatabaseMigratedFromTheSameFolder()
    {
        const QString dir = QDir(qEnvironmentVariable("DBOPS_SOURCE_DIR")).filePath(u"migrations"_s);
        const ConnectParams db = PgFixture::newDatabase(u"migrated"_s);
        const Run migrate = dbops({u"migrate"_s, u"--db"_s, dbops::test::url(db), u"--migrations"_s, dir});
        QVERIFY2(migrate.exitCode == 0, qPrintable(migrate.both()));

        const Run same = dbops({u"diff"_s, u"--from"_s, dbops::test::url(db), u"--to"_s, u"migrations:"_s + dir});
        QVERIFY2(same.exitCode == 0, qPrintable(same.both()));
        QVERIFY2(changeLines(same.out).isEmpty(), qPrintable(same.out));
        QVERIFY2(!same.out.contains(u"dbops_schema_history"_s), qPrintable(same.out));

        PgFixture::connect(db)->exec(u"ALTER TABLE user_sessions ADD COLUMN device text"_s);
        const Run drift = dbops({u"diff"_s, u"--from"_s, u"migrations:"_s + dir, u"--to"_s, dbops::test::url(db)});
        QCOMPARE(drift.exitCode, 1);
        QCOMPARE(changeLines(drift.out), QStringList{u"added column public.user_sessions.device"_s});
    }

    void migrationsAtAVersionStopsThere()
    {
        const QString dir = QDir(qEnvironmentVariable("DBOPS_SOURCE_DIR")).filePath(u"migrations"_s);
        const ConnectParams db = PgFixture::newDatabase(u"migrated2"_s);
        const Run migrate = dbops({u"migrate"_s, u"--db"_s, dbops::test::url(db), u"--migrations"_s, dir, u"--target"_s, u"0002"_s});
        QVERIFY2(migrate.exitCode == 0, qPrintable(migrate.both()));
        const Run at = dbops({u"diff"_s, u"--from"_s, u"migrations:"_s + dir + u"@0002"_s, u"--to"_s, dbops::test::url(db)});
        QVERIFY2(at.exitCode == 0, qPrintable(at.both()));
        const Run all = dbops({u"diff"_s, u"--from"_s, dbops::test::url(db), u"--to"_s, u"migrations:"_s + dir});
        QVERIFY2(all.exitCode == 1, qPrintable(all.both()));
        QVERIFY2(!changeLines(all.out).isEmpty(), qPrintable(all.out));
        for (const QString &line : changeLines(all.out))
            QVERIFY2(line.startsWith(u"added "_s), qPrintable(all.out)); // what 0003.. add, nothing removed
    }

    void snapshotFileRoundTrip()
    {
        const ConnectParams db = seed003Database();
        const QString file = m_dir.filePath(u"prod.snapshot.json"_s);
        const Run snap = dbops({u"snapshot"_s, u"--db"_s, dbops::test::url(db), u"--out"_s, file});
        QVERIFY2(snap.exitCode == 0, qPrintable(snap.both()));
        QCOMPARE(QFileInfo(file).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());
        const Run same = dbops({u"diff"_s, u"--from"_s, dbops::test::url(db), u"--to"_s, u"snapshot:"_s + file});
        QVERIFY2(same.exitCode == 0, qPrintable(same.both()));
        const Run back = dbops({u"diff"_s, u"--from"_s, u"snapshot:"_s + file, u"--to"_s, u"snapshot:"_s + file});
        QVERIFY2(back.exitCode == 0, qPrintable(back.both()));
        PgFixture::connect(db)->exec(u"ALTER TABLE eventos ADD COLUMN local text"_s);
        const Run drift = dbops({u"diff"_s, u"--from"_s, u"snapshot:"_s + file, u"--to"_s, dbops::test::url(db)});
        QCOMPARE(drift.exitCode, 1);
        QCOMPARE(changeLines(drift.out), QStringList{u"added column public.eventos.local"_s});
    }

    void badInputIsExitTwoNamingTheProblem()
    {
        const ConnectParams db = PgFixture::newDatabase(u"bad"_s);
        const QString url = dbops::test::url(db);
        struct Case
        {
            QStringList args;
            QString says;
        };
        const QList<Case> cases{
            {{u"--from"_s, url, u"--to"_s, u"sqlite:/nonexistent/x.db"_s}, u"--to"_s},
            {{u"--from"_s, u"snapshot:/nonexistent/s.json"_s, u"--to"_s, url}, u"does not exist"_s},
            {{u"--from"_s, u"migrations:/nonexistent/dir"_s, u"--to"_s, url}, u"migrations folder"_s},
            {{u"--from"_s, u"migrations:"_s + m_dir.path() + u"@"_s, u"--to"_s, url}, u"needs a version"_s},
            {{u"--from"_s, u"nosuchprofile"_s, u"--to"_s, url}, u"no saved profile"_s},
            {{u"--from"_s, u"host=localhost port"_s, u"--to"_s, url}, u"--from"_s},
            {{u"--from"_s, url, u"--to"_s, url, u"--rename"_s, u"public.nothing=other"_s}, u"public.nothing"_s},
            {{u"--from"_s, url, u"--to"_s, url, u"--ignore"_s, u"owners,colours"_s}, u"colours"_s},
            {{u"--from"_s, url, u"--to"_s, url, u"--bogus"_s}, u"--bogus"_s},
            {{u"--from"_s, url}, u"--to"_s},
            {{u"--from"_s, url, u"--to"_s, url, u"--out"_s, u"/nonexistent/dir/f.sql"_s}, u"does not exist"_s},
        };
        for (const Case &c : cases)
        {
            const Run r = dbops(QStringList{u"diff"_s} + c.args);
            QVERIFY2(r.exitCode == 2, qPrintable(c.args.join(u' ') + u"\n"_s + r.both()));
            QVERIFY2(r.err.contains(c.says), qPrintable(c.args.join(u' ') + u"\n"_s + r.both()));
        }
        const QString notSqlite = m_dir.filePath(u"not-sqlite.db"_s);
        {
            QFile f(notSqlite);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("this is no database at all, just text\n");
        }
        const Run r = dbops({u"diff"_s, u"--from"_s, url, u"--to"_s, u"sqlite:"_s + notSqlite});
        QVERIFY2(r.exitCode == 2 && r.err.contains(u"not a SQLite database"_s), qPrintable(r.both()));
    }

    void anUnreachableSideIsExitThree()
    {
        const ConnectParams db = PgFixture::newDatabase(u"reach"_s);
        const QString dead = u"postgresql://nobody@127.0.0.1:%1/x?connect_timeout=2"_s.arg(dbops::test::deadPort());
        const Run r = dbops({u"diff"_s, u"--from"_s, dbops::test::url(db), u"--to"_s, dead});
        QVERIFY2(r.exitCode == 3, qPrintable(r.both()));
        QVERIFY2(r.err.contains(u"--to"_s), qPrintable(r.both()));
    }

    void jsonIsOneDocumentAndTheSidesAreReadOnTwoSessionsAtOnce()
    {
        const ConnectParams a = seed003Database();
        const ConnectParams b = seed003Database();
        PgFixture::connect(b)->exec(u"ALTER TABLE eventos ADD COLUMN vagas integer NOT NULL DEFAULT 10"_s);
        const Run r = dbops({u"diff"_s, u"--from"_s, dbops::test::url(a), u"--to"_s, dbops::test::url(b), u"--json"_s});
        QCOMPARE(r.exitCode, 1);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError && doc.isObject(), qPrintable(r.out));
        const QJsonObject json = doc.object();
        QCOMPARE(json[u"same"_s].toBool(), false);
        QVERIFY(!json[u"summary"_s].toString().isEmpty());
        const QJsonArray sides = json[u"sides"_s].toArray();
        QCOMPARE(sides.size(), 2);
        QCOMPARE(sides[0][u"application_name"_s].toString(), u"dbops diff --from"_s);
        QCOMPARE(sides[1][u"application_name"_s].toString(), u"dbops diff --to"_s);
        QVERIFY(sides[0][u"backend_pid"_s].toInt() > 0 && sides[1][u"backend_pid"_s].toInt() > 0);
        QVERIFY(sides[0][u"backend_pid"_s].toInt() != sides[1][u"backend_pid"_s].toInt());
        // Each read started before the other finished: two sessions, at the same time.
        QVERIFY2(json[u"read_concurrently"_s].toBool(), qPrintable(r.out));

        const Run sql = dbops({u"diff"_s, u"--from"_s, dbops::test::url(a), u"--to"_s, dbops::test::url(b), u"--sql"_s, u"--out"_s,
                               m_dir.filePath(u"fix.sql"_s)});
        QCOMPARE(sql.exitCode, 1);
        QFile fix(m_dir.filePath(u"fix.sql"_s));
        QVERIFY(fix.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(fix.readAll()).contains(u"vagas"_s));
        QCOMPARE(fix.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());
    }

    void aTableRewriteNamesTheTablesSizeOnTheFromSide()
    {
        // Sizes are read after the comparison, for the changed tables only: the hazard line must
        // still carry the size the server reports for the --from table.
        const ConnectParams a = seed003Database();
        const ConnectParams b = seed003Database();
        auto conn = PgFixture::connect(a);
        conn->exec(u"INSERT INTO eventos (titulo) SELECT 'evento ' || g FROM generate_series(1, 5000) g"_s);
        conn->exec(u"ANALYZE eventos"_s);
        PgFixture::connect(b)->exec(u"ALTER TABLE eventos ALTER COLUMN titulo TYPE varchar(200)"_s);
        const double bytes = conn->exec(u"SELECT pg_total_relation_size('public.eventos')"_s).value(0, 0).toDouble();
        QVERIFY(bytes > 100 * 1024);
        const QString size = u"%1 kB"_s.arg(bytes / 1024, 0, 'f', 1);
        const Run r = dbops({u"diff"_s, u"--from"_s, dbops::test::url(a), u"--to"_s, dbops::test::url(b)});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(u"public.eventos (%1, ~5000 rows)"_s.arg(size)), qPrintable(size + u"\n"_s + r.out));
        // A table that is not changed is not described: its size is not read.
        QVERIFY2(!r.out.contains(u"public.usuarios ("_s), qPrintable(r.out));
    }

    void applyAsksThenAppliesAndSaysNoDriftIsLeft()
    {
        const ConnectParams a = seed003Database();
        const ConnectParams b = seed003Database();
        PgFixture::connect(b)->exec(u"ALTER TABLE eventos ADD COLUMN vagas integer"_s);
        const QStringList sides{u"diff"_s, u"--from"_s, dbops::test::url(a), u"--to"_s, dbops::test::url(b)};
        // Bad options: exit 2 before anything connects.
        QCOMPARE(dbops(sides + QStringList{u"--report"_s, m_dir.filePath(u"r.txt"_s)}).exitCode, 2);
        QCOMPARE(dbops(sides + QStringList{u"--save-migration"_s, m_dir.filePath(u"nowhere"_s)}).exitCode, 2);
        QCOMPARE(dbops({u"diff"_s, u"--from"_s, u"snapshot:"_s + m_dir.filePath(u"x.json"_s), u"--to"_s, dbops::test::url(b), u"--apply"_s})
                     .exitCode,
                 2);
        // Not confirmed (no terminal, no --yes): nothing changes.
        const Run refused = dbops(sides + QStringList{u"--apply"_s});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(u"not confirmed"_s) && refused.err.contains(u"nothing was changed"_s), qPrintable(refused.both()));
        QCOMPARE(dbops(sides).exitCode, 1);
        // Confirmed: applied, compared again, the report and the migration written.
        QTemporaryDir migrations;
        const QString report = m_dir.filePath(u"drift.html"_s);
        const Run applied =
            dbops(sides + QStringList{u"--apply"_s, u"--yes"_s, u"--report"_s, report, u"--save-migration"_s, migrations.path()});
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.both()));
        QVERIFY2(applied.out.contains(u"applied 1 statement(s) in one transaction"_s), qPrintable(applied.both()));
        QVERIFY2(applied.out.contains(u"no drift left"_s), qPrintable(applied.both()));
        QFile html(report);
        QVERIFY(html.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(html.readAll()).contains(u"vagas"_s));
        QFile migration(migrations.filePath(u"0001_drift_repair.sql"_s));
        QVERIFY2(migration.open(QIODevice::ReadOnly), qPrintable(applied.both()));
        QVERIFY(QString::fromUtf8(migration.readAll()).contains(u"ADD COLUMN vagas integer"_s));
        QCOMPARE(dbops(sides).exitCode, 0);
        // Nothing left: nothing applied again.
        const Run again = dbops(sides + QStringList{u"--apply"_s, u"--yes"_s});
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.out.contains(u"nothing to apply"_s), qPrintable(again.both()));
    }

    void proveAppliesTheSqlToAClone()
    {
        const ConnectParams a = seed003Database();
        const ConnectParams b = seed003Database();
        PgFixture::connect(b)->exec(u"ALTER TABLE eventos ADD COLUMN vagas integer"_s);
        const Run r = dbops({u"diff"_s, u"--from"_s, dbops::test::url(a), u"--to"_s, dbops::test::url(b), u"--prove"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(u"proved: no changes left"_s), qPrintable(r.both()));
        // The target server got no scratch database: --from is unchanged.
        QVERIFY(!dbops::test::databaseExists(u"dbops_prove"_s));
        const Run still = dbops({u"diff"_s, u"--from"_s, dbops::test::url(a), u"--to"_s, dbops::test::url(b)});
        QCOMPARE(still.exitCode, 1);
    }

    /// Another major version prints the same view, check and default in other words: the
    /// snapshot file says it was taken of that version, so it is re-created on this one before
    /// the text is compared. Without the version (the control) the same words are a change.
    void twoMajorVersionsCompareDefinitionsAsOneVersionPrintsThem()
    {
        const ConnectParams db = PgFixture::newDatabase(u"versions"_s);
        PgFixture::connect(db)->exec(u"CREATE TABLE t (id int PRIMARY KEY, n text DEFAULT 'x', CHECK (id > 0)); "
                                     "CREATE VIEW v AS SELECT id, n FROM t WHERE id > 1"_s);
        const QString taken = m_dir.filePath(u"versions.json"_s);
        const Run snap = dbops({u"snapshot"_s, u"--db"_s, dbops::test::url(db), u"--out"_s, taken});
        QVERIFY2(snap.exitCode == 0, qPrintable(snap.both()));
        const auto rewrite = [&](const QString &name, int versionNum, const QString &view) -> QString {
            QFile in(taken);
            if (!in.open(QIODevice::ReadOnly))
                qFatal("cannot read %s", qPrintable(taken));
            QJsonObject doc = QJsonDocument::fromJson(in.readAll()).object();
            QJsonArray objects = doc.value(u"objects"_s).toArray();
            for (qsizetype i = 0; i < objects.size(); ++i)
            {
                QJsonObject o = objects[i].toObject();
                QJsonObject attrs = o.value(u"attributes"_s).toObject();
                if (o.value(u"name"_s) == u"v"_s)
                    attrs.insert(u"definition"_s, view);
                if (o.value(u"name"_s) == u"t_id_check"_s)
                    attrs.insert(u"definition"_s, u"CHECK (id > 0)"_s);
                if (o.value(u"name"_s) == u"n"_s)
                    attrs.insert(u"default"_s, u"'x'"_s);
                if (versionNum >= 170000 && attrs.contains(u"acl"_s)) // 17's owner also has MAINTAIN
                    attrs.insert(u"acl"_s, attrs.value(u"acl"_s).toString().replace(u"arwdDxt/"_s, u"arwdDxtm/"_s));
                o.insert(u"attributes"_s, attrs);
                objects[i] = o;
            }
            doc.insert(u"objects"_s, objects);
            doc.insert(u"server_version_num"_s, versionNum);
            const QString path = m_dir.filePath(name);
            QFile out(path);
            if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(doc).toJson()) < 0)
                qFatal("cannot write %s", qPrintable(path));
            return u"snapshot:"_s + path;
        };
        const int here = PgFixture::sandbox().majorVersion();
        const QString otherWords = u"SELECT id, n FROM public.t WHERE id > 1"_s;
        const QString sameVersion = rewrite(u"v-same.json"_s, here * 10000 + 1, otherWords);
        const QString older = rewrite(u"v-older.json"_s, (here - 1) * 10000 + 11, otherWords);
        const QString live = dbops::test::url(db);

        const Run control = dbops({u"diff"_s, u"--from"_s, live, u"--to"_s, sameVersion});
        QVERIFY2(control.exitCode == 1, qPrintable(control.both()));
        QCOMPARE(changeLines(control.out),
                 (QStringList{u"altered column public.t.n (default)"_s, u"altered constraint public.t.t_id_check (definition)"_s,
                              u"altered view public.v (definition)"_s}));

        // --to is re-created on --from's version (installed: the server the tests run).
        const Run recreated = dbops({u"diff"_s, u"--from"_s, live, u"--to"_s, older, u"--sql"_s});
        QVERIFY2(recreated.exitCode == 0, qPrintable(recreated.both()));
        QVERIFY2(recreated.out.contains(u"-- no changes"_s), qPrintable(recreated.out));
        const Run report = dbops({u"diff"_s, u"--from"_s, live, u"--to"_s, older});
        QVERIFY2(report.out.contains(u"(PostgreSQL %1) was re-created on a sandbox PostgreSQL %2"_s.arg(here - 1).arg(here)),
                 qPrintable(report.out));

        // --from's version is not installed (99): --from is re-created on --to's, and the note
        // says whose text the SQL then carries.
        const QString future = rewrite(u"v-99.json"_s, 990001, otherWords);
        const Run fromMade = dbops({u"diff"_s, u"--from"_s, future, u"--to"_s, live});
        QVERIFY2(fromMade.exitCode == 0, qPrintable(fromMade.both()));
        QVERIFY2(fromMade.out.contains(u"PostgreSQL 99 is not installed here"_s), qPrintable(fromMade.out));
        QVERIFY2(fromMade.out.contains(u"MAINTAIN (PostgreSQL 17 and later) is left out of 2 acl item(s)"_s), qPrintable(fromMade.out));

        // A text this version cannot make is not hidden: the note names the statement and the
        // server's reason, and the text is compared as it was printed.
        const QString broken = rewrite(u"v-broken.json"_s, (here - 1) * 10000 + 11, u"SELECT id, n FROM public.t WHERE id >>> 1"_s);
        const Run failed = dbops({u"diff"_s, u"--from"_s, live, u"--to"_s, broken});
        QCOMPARE(failed.exitCode, 1);
        QVERIFY2(changeLines(failed.out).contains(u"altered view public.v (definition)"_s), qPrintable(failed.out));
        QVERIFY2(failed.out.contains(u"could not be re-created on a sandbox PostgreSQL %1"_s.arg(here)), qPrintable(failed.out));
        QVERIFY2(failed.out.contains(u"WHERE id >>> 1 failed: operator does not exist"_s), qPrintable(failed.out));

        // Neither version installed: said, and compared as printed (the same words: no change).
        const Run neither = dbops({u"diff"_s, u"--from"_s, rewrite(u"v-98.json"_s, 980001, otherWords), u"--to"_s, future, u"--json"_s});
        QCOMPARE(neither.exitCode, 0);
        const QJsonArray notes = QJsonDocument::fromJson(neither.out.toUtf8()).object().value(u"notes"_s).toArray();
        QVERIFY2(!notes.isEmpty() && notes.first().toString().contains(u"neither version is installed here"_s), qPrintable(neither.out));
    }
};

QTEST_GUILESS_MAIN(TestSchemaCli)
#include "test_schema_cli.moc"
