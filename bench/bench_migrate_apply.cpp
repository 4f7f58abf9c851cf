// Issue 3, figure 1: applying 500 small migrations with `dbops migrate` (one transaction per
// migration, history row included) against ONE psql session running the same files, each in
// BEGIN/COMMIT. Wall time of each, 3 runs on fresh databases in alternating order, medians.
#include "bench/support/benchsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::bench;

namespace
{
    constexpr int kMigrations = 500;
    constexpr int kRuns = 3;
    constexpr double kTargetRatio = 1.10;

    void run()
    {
        const Workspace work(kMigrations);
        const QString &migrations = work.migrations;
        const GeneratedMigrations &set = work.set;
        const QString allSql = work.path() + u"/all.sql"_s;
        {
            QFile f(allSql);
            if (!f.open(QIODevice::WriteOnly) || f.write(set.concatenatedInTransactions().toUtf8()) < 0)
                throw BenchError(u"cannot write "_s + allSql);
        }

        auto sandbox = startSandbox();
        const QString dbops = dbopsPath();
        const QString psql = psqlPath(*sandbox);
        const QProcessEnvironment env = childEnvironment(work.home);
        std::printf("bench_migrate_apply: %d migrations (%d statements, %d tables), PostgreSQL %d, %d runs each\n", kMigrations,
                    set.statements, set.tables, sandbox->majorVersion(), kRuns);

        QList<double> dbopsMs, psqlMs;
        auto runDbops = [&](int i) {
            const QString db = u"apply_dbops_%1"_s.arg(i);
            createDatabase(*sandbox, db);
            const ProcessRun r = runProcess(dbops, {u"migrate"_s, u"--db"_s, sandbox->url(db), u"--migrations"_s, migrations}, env);
            if (!r.ok())
                throw BenchError(u"dbops migrate failed (%1)"_s.arg(r.describe()));
            verifyDbopsApplied(*sandbox, db, set, kMigrations);
            dbopsMs << double(r.ms);
            std::printf("  run %d: dbops %s\n", i + 1, qPrintable(seconds(double(r.ms))));
        };
        auto runPsql = [&](int i) {
            const QString db = u"apply_psql_%1"_s.arg(i);
            createDatabase(*sandbox, db);
            const ProcessRun r =
                runProcess(psql, {u"-X"_s, u"-q"_s, u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-d"_s, sandbox->url(db), u"-f"_s, allSql}, env);
            if (!r.ok())
                throw BenchError(u"psql failed (%1)"_s.arg(r.describe()));
            verifyTables(*sandbox, db, set.tables);
            psqlMs << double(r.ms);
            std::printf("  run %d: psql  %s\n", i + 1, qPrintable(seconds(double(r.ms))));
        };
        for (int i = 0; i < kRuns; ++i)
        {
            if (i % 2 == 0)
            {
                runDbops(i);
                runPsql(i);
            }
            else
            {
                runPsql(i);
                runDbops(i);
            }
            std::fflush(stdout);
        }

        const double d = median(dbopsMs), p = median(psqlMs);
        const double ratio = p > 0 ? d / p : 0;
        std::printf("apply %d migrations: dbops %s, psql %s, ratio %.2f (target <= %.2f) %s\n", kMigrations, qPrintable(seconds(d)),
                    qPrintable(seconds(p)), ratio, kTargetRatio, qPrintable(passMiss(ratio <= kTargetRatio)));
    }
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    return guarded("bench_migrate_apply", run);
}
