#include "ui/jobs/jobdelegate.h"

#include "ui/jobs/jobmodel.h"

#include <QApplication>
#include <QMouseEvent>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionButton>
#include <QStyleOptionProgressBar>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    JobDelegate::JobDelegate(QObject *parent)
        : QStyledItemDelegate(parent)
    {
    }

    QRect JobDelegate::buttonRect(const QRect &cell)
    {
        return cell.adjusted(4, 2, -4, -2);
    }

    void JobDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
    {
        if (index.column() == JobModel::Progress)
            return paintProgress(painter, option, index);
        if (index.column() == JobModel::Action && index.data(JobModel::CancellableRole).toBool())
            return paintButton(painter, option, index);
        QStyledItemDelegate::paint(painter, option, index);
    }

    void JobDelegate::paintProgress(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
    {
        QStyleOptionViewItem background = option;
        initStyleOption(&background, index);
        background.text.clear();
        QStyle *style = option.widget ? option.widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);

        const auto state = JobState(index.data(JobModel::StateRole).toInt());
        if (state == JobState::Failed || state == JobState::Cancelled)
            return;
        const int percent = index.data(JobModel::PercentRole).toInt();
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(4, 4, -4, -4);
        bar.state = option.state | QStyle::State_Horizontal;
        bar.direction = option.direction;
        bar.fontMetrics = option.fontMetrics;
        bar.palette = option.palette;
        bar.minimum = 0;
        bar.maximum = 100;
        bar.textVisible = true;
        bar.textAlignment = Qt::AlignCenter;
        if (percent >= 0)
        {
            bar.progress = percent;
            bar.text = u"%1%"_s.arg(percent);
        }
        else
        {
            // Unknown total: an empty bar that says what it is doing.
            bar.progress = 0;
            bar.text = state == JobState::Queued ? u"queued"_s : u"working…"_s;
        }
        style->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);
    }

    void JobDelegate::paintButton(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
    {
        QStyleOptionViewItem background = option;
        initStyleOption(&background, index);
        background.text.clear();
        QStyle *style = option.widget ? option.widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);

        QStyleOptionButton button;
        button.rect = buttonRect(option.rect);
        button.text = u"Cancel"_s;
        button.palette = option.palette;
        button.fontMetrics = option.fontMetrics;
        button.state = QStyle::State_Enabled | QStyle::State_Raised;
        if (m_pressed == index)
            button.state |= QStyle::State_Sunken;
        if (option.state & QStyle::State_MouseOver)
            button.state |= QStyle::State_MouseOver;
        style->drawControl(QStyle::CE_PushButton, &button, painter, option.widget);
    }

    QSize JobDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        size.setHeight(qMax(size.height(), option.fontMetrics.height() + 12));
        if (index.column() == JobModel::Action)
            size.setWidth(qMax(size.width(), option.fontMetrics.horizontalAdvance(u"Cancel"_s) + 32));
        if (index.column() == JobModel::Progress)
            size.setWidth(qMax(size.width(), 110));
        return size;
    }

    bool JobDelegate::editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option, const QModelIndex &index)
    {
        if (index.column() != JobModel::Action || !index.data(JobModel::CancellableRole).toBool())
            return QStyledItemDelegate::editorEvent(event, model, option, index);
        if (event->type() != QEvent::MouseButtonPress && event->type() != QEvent::MouseButtonRelease)
            return QStyledItemDelegate::editorEvent(event, model, option, index);
        const auto *mouse = static_cast<QMouseEvent *>(event);
        const bool inside = buttonRect(option.rect).contains(mouse->position().toPoint());
        if (event->type() == QEvent::MouseButtonPress)
        {
            m_pressed = inside ? QPersistentModelIndex(index) : QPersistentModelIndex();
            return inside;
        }
        // A release inside the button is the click (the view may not route the press here).
        const bool clicked = inside;
        m_pressed = QPersistentModelIndex();
        if (clicked)
            emit cancelClicked(index.data(JobModel::IdRole).toULongLong());
        return clicked;
    }
}
