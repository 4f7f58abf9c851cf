// Issue 3, figure 2: 16 `dbops migrate` processes started at once on a fresh database with 50
// pending migrations. All must exit 0 and each migration must be applied exactly once. The wall
// time of the whole batch is compared with one `dbops migrate` applying the same 50 to another
// fresh database in the same run (target: batch <= single + 1.0 s). 3 rounds, alternating, medians.
#include "bench/support/benchsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::bench;

namespace
{
    constexpr int kMigrations = 50;
    constexpr int kProcesses = 16;
    constexpr int kRounds = 3;
    constexpr double kTargetExtraMs = 1000;

    struct Batch
    {
        qint64 wallMs = 0;
        qint64 worstMs = 0;
        int applied = 0; ///< "applied ..." lines over all processes
    };

    int appliedLines(const QString &out)
    {
        static const QRegularExpression line(u"^applied "_s, QRegularExpression::MultilineOption);
        return int(out.count(line));
    }

    /// Starts every process at once and waits for all of them.
    Batch runBatch(const QString &program, const QStringList &args, const QProcessEnvironment &env)
    {
        std::vector<std::unique_ptr<QProcess>> procs;
        std::vector<qint64> startedAt(kProcesses, 0), finishedAt(kProcesses, -1);
        QEventLoop loop;
        int running = kProcesses;
        QElapsedTimer timer;
        for (int i = 0; i < kProcesses; ++i)
        {
            auto p = std::make_unique<QProcess>();
            p->setProcessEnvironment(env);
            QObject::connect(p.get(), &QProcess::finished, &loop, [&, i] {
                finishedAt[size_t(i)] = timer.elapsed();
                if (--running == 0)
                    loop.quit();
            });
            procs.push_back(std::move(p));
        }
        timer.start();
        for (int i = 0; i < kProcesses; ++i)
        {
            startedAt[size_t(i)] = timer.elapsed();
            procs[size_t(i)]->start(program, args);
        }
        QTimer::singleShot(300000, &loop, &QEventLoop::quit);
        if (running > 0)
            loop.exec();
        Batch b;
        b.wallMs = timer.elapsed();
        QStringList failures;
        for (int i = 0; i < kProcesses; ++i)
        {
            QProcess &p = *procs[size_t(i)];
            if (finishedAt[size_t(i)] < 0)
            {
                p.kill();
                p.waitForFinished(5000);
                failures << u"process %1 did not finish within 300 s"_s.arg(i + 1);
                continue;
            }
            b.worstMs = std::max(b.worstMs, finishedAt[size_t(i)] - startedAt[size_t(i)]);
            const QString out = QString::fromUtf8(p.readAllStandardOutput());
            const QString err = QString::fromUtf8(p.readAllStandardError());
            if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
                failures << u"process %1: exit %2: %3"_s.arg(i + 1).arg(p.exitCode()).arg(err.trimmed().right(1500));
            b.applied += appliedLines(out);
        }
        if (!failures.isEmpty())
            throw BenchError(u"%1 of %2 concurrent %3 processes failed:\n"_s.arg(failures.size()).arg(kProcesses).arg(program)
                             + failures.join(u'\n'));
        return b;
    }

    void run()
    {
        const Workspace work(kMigrations);
        const QString &migrations = work.migrations;
        const GeneratedMigrations &set = work.set;

        auto sandbox = startSandbox();
        const QString dbops = dbopsPath();
        const QProcessEnvironment env = childEnvironment(work.home);
        std::printf("bench_migrate_concurrent: %d processes, %d migrations (%d statements), PostgreSQL %d, %d rounds\n", kProcesses,
                    kMigrations, set.statements, sandbox->majorVersion(), kRounds);

        QList<double> singleMs, batchMs, worstMs, psqlOneMs, psqlBatchMs;
        // Context, not a target: what 16 processes and sessions started at once cost on this
        // machine anyway (16 psql -c 'select 1' against one).
        const QString psql = psqlPath(*sandbox);
        const QStringList psqlArgs{u"-X"_s, u"-q"_s, u"-d"_s, sandbox->url(u"postgres"_s), u"-c"_s, u"select 1"_s};
        auto psqlContext = [&] {
            const ProcessRun one = runProcess(psql, psqlArgs, env);
            if (!one.ok())
                throw BenchError(u"psql failed (%1)"_s.arg(one.describe()));
            psqlOneMs << double(one.ms);
            psqlBatchMs << double(runBatch(psql, psqlArgs, env).wallMs);
        };
        auto single = [&](int round) {
            const QString db = u"single_%1"_s.arg(round);
            createDatabase(*sandbox, db);
            const ProcessRun r = runProcess(dbops, {u"migrate"_s, u"--db"_s, sandbox->url(db), u"--migrations"_s, migrations}, env);
            if (!r.ok())
                throw BenchError(u"dbops migrate failed (%1)"_s.arg(r.describe()));
            verifyDbopsApplied(*sandbox, db, set, kMigrations);
            singleMs << double(r.ms);
            std::printf("  round %d: single %s\n", round + 1, qPrintable(seconds(double(r.ms))));
        };
        auto batch = [&](int round) {
            const QString db = u"batch_%1"_s.arg(round);
            createDatabase(*sandbox, db);
            const Batch b = runBatch(dbops, {u"migrate"_s, u"--db"_s, sandbox->url(db), u"--migrations"_s, migrations}, env);
            verifyDbopsApplied(*sandbox, db, set, kMigrations);
            if (b.applied != kMigrations)
                throw BenchError(u"the %1 processes reported %2 applied migrations in all, expected %3"_s.arg(kProcesses)
                                     .arg(b.applied)
                                     .arg(kMigrations));
            batchMs << double(b.wallMs);
            worstMs << double(b.worstMs);
            std::printf("  round %d: batch  %s (slowest process %s)\n", round + 1, qPrintable(seconds(double(b.wallMs))),
                        qPrintable(seconds(double(b.worstMs))));
        };
        for (int round = 0; round < kRounds; ++round)
        {
            if (round % 2 == 0)
            {
                single(round);
                batch(round);
            }
            else
            {
                batch(round);
                single(round);
            }
            psqlContext();
            std::fflush(stdout);
        }

        const double s = median(singleMs), b = median(batchMs), w = median(worstMs);
        std::printf("%d concurrent migrate of %d: batch %s, single %s, difference %+.3f s (target <= +%.1f s) %s; "
                    "worst process %s\n",
                    kProcesses, kMigrations, qPrintable(seconds(b)), qPrintable(seconds(s)), (b - s) / 1000.0, kTargetExtraMs / 1000.0,
                    qPrintable(passMiss(b - s <= kTargetExtraMs)), qPrintable(seconds(w)));
        const double p1 = median(psqlOneMs), pn = median(psqlBatchMs);
        std::printf("  context: %d concurrent psql -c 'select 1' %s, one %s, difference %+.3f s (process and session start-up "
                    "on this machine, part of any batch)\n",
                    kProcesses, qPrintable(seconds(pn)), qPrintable(seconds(p1)), (pn - p1) / 1000.0);
    }
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    return guarded("bench_migrate_concurrent", run);
}
