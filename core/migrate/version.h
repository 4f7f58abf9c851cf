#pragma once

#include <QString>
#include <QStringList>

#include <compare>

namespace dbops
{
    /// A migration version: "0013", "20241019000100", "1.2.10", "2026-02-03-001". Compared segment
    /// by segment (split on '.', '_' and '-'), numerically where both segments are numeric, so
    /// "1.10" > "1.9" and "0013" == "13". A missing segment sorts first ("1" < "1.1").
    class Version final
    {
    public:
        Version() = default;
        explicit Version(const QString &text);

        const QString &text() const { return m_text; }
        /// A key equal for equal versions ("0013" and "13" -> "13"; "1_2" and "1.2" -> "1.2").
        QString normalized() const;
        bool isEmpty() const { return m_segments.isEmpty(); }
        std::strong_ordering operator<=>(const Version &other) const;
        bool operator==(const Version &other) const { return (*this <=> other) == 0; }

    private:
        QString m_text;
        QStringList m_segments;
    };
}
