#pragma once

#include "core/db/pgconnection.h"
#include "core/sandbox/sandbox.h"

#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>
#include <memory>
#include <stdexcept>

namespace dbops::bench
{
    /// The benchmark itself could not run (a child failed, a check did not hold): main() prints
    /// it and exits 1. A missed speed target is not an error; it is printed as MISS.
    class BenchError final : public std::runtime_error
    {
    public:
        explicit BenchError(const QString &message);
    };

    /// A child process run to completion.
    struct ProcessRun
    {
        int exitCode = -1;
        bool crashed = false;
        bool timedOut = false;
        qint64 ms = 0; ///< wall time from start() to finished
        QString out;
        QString err;

        bool ok() const { return !crashed && !timedOut && exitCode == 0; }
        /// "exit 5: <stderr tail>" for failure messages.
        QString describe() const;
    };

    /// Runs program to completion (blocking), timing it with QElapsedTimer.
    ProcessRun runProcess(const QString &program, const QStringList &args, const QProcessEnvironment &env, int timeoutMs = 600000);

    /// The dbops CLI built in the same tree (DBOPS_CLI_PATH, overridable by $DBOPS_CLI).
    QString dbopsPath();
    /// The psql of the sandbox's PostgreSQL installation.
    QString psqlPath(const Sandbox &sandbox);

    /// The environment for dbops children: a private DBOPS_HOME, and no DATABASE_URL, MIGRATIONS_DIR
    /// or MIGRATION_* variable leaking in from the caller, so every run uses the documented defaults.
    QProcessEnvironment childEnvironment(const QString &home);

    /// A started throwaway PostgreSQL (fsync off), or BenchError with the reason.
    std::unique_ptr<Sandbox> startSandbox();
    /// Creates an empty database in the sandbox; BenchError on failure.
    void createDatabase(Sandbox &sandbox, const QString &name);
    std::unique_ptr<PgConnection> connect(Sandbox &sandbox, const QString &database);
    /// The first column of the first row of `sql`, as a whole number.
    qint64 scalar(PgConnection &conn, const QString &sql);

    /// Migrations generated into a folder: a realistic mix of CREATE TABLE, ALTER TABLE ADD COLUMN,
    /// CREATE INDEX, INSERT, UPDATE and COMMENT, 2-6 statements per file, deterministic.
    struct GeneratedMigrations
    {
        QString dir;
        QStringList versions; ///< "00001", ... in order
        QStringList contents; ///< each file's SQL
        int tables = 0;       ///< tables the whole set creates (all in schema public)
        int statements = 0;
        QList<int> tablesAfter; ///< tables created by files 1..i, at index i-1

        /// Every file's SQL in order, each wrapped in BEGIN/COMMIT (the psql baseline).
        QString concatenatedInTransactions() const;
    };
    GeneratedMigrations generateMigrations(const QString &dir, int count);

    /// A benchmark's scratch folder: `migrations/` holding `count` generated migrations and `home/`
    /// (a private DBOPS_HOME); removed on destruction. BenchError when it cannot be made.
    class Workspace final
    {
    public:
        explicit Workspace(int count);
        QString path() const { return m_dir.path(); }

    private:
        QTemporaryDir m_dir; // first: the members below live in it

    public:
        const QString migrations;
        const QString home;
        const GeneratedMigrations set;
    };

    /// Checks that `database` holds exactly the first `expected` migrations of `set`, applied once each
    /// by dbops (history rows, no duplicates, the tables). BenchError naming the difference otherwise.
    void verifyDbopsApplied(Sandbox &sandbox, const QString &database, const GeneratedMigrations &set, int expected);
    /// Checks that the tables of the whole set exist in `database` (the psql baseline).
    void verifyTables(Sandbox &sandbox, const QString &database, int expectedTables);

    double median(QList<double> values);
    QString seconds(double ms);
    QString passMiss(bool pass);
    /// Runs body, printing a BenchError (or any exception) and returning 1; 0 otherwise.
    int guarded(const char *name, const std::function<void()> &body);
}
