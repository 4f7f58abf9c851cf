#include "ui/profiles/profileitemdelegate.h"

#include "ui/profiles/profiletreemodel.h"

#include <QApplication>
#include <QPainter>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString ProfileItemDelegate::elideTarget(const QString &target, const QFontMetrics &metrics, int width)
    {
        if (metrics.horizontalAdvance(target) <= width)
            return target;
        // user@host:port/db: the port and the database say which server and which database;
        // they stay whole, and the host (the longest, least telling part) gives up its middle.
        const int at = target.indexOf(u'@');
        const int slash = target.lastIndexOf(u'/');
        const int hostStart = at + 1;
        const int hostEnd = slash > hostStart ? slash : int(target.size());
        int portColon = target.lastIndexOf(u':', hostEnd - 1);
        if (portColon < hostStart)
            portColon = hostEnd;
        const QString head = target.left(hostStart);
        const QString host = target.mid(hostStart, portColon - hostStart);
        const QString tail = target.mid(portColon);
        const int room = width - metrics.horizontalAdvance(head) - metrics.horizontalAdvance(tail);
        if (room >= metrics.horizontalAdvance(u"…x"_s) && !host.isEmpty())
            return head + metrics.elidedText(host, Qt::ElideMiddle, room) + tail;
        // Too narrow even for that: the user goes first, then the middle of what is left.
        const QString noUser = host + tail;
        if (metrics.horizontalAdvance(noUser) <= width)
            return noUser;
        return metrics.elidedText(noUser, Qt::ElideMiddle, width);
    }

    ProfileItemDelegate::ProfileItemDelegate(QObject *parent)
        : QStyledItemDelegate(parent)
    {
    }

    QSize ProfileItemDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        if (index.data(ProfileTreeModel::IsGroupRole).toBool())
            return {size.width(), size.height() + 8};
        QFont small = option.font;
        small.setPointSizeF(small.pointSizeF() * 0.88);
        return {size.width(), option.fontMetrics.height() + QFontMetrics(small).height() + 8};
    }

    void ProfileItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
    {
        if (index.data(ProfileTreeModel::IsGroupRole).toBool())
        {
            QStyleOptionViewItem group = option;
            group.rect.adjust(0, 6, 0, 0);
            return QStyledItemDelegate::paint(painter, group, index);
        }
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString name = opt.text;
        opt.text.clear();
        opt.icon = QIcon();
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

        const bool selected = option.state & QStyle::State_Selected;
        const QRect r = option.rect.adjusted(4, 4, -4, -4);
        const QIcon icon = index.data(Qt::DecorationRole).value<QIcon>();
        const int iconSize = 12;
        const QRect iconRect(r.left(), r.top() + (option.fontMetrics.height() - iconSize) / 2, iconSize, iconSize);
        icon.paint(painter, iconRect);

        QFont nameFont = opt.font;
        QFont small = option.font;
        small.setPointSizeF(small.pointSizeF() * 0.88);
        const int textLeft = iconRect.right() + 7;
        const QRect nameRect(textLeft, r.top(), r.right() - textLeft, option.fontMetrics.height());
        const QRect targetRect(textLeft, nameRect.bottom() + 1, nameRect.width(), QFontMetrics(small).height());

        painter->save();
        painter->setFont(nameFont);
        painter->setPen(opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
        painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetrics(nameFont).elidedText(name, Qt::ElideRight, nameRect.width()));
        painter->setFont(small);
        QColor dim = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::PlaceholderText);
        painter->setPen(dim);
        const QString target = index.data(ProfileTreeModel::TargetRole).toString();
        painter->drawText(targetRect, Qt::AlignLeft | Qt::AlignVCenter, elideTarget(target, QFontMetrics(small), targetRect.width()));
        painter->restore();
    }
}
