#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTreeView;

namespace dbops
{
    class LogBuffer;
    class LogModel;
    class LogFilterModel;

    /// The Log pane: LogModel -> LogFilterModel -> view, a level selector and a text filter.
    /// Follows the newest line while the view is scrolled to the bottom.
    class LogPanel final : public QWidget
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(LogPanel)

    public:
        explicit LogPanel(LogBuffer *buffer, QWidget *parent = nullptr);

        LogModel *model() const { return m_model; }
        LogFilterModel *filterModel() const { return m_filter; }
        QTreeView *view() const { return m_view; }

    private:
        void updateCount();

        LogModel *m_model;
        LogFilterModel *m_filter;
        QComboBox *m_level;
        QLineEdit *m_text;
        QLabel *m_count;
        QTreeView *m_view;
        bool m_follow = true;
    };
}
