#pragma once

#include <QStyledItemDelegate>

namespace dbops
{
    /// Paints JobModel's Progress column as a progress bar and its Action column as a Cancel
    /// button for queued and running jobs; a click on that button emits cancelClicked.
    class JobDelegate final : public QStyledItemDelegate
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(JobDelegate)

    public:
        explicit JobDelegate(QObject *parent = nullptr);

        void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
        QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
        bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option, const QModelIndex &index) override;

        /// Where the Cancel button sits inside a cell.
        static QRect buttonRect(const QRect &cell);

    signals:
        void cancelClicked(quint64 jobId);

    private:
        void paintProgress(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
        void paintButton(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;

        QPersistentModelIndex m_pressed;
    };
}
