#pragma once

#include <QMainWindow>

#include <functional>

class QDockWidget;
class QSettings;
class QSplitter;
class QTabWidget;

namespace dbops
{
    class ActivityDock;
    class ConnectionController;
    class ConnectionStatus;
    class ConsoleView;
    class EnvironmentBanner;
    class JobManager;
    class JobsPanel;
    class LogPanel;
    class MigrationFilesView;
    class PasswordCache;
    class ProfileActions;
    class ProfileSidebar;
    class ProfileStore;
    class Store;
    class StoreWatcher;
    class ViewJobs;
    struct ConnectionProfile;

    /// The console's window. It only composes panels: the profile sidebar, the environment
    /// banner, the central views (tabs later issues add to), the Jobs | Log dock and the
    /// status bar. Services come from the composition root (app/gui.cpp) and outlive it.
    class MainWindow final : public QMainWindow
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(MainWindow)

    public:
        struct Services
        {
            Store *store = nullptr;
            ProfileStore *profiles = nullptr;
            JobManager *jobs = nullptr;
        };

        /// Asked when the window closes while jobs run: `running` are their titles; true cancels
        /// them and quits, false keeps the window (and the jobs) running.
        using QuitConfirm = std::function<bool(const QStringList &running)>;

        explicit MainWindow(Services services, QWidget *parent = nullptr);
        ~MainWindow() override;

        /// At startup, in a job: with no profiles, creates the "Local sandbox" profile; then selects
        /// the last used profile (or that one) and connects it when it is the managed local sandbox.
        void startSession();
        /// Lists the profiles in a job and shows them (the latest reload wins); profilesLoaded()
        /// follows. The constructor starts one.
        void reloadProfiles(const QString &select = {});
        /// Connects the profile as the sidebar shows it (loaded by the last reload); a name the
        /// sidebar does not know yet is read in a job first.
        void connectProfile(const QString &name);
        /// Adds a feature view to the central area; returns its tab index.
        int addView(QWidget *view, const QString &title);

        const Services &services() const { return m_services; }
        ProfileSidebar *sidebar() const { return m_sidebar; }
        EnvironmentBanner *banner() const { return m_banner; }
        ConnectionStatus *connectionStatus() const { return m_status; }
        ConnectionController *connection() const { return m_connection; }
        ProfileActions *profileActions() const { return m_actions; }
        JobsPanel *jobsPanel() const { return m_jobsPanel; }
        LogPanel *logPanel() const { return m_logPanel; }
        /// The one bottom dock (Jobs | Log), collapsed to its status strip by default.
        ActivityDock *activityDock() const { return m_activity; }
        MigrationFilesView *filesView() const { return m_files; }
        QTabWidget *views() const { return m_views; }
        /// Says when the store changed (this process or another dbops): views that show store data
        /// reload on it.
        StoreWatcher *storeWatcher() const { return m_storeWatcher; }
        /// The passwords typed this session (memory only); cleared on quit.
        PasswordCache *passwordCache() const { return m_passwords; }
        /// "Forget typed passwords after N minutes" (0: at disconnect or quit), kept in gui.ini.
        void setForgetPasswordsAfter(int minutes);
        void setQuitConfirm(QuitConfirm confirm);
        QAction *quitAction() const { return m_quit; }
        /// The central views that act on the target (every tab implementing ConsoleView).
        QList<ConsoleView *> consoleViews() const;
        /// F5: the current tab's refresh().
        void refreshCurrentView();

    signals:
        /// A reload's list is shown in the sidebar.
        void profilesLoaded();

    protected:
        void closeEvent(QCloseEvent *event) override;

    private:
        void showProfiles(const QList<ConnectionProfile> &profiles, const QString &select);
        void resumeSession();
        void connectLoaded(const ConnectionProfile &profile);
        void showConnected();
        void buildMenus();
        void restoreSettings();
        void fitToScreen();
        void saveSettings();
        void onConnectionChanged();
        void onTargetChanged();
        void chooseForgetPasswordsAfter();
        QString attemptNote() const;

        Services m_services;
        std::unique_ptr<QSettings> m_settings;
        StoreWatcher *m_storeWatcher;
        PasswordCache *m_passwords;
        QuitConfirm m_quitConfirm;
        QAction *m_quit = nullptr;
        ViewJobs *m_profileJobs; ///< store reads; retargeted by each reload (the latest wins)
        ConnectionController *m_connection;
        ProfileActions *m_actions;
        EnvironmentBanner *m_banner;
        ProfileSidebar *m_sidebar;
        QTabWidget *m_views;
        MigrationFilesView *m_files;
        QSplitter *m_splitter;
        JobsPanel *m_jobsPanel;
        LogPanel *m_logPanel;
        ActivityDock *m_activity;
        ConnectionStatus *m_status;
    };
}
