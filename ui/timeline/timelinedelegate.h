#pragma once

#include <QStyledItemDelegate>

namespace dbops
{
    /// Draws the timeline's "now" line: a rule above the first pending row that follows an
    /// applied one, so pending migrations read as "after" what the database already has.
    class TimelineDelegate final : public QStyledItemDelegate
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(TimelineDelegate)

    public:
        explicit TimelineDelegate(QObject *parent = nullptr);
        void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    };
}
