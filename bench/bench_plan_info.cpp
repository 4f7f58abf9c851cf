// Issue 3, figure 3: `dbops info` over 5,000 migration files (parsing included) against a database
// whose history has 4,000 of them applied; target < 1 s wall time. Also the in-process
// loadMigrations() + history read + buildTimeline(), and, for context, the cost of a process that
// only starts and connects: psql -c "select count(*) from dbops_schema_history".
#include "bench/support/benchsupport.h"

#include "core/migrate/dbopshistory.h"
#include "core/migrate/migrationsource.h"
#include "core/migrate/timeline.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::bench;

namespace
{
    constexpr int kFiles = 5000;
    constexpr int kApplied = 4000;
    constexpr int kRuns = 3;
    constexpr double kTargetMs = 1000;

    void checkTimeline(const Timeline &t, const QString &what)
    {
        int applied = 0, pending = 0;
        for (const TimelineEntry &e : t.entries)
        {
            if (e.state == MigrationState::Applied)
                ++applied;
            else if (e.state == MigrationState::Pending)
                ++pending;
        }
        if (t.entries.size() != kFiles || applied != kApplied || pending != kFiles - kApplied)
            throw BenchError(u"%1: expected %2 entries, %3 applied, %4 pending; got %5, %6, %7"_s.arg(what)
                                 .arg(kFiles)
                                 .arg(kApplied)
                                 .arg(kFiles - kApplied)
                                 .arg(t.entries.size())
                                 .arg(applied)
                                 .arg(pending));
    }

    void run()
    {
        const Workspace work(kFiles);
        const QString &migrations = work.migrations;
        const GeneratedMigrations &set = work.set;

        auto sandbox = startSandbox();
        const QString dbops = dbopsPath();
        const QString psql = psqlPath(*sandbox);
        const QProcessEnvironment env = childEnvironment(work.home);
        const QString db = u"plan"_s;
        createDatabase(*sandbox, db);
        const QString url = sandbox->url(db);
        std::printf("bench_plan_info: %d files (%d statements), %d applied, PostgreSQL %d, %d runs each\n", kFiles, set.statements,
                    kApplied, sandbox->majorVersion(), kRuns);

        // Setup, not measured: the history gets its 4,000 rows the honest way.
        const ProcessRun setup = runProcess(
            dbops, {u"migrate"_s, u"--db"_s, url, u"--migrations"_s, migrations, u"--target"_s, set.versions[kApplied - 1]}, env);
        if (!setup.ok())
            throw BenchError(u"setup: dbops migrate --target %1 failed (%2)"_s.arg(set.versions[kApplied - 1], setup.describe()));
        verifyDbopsApplied(*sandbox, db, set, kApplied);
        std::printf("  setup: applied %d migrations in %s (not measured)\n", kApplied, qPrintable(seconds(double(setup.ms))));
        std::fflush(stdout);

        static const QRegularExpression appliedRow(u"^.*\\sapplied\\s"_s, QRegularExpression::MultilineOption);
        static const QRegularExpression pendingRow(u"^.*\\spending\\s"_s, QRegularExpression::MultilineOption);
        QList<double> infoMs, loadMs, planMs, psqlMs;
        for (int i = 0; i < kRuns; ++i)
        {
            auto runInfo = [&] {
                const ProcessRun r = runProcess(dbops, {u"info"_s, u"--db"_s, url, u"--migrations"_s, migrations}, env);
                if (!r.ok())
                    throw BenchError(u"dbops info failed (%1)"_s.arg(r.describe()));
                const qsizetype applied = r.out.count(appliedRow), pending = r.out.count(pendingRow);
                if (!r.out.contains(u"Current version: "_s + set.versions[kApplied - 1]) || applied != kApplied
                    || pending != kFiles - kApplied)
                    throw BenchError(u"dbops info printed %1 applied and %2 pending rows (expected %3 and %4):\n%5"_s.arg(applied)
                                         .arg(pending)
                                         .arg(kApplied)
                                         .arg(kFiles - kApplied)
                                         .arg(r.out.left(1000)));
                infoMs << double(r.ms);
                std::printf("  run %d: dbops info %s\n", i + 1, qPrintable(seconds(double(r.ms))));
            };
            auto runPsql = [&] {
                const ProcessRun r =
                    runProcess(psql, {u"-X"_s, u"-q"_s, u"-d"_s, url, u"-c"_s, u"select count(*) from dbops_schema_history"_s}, env);
                if (!r.ok())
                    throw BenchError(u"psql failed (%1)"_s.arg(r.describe()));
                psqlMs << double(r.ms);
                std::printf("  run %d: psql count %s\n", i + 1, qPrintable(seconds(double(r.ms))));
            };
            if (i % 2 == 0)
            {
                runInfo();
                runPsql();
            }
            else
            {
                runPsql();
                runInfo();
            }

            // In process: read and parse the folder, then read the history and build the timeline.
            QElapsedTimer timer;
            timer.start();
            auto loaded = loadMigrations(migrations);
            if (!loaded)
                throw BenchError(u"loadMigrations: "_s + loaded.error().toString());
            const qint64 load = timer.restart();
            auto conn = connect(*sandbox, db);
            DbopsHistory history;
            const QList<HistoryRow> rows = history.read(*conn, nullptr);
            Timeline t = buildTimeline(*loaded, rows, history);
            const qint64 plan = timer.elapsed();
            checkTimeline(t, u"in-process timeline"_s);
            loadMs << double(load);
            planMs << double(plan);
            std::printf("  run %d: in-process load %s + connect, read history, plan %s\n", i + 1, qPrintable(seconds(double(load))),
                        qPrintable(seconds(double(plan))));
            std::fflush(stdout);
        }

        const double info = median(infoMs), load = median(loadMs), plan = median(planMs), p = median(psqlMs);
        std::printf("info over %d files, %d applied: dbops info %s (target < %.1f s) %s; in-process load %s + plan %s = %s; "
                    "psql count %s (info is %.1fx a bare connect+query)\n",
                    kFiles, kApplied, qPrintable(seconds(info)), kTargetMs / 1000.0, qPrintable(passMiss(info < kTargetMs)),
                    qPrintable(seconds(load)), qPrintable(seconds(plan)), qPrintable(seconds(load + plan)), qPrintable(seconds(p)),
                    p > 0 ? info / p : 0.0);
    }
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    return guarded("bench_plan_info", run);
}
