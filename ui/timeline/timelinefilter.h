#pragma once

#include "core/migrate/timeline.h"

#include <QSet>
#include <QString>

namespace dbops
{
    size_t qHash(MigrationState state, size_t seed = 0) noexcept;

    /// What the timeline shows (STYLE M2: the proxy's predicate is this plain value).
    struct TimelineFilter
    {
        QSet<MigrationState> states; ///< empty: every state
        QString text;                ///< matched (case-insensitive) against version, description, script, applied by

        bool accepts(MigrationState state, const QString &searchText) const;
        bool isEmpty() const { return states.isEmpty() && text.isEmpty(); }
        bool operator==(const TimelineFilter &) const = default;
    };
}
