#pragma once

#include "ui/main/consoleview.h"

#include "core/db/profile.h"
#include "core/locks/lockqueries.h"
#include "core/locks/locksettings.h"

#include <QSet>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTextBrowser;
class QTimer;
class QToolButton;
class QTreeView;
class QAction;
class QVBoxLayout;

namespace dbops
{
    class BlockingTreeModel;
    class ConnectionController;
    class ViewJobs;
    class LockMonitor;
    class MigrationLockModel;
    class SessionFilterModel;
    class SessionTableModel;
    struct BackendSession;
    struct Error;
    struct LockSnapshot;

    /// A person's answer to "cancel / terminate this backend?": given or not, and on production
    /// the text they typed (the operation checks it is the pid; the view does not).
    struct SignalConsent
    {
        bool given = false;
        QString typed;
        SignalConsent(bool given = false, QString typed = {}) // NOLINT: a plain yes/no converts
            : given(given)
            , typed(std::move(typed))
        {
        }
    };

    /// The lock monitor view: blocking chains as a tree beside a filterable table of every
    /// session, state counts, the migration-lock panel, and session actions (cancel, terminate,
    /// copy). Refreshes come from LockMonitor jobs; cancel and terminate are the operations of
    /// core/ops/lockops.h run through ViewJobs. The view only shows values (no SQL here).
    class LocksView final : public QWidget, public ConsoleView
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(LocksView)

    public:
        /// Asks the user to confirm a cancel/terminate; production asks them to type the pid.
        using Confirmer =
            std::function<SignalConsent(QWidget *parent, const BackendSession &session, BackendSignal signal, bool production)>;

        LocksView(LockMonitor *monitor, ConnectionController *connection = nullptr, QWidget *parent = nullptr);
        ~LocksView() override;

        /// Monitors this server (normally follows the connection controller).
        void setTarget(const ConnectionProfile &profile, const QString &password = {});
        void clearTarget(const QString &why = {});
        void refreshNow();
        void refresh() override { refreshNow(); }
        /// The monitored profile (a SQLite target is named too; the view then says it cannot watch it).
        QString targetProfileName() const override { return m_targetName; }
        /// 0 pauses; otherwise one of LockSettings::refreshChoices().
        void setRefreshSeconds(int seconds);
        void setConfirmer(Confirmer confirmer) { m_confirmer = std::move(confirmer); }

        /// The selected session's pid, 0 when none. The selection is a pid, not a row: the tree
        /// and the table show the same session selected, keep it across refreshes and filter
        /// changes, and drop it (actions disabled) when that session has ended or neither shows it.
        int selectedPid() const;
        void cancelSelected();
        void terminateSelected();
        void copySelectedQuery();
        void copySelectedSession();

        BlockingTreeModel *treeModel() const { return m_treeModel; }
        SessionTableModel *sessionModel() const { return m_sessionModel; }
        SessionFilterModel *sessionFilterModel() const { return m_filterModel; }
        MigrationLockModel *migrationLockModel() const { return m_migrationModel; }
        QTreeView *treeView() const { return m_tree; }
        QTableView *sessionView() const { return m_sessions; }
        QAction *cancelAction() const { return m_cancelAction; }
        QAction *terminateAction() const { return m_terminateAction; }
        /// The header line (rich text): what the table shows and what the filter hides.
        QString countsText() const;
        /// The selected session's details (plain text), empty when none is selected.
        QString detailText() const;
        QTextBrowser *detailView() const { return m_detail; }
        QLineEdit *filterEdit() const { return m_filterText; }
        QComboBox *categoryBox() const { return m_category; }
        QString statusText() const;
        QString lastActionText() const;
        /// The last action line is an error (shown in the error colour): nothing was sent, and why.
        bool lastActionIsError() const { return m_actionIsError; }

    signals:
        void snapshotShown();
        /// A cancel/terminate finished: sent, or not (refused, gone, not confirmed, failed).
        void signalFinished(bool sent, const QString &text);

    private:
        QString m_targetName;
        void buildUi();
        void buildToolBar(QVBoxLayout *layout);
        void buildStatusRows(QVBoxLayout *layout);
        QWidget *buildChainsPanel(QWidget *parent);
        QWidget *buildSessionsPanel(QWidget *parent);
        QWidget *buildMigrationsPanel(QWidget *parent);
        QWidget *buildDetailPanel(QWidget *parent);
        void connectSelection();
        void selectPid(int pid);
        void beginSync();
        void endSync();
        void restoreSelection();
        void restoreExpansion();
        void updateCounts();
        void updateDetail();
        void onConnectionChanged();
        void onSnapshot(const LockSnapshot &snapshot);
        void onRefreshFailed(const Error &error);
        void onTick();
        void updateFilter();
        void updateActions();
        void signalSelected(BackendSignal signal);
        void setActionText(const QString &text, bool error);
        const BackendSession *selectedSession() const;

        LockMonitor *m_monitor;
        ConnectionController *m_connection;
        ViewJobs *m_run;
        LockSettings m_settings;
        Confirmer m_confirmer;
        BlockingTreeModel *m_treeModel;
        SessionTableModel *m_sessionModel;
        SessionFilterModel *m_filterModel;
        MigrationLockModel *m_migrationModel;
        QTimer *m_timer;
        QTreeView *m_tree = nullptr;
        QTableView *m_sessions = nullptr;
        QTableView *m_migrations = nullptr;
        QTextBrowser *m_detail = nullptr;
        QLabel *m_emptyTree = nullptr;
        QLabel *m_status = nullptr;
        QLabel *m_counts = nullptr;
        QLabel *m_action = nullptr;
        QComboBox *m_interval = nullptr;
        QComboBox *m_category = nullptr;
        QLineEdit *m_filterText = nullptr;
        QToolButton *m_pause = nullptr;
        QAction *m_cancelAction = nullptr;
        QAction *m_terminateAction = nullptr;
        QAction *m_copyQueryAction = nullptr;
        QAction *m_copySessionAction = nullptr;
        int m_selectedPid = 0;
        bool m_actionIsError = false;
        int m_syncDepth = 0;   ///< > 0 while models change: current-index moves are Qt's, not the user's
        QSet<int> m_collapsed; ///< pids whose subtree the user collapsed (kept while they exist)
    };
}
