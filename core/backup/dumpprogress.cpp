#include "core/backup/dumpprogress.h"

#include "core/backup/backupservice.h"

#include <algorithm>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        /// A ratio learned from fewer finished on-disk bytes than this is not trusted yet.
        constexpr qint64 kMinLearnBytes = 256 * 1024;
    }

    DumpProgress::DumpProgress(qint64 tablesOnDisk)
        : m_total(std::max<qint64>(1, tablesOnDisk))
    {
    }

    void DumpProgress::tableStarted(qint64 bytesOnDisk)
    {
        if (m_started)
            m_doneOnDisk += m_current;
        m_started = true;
        m_current = std::max<qint64>(0, bytesOnDisk);
        m_writtenAtStart = m_written;
    }

    void DumpProgress::written(qint64 totalBytes)
    {
        m_written = std::max(m_written, totalBytes);
    }

    DumpProgress::Estimate DumpProgress::estimate(qint64 elapsedMs)
    {
        // Archive bytes per on-disk byte: learned from the finished tables once there are enough.
        const double ratio =
            m_doneOnDisk >= kMinLearnBytes && m_writtenAtStart > 0 ? double(m_writtenAtStart) / double(m_doneOnDisk) : kPriorRatio;
        double doneOnDisk = double(std::min(m_doneOnDisk, m_total));
        if (m_current > 0)
        {
            const double inTable = double(m_written - m_writtenAtStart) / ratio;
            doneOnDisk += std::min(inTable, kTableCap * double(m_current));
        }
        else if (!m_started && m_written > 0)
            doneOnDisk = std::min(double(m_written) / ratio, kTableCap * double(m_total)); // before pg_dump named a table
        const double cap = 0.99;                                                           // "done" is the dump's end, never an estimate
        const double fraction = std::clamp(doneOnDisk / double(m_total), 0.0, cap);
        m_best = std::max(m_best, fraction);

        Estimate e;
        e.total = m_total;
        e.fraction = m_best;
        e.done = std::min<qint64>(m_total - 1, qint64(std::llround(m_best * double(m_total))));
        if (elapsedMs >= kMinElapsedMs && m_best >= kMinFraction)
            e.remainingMs = qint64(double(elapsedMs) * (1.0 - m_best) / m_best);
        return e;
    }

    QString DumpProgress::Estimate::text() const
    {
        if (fraction <= 0)
            return u"estimating…"_s;
        const QString percent = u"~%1%"_s.arg(int(std::floor(fraction * 100)));
        return remainingMs < 0 ? percent + u" · estimating…"_s : percent + u" · ~%1 left"_s.arg(formatDuration(remainingMs));
    }
}
