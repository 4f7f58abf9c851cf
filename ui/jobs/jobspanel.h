#pragma once

#include <QWidget>

class QLabel;
class QTreeView;

namespace dbops
{
    class JobManager;
    class JobModel;

    /// The Jobs panel: every job of the session with its state, a progress bar, its last message
    /// or error, and a Cancel button while it is queued or running.
    class JobsPanel final : public QWidget
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(JobsPanel)

    public:
        explicit JobsPanel(JobManager *jobs, QWidget *parent = nullptr);

        JobModel *model() const { return m_model; }
        QTreeView *view() const { return m_view; }
        /// Queued or running jobs in the list.
        int runningCount() const { return m_running; }
        /// Failed jobs in the list (a cancelled job, a read the view superseded, or a job that asks for
        /// input, such as a connect before its password prompt, is not failed).
        int failedCount() const { return m_failed; }
        /// Selects and shows the job's row.
        void showJob(quint64 id);

    signals:
        void countsChanged(int running, int failed);

    private:
        void updateSummary();

        JobManager *m_jobs;
        JobModel *m_model;
        QTreeView *m_view;
        QLabel *m_summary;
        int m_running = 0;
        int m_failed = 0;
    };
}
