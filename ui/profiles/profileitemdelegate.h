#pragma once

#include <QStyledItemDelegate>

namespace dbops
{
    /// Draws a sidebar profile as two lines: its name (bold when connected) and, smaller and
    /// dimmer, its target (user@host:port/db), behind the environment's colour dot.
    class ProfileItemDelegate final : public QStyledItemDelegate
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(ProfileItemDelegate)

    public:
        explicit ProfileItemDelegate(QObject *parent = nullptr);

        void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
        QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    };
}
