#pragma once

#include "core/jobs/job.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace dbops
{
    class EnvMatrixModel;
    class JobManager;
    class ViewJobs;
    class ProfileStore;

    /// "Environments": the migrations of one project's profiles side by side. Each column loads
    /// in parallel as its own job; an unreachable environment shows its error in its column while
    /// the others load. Projects are the profiles' "project" field, kept in the store.
    class EnvMatrixView final : public QWidget
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(EnvMatrixView)

    public:
        EnvMatrixView(JobManager *jobs, ProfileStore *profiles, QWidget *parent = nullptr);

        /// Re-reads the projects from the profiles (keeps the selection when it still exists).
        void reloadProjects();
        void setProject(const QString &project);
        QString project() const;
        /// Loads every column of the current project again.
        void refresh();
        /// A password that worked for a profile this session (the connected one); never stored.
        void setKnownPassword(const QString &profileName, const QString &password);

        EnvMatrixModel *model() const { return m_model; }
        QTableView *tableView() const { return m_table; }
        QLabel *summaryLabel() const { return m_summary; }
        int loadingColumns() const;

    signals:
        void columnLoaded(int profileIndex);
        void allLoaded();

    private:
        void columnDone(int profileIndex);
        void updateSummary();

        JobManager *m_jobs;
        ViewJobs *m_loads; ///< one load per environment; a reload drops the replies of the last one
        ProfileStore *m_profiles;
        QHash<QString, QString> m_passwords;
        QList<QPointer<Job>> m_running;

        EnvMatrixModel *m_model;
        QComboBox *m_projects;
        QPushButton *m_reload;
        QLabel *m_title;
        QLabel *m_summary;
        QTableView *m_table;
    };
}
