#pragma once

#include <QString>
#include <QtGlobal>

namespace dbops
{
    /// How far a pg_dump is, estimated from the archive bytes it has written against the size on
    /// disk of the tables it dumps (read before the dump), as the job's progress and its words.
    /// Table boundaries (pg_dump --verbose names each table) mark the finished tables' share and
    /// teach the archive-to-disk ratio (compression); within a table, the bytes written since it
    /// began advance it at that ratio (a prior one until there is enough to learn from). Never
    /// says "done" before the dump ended, never goes backwards, and gives no time left until
    /// there is enough to estimate from (kMinElapsedMs and kMinFraction): "estimating…" instead.
    /// A plain value; one per dump, on the dump's thread.
    class DumpProgress final
    {
    public:
        /// No time left before this much of the dump ran...
        static constexpr qint64 kMinElapsedMs = 1000;
        /// ... and this much of it is estimated done.
        static constexpr double kMinFraction = 0.02;
        /// Archive bytes per on-disk byte assumed until finished tables say better (pg_dump's
        /// compressed custom format is typically a fraction of the heap).
        static constexpr double kPriorRatio = 0.25;
        /// Within a table the estimate stops short of its end until pg_dump moves on.
        static constexpr double kTableCap = 0.95;

        /// `tablesOnDisk`: the sum of the dumped tables' sizes on disk, in bytes.
        explicit DumpProgress(qint64 tablesOnDisk);

        /// pg_dump began the next table, `bytesOnDisk` big; the previous one is complete.
        void tableStarted(qint64 bytesOnDisk);
        /// The archive holds `totalBytes` bytes now (a running total, not an increment).
        void written(qint64 totalBytes);

        struct Estimate
        {
            qint64 done = 0;         ///< in on-disk bytes, < total while the dump runs
            qint64 total = 1;        ///< the tables' size on disk (at least 1)
            double fraction = 0;     ///< done / total
            qint64 remainingMs = -1; ///< -1: not enough to estimate yet
            /// "~37% · ~0:04 left" or "estimating…" (the percent once any data was seen).
            QString text() const;
        };
        /// The estimate after `elapsedMs` of the dump. Monotone: never below an earlier one.
        Estimate estimate(qint64 elapsedMs);

    private:
        qint64 m_total;
        qint64 m_doneOnDisk = 0;     ///< finished tables
        qint64 m_current = 0;        ///< the table being dumped, on disk
        qint64 m_written = 0;        ///< archive bytes so far
        qint64 m_writtenAtStart = 0; ///< archive bytes when the current table began
        bool m_started = false;
        double m_best = 0; ///< the highest fraction reported (monotone)
    };
}
