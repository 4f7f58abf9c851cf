#include "ui/timeline/timelinefilter.h"

#include <QHashFunctions>

namespace dbops
{
    size_t qHash(MigrationState state, size_t seed) noexcept
    {
        return ::qHash(int(state), seed);
    }

    bool TimelineFilter::accepts(MigrationState state, const QString &searchText) const
    {
        if (!states.isEmpty() && !states.contains(state))
            return false;
        const QString needle = text.trimmed();
        return needle.isEmpty() || searchText.contains(needle, Qt::CaseInsensitive);
    }
}
