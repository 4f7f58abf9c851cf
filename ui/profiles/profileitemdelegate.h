#pragma once

#include <QFontMetrics>
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

        /// The target line fitted to `width`: user@host:port/db as it is when it fits, else the
        /// host elided in its middle with the port and database whole (the full text is the
        /// item's tooltip).
        static QString elideTarget(const QString &target, const QFontMetrics &metrics, int width);
    };
}
