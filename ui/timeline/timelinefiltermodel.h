#pragma once

#include "ui/timeline/timelinefilter.h"

#include <QSortFilterProxyModel>

namespace dbops
{
    /// Filters the timeline by a TimelineFilter and sorts it: the Version column in timeline
    /// order (pending after applied), Applied at by the exact UTC time, the rest by text.
    class TimelineFilterModel final : public QSortFilterProxyModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(TimelineFilterModel)

    public:
        explicit TimelineFilterModel(QObject *parent = nullptr);

        void setFilter(const TimelineFilter &filter);
        const TimelineFilter &filter() const { return m_filter; }

    protected:
        bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
        bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

    private:
        TimelineFilter m_filter;
    };
}
