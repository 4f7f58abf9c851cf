// Issue 7: on a pgbench -s 50 database, a dbops backup (pg_dump -Fc streamed through dbops: written,
// SHA-256 as it arrives, fsync, rename) against the bare pg_dump with the same flags (-Fc to a
// file, which pg_dump syncs itself), and a dbops restore into a new database (CREATE DATABASE +
// pg_restore --jobs) against bare createdb + pg_restore with the same flags. 3 runs each in
// alternating order, medians. The verification (a complete read of the archive) and the restore's
// checks (SHA-256 against the catalog, --list, row counts) are separate steps, printed beside.
#include "bench/support/benchsupport.h"

#include "core/backup/backupcatalog.h"
#include "core/backup/backupservice.h"
#include "core/backup/restoreservice.h"
#include "core/backup/toollocator.h"
#include "core/jobs/job.h"
#include "core/store/store.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::bench;

namespace
{
    constexpr int kScale = 50;
    constexpr int kRuns = 3;
    constexpr int kRestoreJobs = 2;
    constexpr double kTargetRatio = 1.05;

    QVariant inJob(const std::function<QVariant(JobContext &)> &body)
    {
        Job job(u"bench"_s, body);
        job.run();
        if (job.state() != JobState::Succeeded)
            throw BenchError(job.error().toString());
        return job.result();
    }

    void run()
    {
        QTemporaryDir work;
        if (!work.isValid())
            throw BenchError(u"cannot create a temporary folder"_s);
        auto sandbox = startSandbox();
        createDatabase(*sandbox, u"source"_s);
        const QString pgbench = sandbox->binDir() + u"/pgbench"_s;
        const ProcessRun init = runProcess(QFile::exists(pgbench) ? pgbench : u"pgbench"_s,
                                           {u"-i"_s, u"-q"_s, u"-s"_s, QString::number(kScale), u"-h"_s, sandbox->socketDir(), u"-p"_s,
                                            QString::number(sandbox->port()), u"-U"_s, u"postgres"_s, u"source"_s},
                                           QProcessEnvironment::systemEnvironment(), 1800000);
        if (!init.ok())
            throw BenchError(u"pgbench -i failed (%1)"_s.arg(init.describe()));
        auto tools = locatePgTools(sandbox->majorVersion());
        if (!tools)
            throw BenchError(tools.error().message);
        Store store(work.filePath(u"store.sqlite"_s));
        if (auto opened = store.open(); !opened)
            throw BenchError(opened.error().message);
        const ConnectParams source = sandbox->connectParams(u"source"_s);
        const QString keywords = u"host=%1 port=%2 user=postgres"_s.arg(sandbox->socketDir()).arg(sandbox->port());
        std::printf("bench_backup: pgbench -s %d (%s in tables), pg_dump %d, PostgreSQL %d, %d runs each\n", kScale,
                    qPrintable(formatBytes(
                        scalar(*connect(*sandbox, u"source"_s), u"SELECT sum(pg_table_size(oid)) FROM pg_class WHERE relkind = 'r'"_s))),
                    tools->major, sandbox->majorVersion(), kRuns);

        QList<double> dbopsDump, bareDump, verifyMs, dbopsRestore, bareRestore, checkMs;
        QList<qint64> ids;
        auto runDbopsDump = [&](int i) {
            BackupRequest req;
            req.profile.name = u"bench"_s;
            req.connection = source;
            req.outputDir = work.filePath(u"dbops"_s);
            req.verify = false;
            req.applyRetention = false;
            QElapsedTimer t;
            t.start();
            const qint64 id =
                inJob([&](JobContext &jc) { return QVariant::fromValue(BackupService(store).backup(req, jc).id); }).toLongLong();
            dbopsDump << double(t.elapsed());
            ids << id;
            t.restart();
            const BackupEntry verified =
                inJob([&](JobContext &jc) { return QVariant::fromValue(BackupService(store).verify(id, jc)); }).value<BackupEntry>();
            if (verified.verification != VerifyState::Verified || verified.rowCounts.value(u"public.pgbench_accounts"_s) != kScale * 100000)
                throw BenchError(u"backup %1 did not verify: %2"_s.arg(id).arg(verified.verifyDetail));
            verifyMs << double(t.elapsed());
            std::printf("  run %d: dbops backup %s (+ verification %s)\n", i + 1, qPrintable(seconds(dbopsDump.last())),
                        qPrintable(seconds(verifyMs.last())));
        };
        auto runBareDump = [&](int i) {
            const QString file = work.filePath(u"bare-%1.dump"_s.arg(i));
            const ProcessRun r = runProcess(
                tools->pgDump, {u"--format=custom"_s, u"--verbose"_s, u"--file="_s + file, u"--dbname="_s + keywords + u" dbname=source"_s},
                QProcessEnvironment::systemEnvironment(), 1800000);
            if (!r.ok())
                throw BenchError(u"pg_dump failed (%1)"_s.arg(r.describe()));
            bareDump << double(r.ms);
            std::printf("  run %d: bare pg_dump  %s\n", i + 1, qPrintable(seconds(double(r.ms))));
        };
        for (int i = 0; i < kRuns; ++i)
        {
            if (i % 2 == 0)
            {
                runDbopsDump(i);
                runBareDump(i);
            }
            else
            {
                runBareDump(i);
                runDbopsDump(i);
            }
            std::fflush(stdout);
        }

        auto runDbopsRestore = [&](int i) {
            RestoreRequest req;
            req.backupId = ids.value(i);
            req.profile.name = u"bench"_s;
            req.connection = sandbox->connectParams();
            req.newDatabase = u"restored_dbops_%1"_s.arg(i);
            req.jobs = kRestoreJobs;
            const QJsonObject r =
                inJob([&](JobContext &jc) { return QVariant(RestoreService(store).restore(req, jc).toJson()); }).toJsonObject();
            // The restore itself: CREATE DATABASE + pg_restore, timed inside; the checks apart.
            dbopsRestore << double(r.value(u"restore_ms"_s).toInteger());
            checkMs << double(r.value(u"check_ms"_s).toInteger());
            std::printf("  run %d: dbops restore %s (+ checks %s)\n", i + 1, qPrintable(seconds(dbopsRestore.last())),
                        qPrintable(seconds(checkMs.last())));
        };
        auto runBareRestore = [&](int i) {
            const QString db = u"restored_bare_%1"_s.arg(i);
            createDatabase(*sandbox, db);
            const ProcessRun r = runProcess(tools->pgRestore,
                                            {u"--verbose"_s, u"--exit-on-error"_s, u"--jobs=%1"_s.arg(kRestoreJobs),
                                             u"--dbname="_s + keywords + u" dbname="_s + db, work.filePath(u"bare-%1.dump"_s.arg(i))},
                                            QProcessEnvironment::systemEnvironment(), 1800000);
            if (!r.ok())
                throw BenchError(u"pg_restore failed (%1)"_s.arg(r.describe()));
            bareRestore << double(r.ms);
            std::printf("  run %d: bare pg_restore %s\n", i + 1, qPrintable(seconds(double(r.ms))));
        };
        for (int i = 0; i < kRuns; ++i)
        {
            if (i % 2 == 0)
            {
                runDbopsRestore(i);
                runBareRestore(i);
            }
            else
            {
                runBareRestore(i);
                runDbopsRestore(i);
            }
            std::fflush(stdout);
        }

        const double d = median(dbopsDump), b = median(bareDump), v = median(verifyMs);
        const double r1 = b > 0 ? d / b : 0;
        std::printf("backup (pg_dump -Fc, SHA-256 and fsync included): dbops %s, bare pg_dump %s, ratio %.3f (target <= %.2f) %s; "
                    "verification (complete read) %s more\n",
                    qPrintable(seconds(d)), qPrintable(seconds(b)), r1, kTargetRatio, qPrintable(passMiss(r1 <= kTargetRatio)),
                    qPrintable(seconds(v)));
        const double rd = median(dbopsRestore), rb = median(bareRestore), c = median(checkMs);
        const double r2 = rb > 0 ? rd / rb : 0;
        std::printf("restore (pg_restore --jobs=%d into a new database): dbops %s, bare pg_restore %s, ratio %.3f (target <= %.2f) %s; "
                    "checks (SHA-256, --list, row counts) %s more\n",
                    kRestoreJobs, qPrintable(seconds(rd)), qPrintable(seconds(rb)), r2, kTargetRatio,
                    qPrintable(passMiss(r2 <= kTargetRatio)), qPrintable(seconds(c)));
    }
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    return guarded("bench_backup", run);
}
