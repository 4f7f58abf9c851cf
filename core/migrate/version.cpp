#include "core/migrate/version.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    Version::Version(const QString &text)
        : m_text(text)
    {
        static const QRegularExpression separators(u"[._-]"_s);
        m_segments = text.split(separators, Qt::SkipEmptyParts);
    }

    std::strong_ordering Version::operator<=>(const Version &other) const
    {
        const qsizetype n = std::min(m_segments.size(), other.m_segments.size());
        for (qsizetype i = 0; i < n; ++i)
        {
            const QString &a = m_segments[i];
            const QString &b = other.m_segments[i];
            bool aNum = false, bNum = false;
            const qulonglong av = a.toULongLong(&aNum);
            const qulonglong bv = b.toULongLong(&bNum);
            if (aNum && bNum)
            {
                if (av != bv)
                    return av <=> bv;
                continue;
            }
            if (aNum != bNum)
                return aNum ? std::strong_ordering::less : std::strong_ordering::greater; // numbers first
            const int c = a.compare(b, Qt::CaseInsensitive);
            if (c != 0)
                return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
        }
        return m_segments.size() <=> other.m_segments.size();
    }

    QString Version::normalized() const
    {
        QStringList parts;
        parts.reserve(m_segments.size());
        for (const QString &segment : m_segments)
        {
            bool numeric = false;
            const qulonglong n = segment.toULongLong(&numeric);
            parts << (numeric ? QString::number(n) : segment.toLower());
        }
        return parts.join(u'.');
    }
}
