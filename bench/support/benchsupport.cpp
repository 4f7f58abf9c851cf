#include "bench/support/benchsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace dbops::bench
{
    BenchError::BenchError(const QString &message)
        : std::runtime_error(message.toStdString())
    {
    }

    QString ProcessRun::describe() const
    {
        QString why = timedOut ? u"timed out"_s : crashed ? u"crashed"_s : u"exit %1"_s.arg(exitCode);
        const QString tail = err.trimmed().right(2000);
        return tail.isEmpty() ? why : why + u": "_s + tail;
    }

    ProcessRun runProcess(const QString &program, const QStringList &args, const QProcessEnvironment &env, int timeoutMs)
    {
        ProcessRun run;
        QProcess p;
        p.setProcessEnvironment(env);
        QElapsedTimer timer;
        timer.start();
        p.start(program, args);
        if (!p.waitForStarted(30000))
            throw BenchError(u"cannot start %1: %2"_s.arg(program, p.errorString()));
        if (!p.waitForFinished(timeoutMs))
        {
            run.timedOut = true;
            p.kill();
            p.waitForFinished(5000);
        }
        run.ms = timer.elapsed();
        run.crashed = !run.timedOut && p.exitStatus() != QProcess::NormalExit;
        run.exitCode = p.exitCode();
        run.out = QString::fromUtf8(p.readAllStandardOutput());
        run.err = QString::fromUtf8(p.readAllStandardError());
        return run;
    }

    QString dbopsPath()
    {
        const QString fromEnv = qEnvironmentVariable("DBOPS_CLI");
        const QString path = fromEnv.isEmpty() ? QStringLiteral(DBOPS_CLI_PATH) : fromEnv;
        if (!QFileInfo(path).isExecutable())
            throw BenchError(u"the dbops CLI is not at %1; build the dbops target first"_s.arg(path));
        return path;
    }

    QString psqlPath(const Sandbox &sandbox)
    {
        const QString beside = sandbox.binDir() + u"/psql"_s;
        if (QFileInfo(beside).isExecutable())
            return beside;
        return u"psql"_s;
    }

    QProcessEnvironment childEnvironment(const QString &home)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : env.keys())
            if (name.startsWith(u"MIGRATION_"_s) || name == u"DATABASE_URL"_s || name == u"MIGRATIONS_DIR"_s || name == u"PSQLRC"_s)
                env.remove(name);
        env.insert(u"DBOPS_HOME"_s, home);
        return env;
    }

    std::unique_ptr<Sandbox> startSandbox()
    {
        auto sandbox = std::make_unique<Sandbox>(SandboxOptions{});
        if (auto started = sandbox->start(); !started)
            throw BenchError(u"cannot start a sandbox PostgreSQL: "_s + started.error().toString());
        return sandbox;
    }

    void createDatabase(Sandbox &sandbox, const QString &name)
    {
        if (auto created = sandbox.createDatabase(name); !created)
            throw BenchError(u"cannot create database %1: %2"_s.arg(name, created.error().toString()));
    }

    std::unique_ptr<PgConnection> connect(Sandbox &sandbox, const QString &database)
    {
        auto conn = PgConnection::tryOpen(sandbox.connectParams(database));
        if (!conn)
            throw BenchError(u"cannot connect to %1: %2"_s.arg(database, conn.error().toString()));
        return std::move(*conn);
    }

    qint64 scalar(PgConnection &conn, const QString &sql)
    {
        auto r = conn.tryExec(sql);
        if (!r)
            throw BenchError(u"%1: %2"_s.arg(sql, r.error().toString()));
        return r->value(0, 0).toLongLong();
    }

    QString GeneratedMigrations::concatenatedInTransactions() const
    {
        QString all;
        for (const QString &sql : contents)
            all += u"BEGIN;\n"_s + sql + u"COMMIT;\n"_s;
        return all;
    }

    GeneratedMigrations generateMigrations(const QString &dir, int count)
    {
        GeneratedMigrations set;
        set.dir = dir;
        QString current, previous;
        for (int i = 1; i <= count; ++i)
        {
            const QString version = u"%1"_s.arg(i, 5, 10, QLatin1Char('0'));
            const int wanted = 2 + (i * 7 + i / 3) % 5; // 2..6 statements
            QStringList st;
            QString description;
            if (current.isEmpty() || i % 2 == 1)
            {
                previous = current;
                current = u"t"_s + version;
                description = u"create_"_s + current;
                st << u"CREATE TABLE %1 (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    amount numeric(12, 2) NOT NULL "
                      u"DEFAULT 0,\n"
                      u"    created_at timestamptz NOT NULL DEFAULT now()%2\n)"_s.arg(
                          current, previous.isEmpty() ? QString() : u",\n    parent_id bigint REFERENCES %1 (id)"_s.arg(previous));
                ++set.tables;
            }
            else
            {
                description = u"alter_"_s + current;
                st << u"ALTER TABLE %1 ADD COLUMN c%2 integer NOT NULL DEFAULT 0"_s.arg(current, version);
            }
            for (int k = 1; st.size() < wanted; ++k)
            {
                switch ((i + k) % 5)
                {
                case 0:
                    st << u"CREATE INDEX ix%1_%2 ON %3 (name)"_s.arg(version).arg(k).arg(current);
                    break;
                case 1:
                    st << u"INSERT INTO %1 (name, amount) VALUES ('a%2', 1.50), ('b%2', 2), ('c%2', 3.25)"_s.arg(current, version);
                    break;
                case 2:
                    st << u"ALTER TABLE %1 ADD COLUMN note%2_%3 text"_s.arg(current, version).arg(k);
                    break;
                case 3:
                    st << u"UPDATE %1 SET amount = amount + 1 WHERE name LIKE 'a%'"_s.arg(current);
                    break;
                default:
                    st << u"COMMENT ON TABLE %1 IS 'changed by migration %2'"_s.arg(current, version);
                    break;
                }
            }
            const QString sql = u"-- %1: %2\n"_s.arg(version, description) + st.join(u";\n"_s) + u";\n"_s;
            QFile f(dir + u'/' + version + u'_' + description + u".sql"_s);
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(sql.toUtf8()) < 0)
                throw BenchError(u"cannot write %1: %2"_s.arg(f.fileName(), f.errorString()));
            set.versions << version;
            set.contents << sql;
            set.statements += int(st.size());
            set.tablesAfter << set.tables;
        }
        return set;
    }

    namespace
    {
        QString madeFolder(const QTemporaryDir &dir, const QString &name)
        {
            if (!dir.isValid())
                throw BenchError(u"cannot create a temporary folder"_s);
            const QString path = dir.path() + u'/' + name;
            if (!QDir().mkpath(path))
                throw BenchError(u"cannot create "_s + path);
            return path;
        }
    }

    Workspace::Workspace(int count)
        : migrations(madeFolder(m_dir, u"migrations"_s))
        , home(madeFolder(m_dir, u"home"_s))
        , set(generateMigrations(migrations, count))
    {
    }

    namespace
    {
        qint64 userTables(PgConnection &conn)
        {
            return scalar(conn, u"SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'dbops_schema_history'"_s);
        }
    }

    void verifyDbopsApplied(Sandbox &sandbox, const QString &database, const GeneratedMigrations &set, int expected)
    {
        auto conn = connect(sandbox, database);
        const qint64 rows = scalar(*conn, u"SELECT count(*) FROM dbops_schema_history"_s);
        const qint64 ok = scalar(*conn, u"SELECT count(*) FROM dbops_schema_history WHERE type = 'SQL' AND success"_s);
        const qint64 distinct = scalar(*conn, u"SELECT count(DISTINCT version) FROM dbops_schema_history"_s);
        const qint64 highest = scalar(*conn, u"SELECT COALESCE(max(version::bigint), 0) FROM dbops_schema_history"_s);
        if (rows != expected || ok != expected || distinct != expected || highest != set.versions.value(expected - 1).toLongLong())
            throw BenchError(u"%1: expected %2 applied migrations once each; the history has %3 rows, %4 successful SQL rows, "
                             u"%5 distinct versions, highest %6"_s.arg(database)
                                 .arg(expected)
                                 .arg(rows)
                                 .arg(ok)
                                 .arg(distinct)
                                 .arg(highest));
        const qint64 tables = userTables(*conn);
        if (tables != set.tablesAfter.value(expected - 1))
            throw BenchError(u"%1: expected %2 tables, found %3"_s.arg(database).arg(set.tablesAfter.value(expected - 1)).arg(tables));
    }

    void verifyTables(Sandbox &sandbox, const QString &database, int expectedTables)
    {
        auto conn = connect(sandbox, database);
        const qint64 tables = userTables(*conn);
        if (tables != expectedTables)
            throw BenchError(u"%1: expected %2 tables, found %3"_s.arg(database).arg(expectedTables).arg(tables));
    }

    double median(QList<double> values)
    {
        if (values.isEmpty())
            return 0;
        std::sort(values.begin(), values.end());
        const qsizetype n = values.size();
        return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    QString seconds(double ms)
    {
        return u"%1 s"_s.arg(ms / 1000.0, 0, 'f', 3);
    }

    QString passMiss(bool pass)
    {
        return pass ? u"PASS"_s : u"MISS"_s;
    }

    int guarded(const char *name, const std::function<void()> &body)
    {
        try
        {
            body();
            return 0;
        }
        catch (const BenchError &e)
        {
            std::fprintf(stderr, "%s: could not run: %s\n", name, e.what());
        }
        catch (const Exception &e)
        {
            std::fprintf(stderr, "%s: could not run: %s\n", name, qPrintable(e.error().toString()));
        }
        catch (const std::exception &e)
        {
            std::fprintf(stderr, "%s: could not run: %s\n", name, e.what());
        }
        return 1;
    }
}
