#include "ui/timeline/timelinefiltermodel.h"

#include "ui/timeline/timelinemodel.h"

namespace dbops
{
    TimelineFilterModel::TimelineFilterModel(QObject *parent)
        : QSortFilterProxyModel(parent)
    {
    }

    void TimelineFilterModel::setFilter(const TimelineFilter &filter)
    {
        if (filter == m_filter)
            return;
        m_filter = filter;
        invalidateFilter();
    }

    bool TimelineFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
    {
        const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
        return m_filter.accepts(MigrationState(index.data(TimelineModel::StateRole).toInt()),
                                index.data(TimelineModel::SearchTextRole).toString());
    }

    bool TimelineFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
    {
        switch (left.column())
        {
        case TimelineModel::AppliedAt: {
            const qint64 a = left.data(TimelineModel::AppliedAtRole).toLongLong();
            const qint64 b = right.data(TimelineModel::AppliedAtRole).toLongLong();
            if (a != b)
                return a < b;
            return left.data(TimelineModel::OrderRole).toInt() < right.data(TimelineModel::OrderRole).toInt();
        }
        case TimelineModel::Version:
        case TimelineModel::Duration:
            return left.data(TimelineModel::OrderRole).toInt() < right.data(TimelineModel::OrderRole).toInt();
        default: {
            const int c = QString::localeAwareCompare(left.data().toString(), right.data().toString());
            if (c != 0)
                return c < 0;
            return left.data(TimelineModel::OrderRole).toInt() < right.data(TimelineModel::OrderRole).toInt();
        }
        }
    }
}
