#include "ui/locks/sessionfiltermodel.h"

#include "ui/locks/sessiontablemodel.h"

namespace dbops
{
    SessionFilterModel::SessionFilterModel(SessionTableModel *source, QObject *parent)
        : QSortFilterProxyModel(parent)
        , m_source(source)
    {
        setSourceModel(source);
        setSortRole(SessionTableModel::SortRole);
        setDynamicSortFilter(true);
    }

    void SessionFilterModel::setFilter(const SessionFilter &filter)
    {
        if (filter == m_filter)
            return;
        emit filterAboutToChange();
        m_filter = filter;
        invalidateFilter();
        emit filterChanged();
    }

    bool SessionFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &) const
    {
        const BackendSession *s = m_source->sessionAt(sourceRow);
        return s && m_filter.matches(*s, &m_source->snapshot());
    }
}
