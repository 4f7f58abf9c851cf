#pragma once

#include "ui/log/logfilter.h"

#include <QSortFilterProxyModel>

namespace dbops
{
    /// Filters a LogModel with a LogFilter value (STYLE M2).
    class LogFilterModel final : public QSortFilterProxyModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(LogFilterModel)

    public:
        explicit LogFilterModel(QObject *parent = nullptr);

        LogFilter filter() const { return m_filter; }
        void setFilter(const LogFilter &filter);
        void setMinimumLevel(LogLevel level);
        void setText(const QString &text);

    protected:
        bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

    private:
        LogFilter m_filter;
    };
}
