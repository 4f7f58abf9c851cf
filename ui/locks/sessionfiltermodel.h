#pragma once

#include "core/locks/sessionfilter.h"

#include <QSortFilterProxyModel>

namespace dbops
{
    class SessionTableModel;

    /// Sorts and filters the session table; the predicate is a core SessionFilter value (STYLE M2).
    class SessionFilterModel final : public QSortFilterProxyModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(SessionFilterModel)

    public:
        explicit SessionFilterModel(SessionTableModel *source, QObject *parent = nullptr);

        void setFilter(const SessionFilter &filter);
        const SessionFilter &filter() const { return m_filter; }

    signals:
        /// Around a filter change (rows may leave or come back): the view keeps its selection by pid.
        void filterAboutToChange();
        void filterChanged();

    protected:
        bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

    private:
        SessionTableModel *m_source;
        SessionFilter m_filter;
    };
}
