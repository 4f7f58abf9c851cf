// Issue 12: backup progress. A dump of one big table sat at 0% with "~4:09:05 left" for a 3 s
// dump: progress advanced only when pg_dump named the next table, and the time left was the
// elapsed time scaled by a tiny finished share. Now it is estimated from the archive bytes
// written against the tables' size on disk, says "estimating…" until there is enough to estimate
// from, never goes backwards and never says done before the end. The estimator alone, then a
// real backup of a database with one big table with its progress messages recorded.
#include "core/backup/backupservice.h"
#include "core/backup/dumpprogress.h"
#include "core/jobs/job.h"
#include "core/jobs/jobmanager.h"
#include "core/ops/backupops.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/pgfixture.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

namespace
{
    struct Seen
    {
        qint64 atMs = 0;
        qint64 done = 0;
        qint64 total = 0;
        QString message;
    };

    /// "~1:02 left" / "~5 s left" in milliseconds; -1 when the message gives no time left.
    qint64 leftMs(const QString &message)
    {
        static const QRegularExpression re(u"~(?:(\\d+):)?(\\d+)(?::(\\d+))?( s)? left"_s);
        const auto m = re.match(message);
        if (!m.hasMatch())
            return -1;
        if (!m.captured(4).isEmpty()) // "~N s left"
            return m.captured(2).toLongLong() * 1000;
        if (!m.captured(3).isEmpty()) // h:mm:ss
            return (m.captured(1).toLongLong() * 3600 + m.captured(2).toLongLong() * 60 + m.captured(3).toLongLong()) * 1000;
        return (m.captured(1).toLongLong() * 60 + m.captured(2).toLongLong()) * 1000; // m:ss
    }
} // namespace

class TestProgressEstimate final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<ProfileStore> m_profiles;

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        qputenv("DBOPS_HOME", m_dir.filePath(u"home"_s).toUtf8());
        m_store = std::make_unique<Store>(m_dir.filePath(u"store.sqlite"_s));
        QVERIFY(m_store->open().has_value());
        m_profiles = std::make_unique<ProfileStore>(*m_store);
    }

    /// One table of 10 MB on disk whose archive is 3 MB, written in 3 s: the estimate moves with
    /// the bytes, never backwards, never reaches "done", and gives no time left before 1 s.
    void oneBigTableAdvancesWithTheBytes()
    {
        const qint64 disk = 10'000'000;
        DumpProgress p(disk);
        DumpProgress::Estimate e = p.estimate(0);
        QCOMPARE(e.done, 0);
        QCOMPARE(e.text(), u"estimating…"_s);
        p.tableStarted(disk);
        double last = 0;
        for (int step = 1; step <= 30; ++step)
        {
            p.written(qint64(step) * 100'000); // 100 kB per 100 ms
            e = p.estimate(step * 100);
            QVERIFY2(e.fraction >= last, qPrintable(u"went back at step %1"_s.arg(step)));
            QVERIFY(e.fraction > 0);
            QVERIFY(e.done < e.total);
            last = e.fraction;
            if (step * 100 < DumpProgress::kMinElapsedMs)
            {
                QCOMPARE(e.remainingMs, -1);
                QVERIFY2(e.text().contains(u"estimating…"_s), qPrintable(e.text()));
            }
            else
            {
                QVERIFY(e.remainingMs >= 0);
                // Within a small factor of the truth (3 s in all), never hours.
                QVERIFY2(e.remainingMs < 60'000, qPrintable(e.text()));
            }
        }
        QVERIFY(last > 0.5);
    }

    /// The old failure: a small table done first, then a big one. The time left comes from the
    /// bytes, not from the elapsed time scaled by the small table's share.
    void smallTableFirstGivesNoAbsurdTimeLeft()
    {
        DumpProgress p(100'000'000 + 8192);
        p.tableStarted(8192);
        p.written(2000);
        p.tableStarted(100'000'000);
        p.written(2000 + 5'000'000);
        const DumpProgress::Estimate e = p.estimate(2000);
        QVERIFY(e.fraction > 0.1);
        QVERIFY2(e.remainingMs >= 0 && e.remainingMs < 60'000, qPrintable(e.text()));
    }

    /// Finished tables teach the compression ratio: with 1 archive byte per 10 on disk learned
    /// from the first table, the second is estimated at that ratio (half written: about half).
    void ratioIsLearnedFromFinishedTables()
    {
        DumpProgress p(20'000'000);
        p.tableStarted(10'000'000);
        p.written(1'000'000);
        p.tableStarted(10'000'000);
        p.written(1'500'000);
        const DumpProgress::Estimate e = p.estimate(5000);
        QVERIFY2(qAbs(e.fraction - 0.75) < 0.01, qPrintable(QString::number(e.fraction)));
        // More bytes than the ratio expects: capped short of the table's end, never "done".
        p.written(5'000'000);
        const DumpProgress::Estimate capped = p.estimate(6000);
        QVERIFY(capped.fraction < 1.0);
        QVERIFY(capped.done < capped.total);
        QVERIFY(capped.fraction >= e.fraction);
    }

    /// Nothing to go on (no bytes, or only a table boundary of an empty database): no percent,
    /// no time left.
    void nothingWrittenSaysEstimating()
    {
        DumpProgress p(0);
        const DumpProgress::Estimate e = p.estimate(5000);
        QCOMPARE(e.remainingMs, -1);
        QCOMPARE(e.text(), u"estimating…"_s);
        QCOMPARE(e.total, 1);
        QCOMPARE(e.done, 0);
    }

    /// A real backup of a database with one big table: the progress messages, recorded, advance
    /// monotonically and above zero while pg_dump writes, say "estimating…" before there is data
    /// to estimate from, and never give a time left far beyond the whole backup's duration.
    void realBackupOfOneBigTable()
    {
        const ConnectParams db = PgFixture::newDatabase(u"progress_big"_s);
        PgFixture::connect(db)->exec(
            u"CREATE TABLE big AS SELECT g, md5(g::text) AS t FROM generate_series(1, 500000) g"_s); // ~33 MB on disk
        const ops::Target t{
            profileFor(u"progress-"_s + db.value(u"dbname"_s), Environment::Development, db), {}, m_store.get(), m_profiles.get()};
        QMutex mutex;
        QList<Seen> seen;
        QElapsedTimer clock;
        auto *job = makeJob<BackupEntry>(u"backup"_s, [t](JobContext &jc) { return ops::backup(t, BackupRequest{}, jc); });
        connect(
            job, &Job::progressChanged, job,
            [&](qint64 done, qint64 total, const QString &message) {
                QMutexLocker locked(&mutex);
                seen.append({clock.elapsed(), done, total, message});
            },
            Qt::DirectConnection);
        JobManager jobs;
        clock.start();
        const auto outcome = jobs.run(job);
        const qint64 duration = clock.elapsed();
        QVERIFY2(!outcome.error, qPrintable(outcome.error ? outcome.error->toString() : QString()));

        QList<Seen> dumping;
        for (const Seen &s : std::as_const(seen))
            if (s.message.startsWith(u"dumping "_s) || s.message.startsWith(u"starting pg_dump"_s))
                dumping << s;
        QVERIFY2(dumping.size() >= 2, qPrintable(u"%1 progress messages"_s.arg(dumping.size())));
        qint64 last = 0;
        bool advanced = false;
        for (const Seen &s : std::as_const(dumping))
        {
            QVERIFY2(s.done >= last, qPrintable(u"went back: %1 after %2 (%3)"_s.arg(s.done).arg(last).arg(s.message)));
            QVERIFY2(s.total > 1, qPrintable(s.message));      // against the table's size on disk
            QVERIFY2(s.done < s.total, qPrintable(s.message)); // never "done" while dumping
            last = s.done;
            advanced = advanced || (s.done > 0 && s.message.contains(u"dumping public.big"_s));
            const qint64 left = leftMs(s.message);
            if (left >= 0)
                // No absurd ETA: at most a few times the whole backup (under load), never hours.
                QVERIFY2(left <= std::max<qint64>(10 * duration, 30'000), qPrintable(s.message + u" (backup took %1 ms)"_s.arg(duration)));
            else
                QVERIFY2(s.message.contains(u"estimating…"_s), qPrintable(s.message));
        }
        QVERIFY2(advanced, "the progress never moved above 0% while the big table was dumped");
        QVERIFY2(dumping.first().message.contains(u"estimating…"_s), qPrintable(dumping.first().message));
    }
};

QTEST_GUILESS_MAIN(TestProgressEstimate)
#include "test_progress_estimate.moc"
