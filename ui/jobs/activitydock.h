#pragma once

#include "core/jobs/job.h"

#include <QDockWidget>

class QLabel;
class QSettings;
class QTabWidget;
class QToolButton;

namespace dbops
{
    class JobManager;
    class JobsPanel;
    class LogPanel;

    /// The one bottom dock: Jobs | Log as tabs under a one-line status strip (the last job's
    /// outcome, how many run, how many failed, a button that opens or closes it). Collapsed to the
    /// strip by default so the central view gets the height; it opens on a job failure (on the
    /// Jobs tab, the failed job selected), on the strip's button or a click on the strip, and on
    /// toggleAction() (the View menu); it closes back to the strip the same ways.
    class ActivityDock final : public QDockWidget
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(ActivityDock)

    public:
        ActivityDock(JobManager *jobs, JobsPanel *jobsPanel, LogPanel *logPanel, QWidget *parent = nullptr);

        bool isExpanded() const { return m_expanded; }
        void setExpanded(bool expanded);
        /// The View menu's checkable "Jobs and log" action.
        QAction *toggleAction() const { return m_toggle; }
        QTabWidget *tabs() const { return m_tabs; }
        /// The strip's text: "last: <title>: <outcome> · N running · N failed".
        QString stripText() const;
        QToolButton *openButton() const { return m_open; }

        /// Whether it was open and its open height (QMainWindow::saveState keeps the dock's place).
        void saveTo(QSettings &settings) const;
        void restoreFrom(QSettings &settings);

    protected:
        bool eventFilter(QObject *watched, QEvent *event) override;

    private:
        void onJobChanged(const JobRecord &record);
        void updateStrip();
        int stripHeight() const;

        JobManager *m_jobs;
        JobsPanel *m_jobsPanel;
        LogPanel *m_logPanel;
        QWidget *m_strip;
        QLabel *m_last;
        QLabel *m_counts;
        QToolButton *m_open;
        QTabWidget *m_tabs;
        QAction *m_toggle;
        bool m_expanded = true;
        int m_openHeight = 240;
        JobRecord m_lastFinished;
    };
}
