#pragma once

#include "ui/main/consoleview.h"

#include "core/db/profile.h"
#include "core/jobs/job.h"
#include "core/migrate/timeline.h"
#include "ui/profiles/passwordprompt.h"

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
    class PasswordCache;
    class ViewJobs;
    class ProfileStore;

    /// One matrix column's load: its timeline, or (and then nothing else) the server's refusal for
    /// want of a password nobody gave — a question for the DBA, not a failed job.
    struct MatrixColumnLoad
    {
        Timeline timeline;
        std::optional<Error> passwordNeeded;
    };

    /// "Environments": the migrations of one project's profiles side by side. Each column loads
    /// in parallel as its own job; an unreachable environment shows its error in its column while
    /// the others load. Projects are the profiles' "project" field, kept in the store, which is
    /// read in a job too (profilejobs::list): the GUI thread never calls the store.
    class EnvMatrixView final : public QWidget, public ConsoleView
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(EnvMatrixView)

    public:
        EnvMatrixView(JobManager *jobs, ProfileStore *profiles, QWidget *parent = nullptr);

        /// Re-reads the projects from the profiles, in a job (keeps the selection when it still
        /// exists). Returns at once; projectsLoaded() says when the chooser shows them.
        void reloadProjects();
        /// Re-reads the profiles, selects `project` (when one of them has it) and loads its columns.
        void setProject(const QString &project);
        QString project() const;
        /// Re-reads the profiles (a job), then loads every column of the current project again.
        void refresh() override;
        /// The history of this profile changed (an action of this console): its column loads
        /// again when the project shown has it; the other columns stay.
        void reloadColumn(const QString &profileName);
        /// The store changed (this process or another dbops): the profiles are read again; the
        /// columns load again only when the project's profiles changed (added, removed, edited).
        void storeChanged();
        /// The console's target: its project is shown, its password is known. Empty: none.
        void setTarget(const ConnectionProfile &profile, const QString &password);
        QString targetProfileName() const override { return m_targetName; }
        /// A password that worked for a profile this session (the connected one); never stored.
        void setKnownPassword(const QString &profileName, const QString &password);
        /// The passwords typed this session: used for the columns, filled by Enter password….
        void setPasswordCache(PasswordCache *cache);
        void setPasswordPrompt(PasswordPrompt prompt);
        /// "Enter password…" of a column whose server wants one: prompts, then reloads that column
        /// (the password is kept in the cache once it works). False when nothing was asked.
        bool enterPassword(const QString &profileName);

        EnvMatrixModel *model() const { return m_model; }
        QTableView *tableView() const { return m_table; }
        QLabel *summaryLabel() const { return m_summary; }
        int loadingColumns() const;

    signals:
        /// The chooser shows the projects of the profiles just read.
        void projectsLoaded();
        void columnLoaded(int profileIndex);
        void allLoaded();

    private:
        /// Reads the profiles in a job; then shows the projects (selecting `wanted` when not empty)
        /// and, with `loadColumns`, loads the current project's columns.
        void listProfiles(bool loadColumns, const QString &wanted = {});
        void showProjects(const QList<ConnectionProfile> &profiles, const QString &wanted);
        void loadColumns(const QList<ConnectionProfile> &profiles);
        void startColumn(const ConnectionProfile &profile);
        QList<ConnectionProfile> members(const QList<ConnectionProfile> &profiles) const;
        void columnDone(int profileIndex);
        void showColumnMenu(int profileIndex, const QPoint &globalPos);
        QString passwordFor(const QString &profileName) const;
        void updateSummary();

        JobManager *m_jobs;
        void startDrift(const ConnectionProfile &p, const QString &password);
        ViewJobs *m_lists; ///< the profile list; a newer request drops the reply of an older one
        ViewJobs *m_loads; ///< one load per environment; a reload drops the replies of the last one
        ProfileStore *m_profiles;
        QString m_wantedProject;         ///< asked for since the last list reply (setProject)
        bool m_listLoadsColumns = false; ///< a request since the last list reply wants the columns loaded
        bool m_listLoadsChanged = false; ///< a store change since the last list reply: load when the members changed
        quint64 m_columnSerial = 0;
        QHash<QString, quint64> m_columnLoads; ///< the newest load of each column; an older reply is dropped
        QHash<QString, QString> m_passwords;
        QPointer<PasswordCache> m_cache;
        PasswordPrompt m_prompt;
        QList<QPointer<Job>> m_running;

        QString m_targetName;
        EnvMatrixModel *m_model;
        QComboBox *m_projects;
        QPushButton *m_reload;
        QLabel *m_title;
        QLabel *m_summary;
        QTableView *m_table;
    };
}

Q_DECLARE_METATYPE(dbops::MatrixColumnLoad)
