#include "ui/profiles/profileitemdelegate.h"

#include "ui/profiles/profiletreemodel.h"

#include <QApplication>
#include <QPainter>

namespace dbops
{
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
        painter->drawText(targetRect, Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetrics(small).elidedText(target, Qt::ElideMiddle, targetRect.width()));
        painter->restore();
    }
}
