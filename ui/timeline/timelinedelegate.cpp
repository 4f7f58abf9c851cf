#include "ui/timeline/timelinedelegate.h"

#include "ui/timeline/timelinemodel.h"

#include <QPainter>

namespace dbops
{
    TimelineDelegate::TimelineDelegate(QObject *parent)
        : QStyledItemDelegate(parent)
    {
    }

    void TimelineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
    {
        QStyledItemDelegate::paint(painter, option, index);
        if (index.row() == 0 || !index.data(TimelineModel::IsPendingRole).toBool())
            return;
        const QModelIndex above = index.siblingAtRow(index.row() - 1);
        if (above.data(TimelineModel::IsPendingRole).toBool())
            return;
        painter->save();
        painter->setPen(QPen(QColor(0x09, 0x69, 0xda), 2));
        painter->drawLine(option.rect.topLeft() + QPoint(0, 1), option.rect.topRight() + QPoint(0, 1));
        painter->restore();
    }
}
