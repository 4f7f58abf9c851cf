#include "ui/log/logfiltermodel.h"

#include "ui/log/logmodel.h"

namespace dbops
{
    LogFilterModel::LogFilterModel(QObject *parent)
        : QSortFilterProxyModel(parent)
    {
    }

    void LogFilterModel::setFilter(const LogFilter &filter)
    {
        if (filter == m_filter)
            return;
        m_filter = filter;
        invalidateFilter();
    }

    void LogFilterModel::setMinimumLevel(LogLevel level)
    {
        LogFilter f = m_filter;
        f.minimumLevel = level;
        setFilter(f);
    }

    void LogFilterModel::setText(const QString &text)
    {
        LogFilter f = m_filter;
        f.text = text;
        setFilter(f);
    }

    bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
    {
        if (sourceParent.isValid())
            return false;
        const auto *model = qobject_cast<const LogModel *>(sourceModel());
        if (!model || sourceRow >= model->rowCount())
            return false;
        return m_filter.matches(model->record(sourceRow));
    }
}
