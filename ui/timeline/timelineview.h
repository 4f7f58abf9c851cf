#pragma once

#include "ui/main/consoleview.h"

#include "core/db/profile.h"
#include "core/jobs/job.h"
#include "ui/timeline/timelinejobs.h"

#include <QPointer>

#include <memory>
#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QThreadPool;
class QTimer;
class QTreeView;

namespace dbops
{
    class JobManager;
    class LockIndicator;
    class MigrationDetail;
    class ProfileStore;
    class Store;
    class TimelineActions;
    class TimelineFilterModel;
    class TimelineModel;
    class ViewJobs;
    struct MigrationFailure;
    struct TimelineSnapshot;
    struct ValidateResult;

    /// "Migration timeline": one profile's migrations with their states, a detail pane, the
    /// migration-lock indicator and the actions (apply, validate, repair, baseline, down, dry run).
    /// Every database call runs in a job; the GUI thread only renders values. Loads carry a
    /// generation token and stale replies are dropped (STYLE C7).
    class TimelineView final : public QWidget, public ConsoleView
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(TimelineView)

    public:
        TimelineView(JobManager *jobs, ProfileStore *profiles, Store *store, QWidget *parent = nullptr);
        ~TimelineView() override;

        /// Shows this profile's timeline (`password`: the one that worked for the connection).
        void setProfile(const ConnectionProfile &profile, const QString &password = {});
        void clearProfile(const QString &why = {});
        const ConnectionProfile &profile() const { return m_profile; }
        /// Reloads the timeline (F5).
        void refresh() override;
        QString targetProfileName() const override { return m_profile.name; }
        void setAutoRefresh(bool on, int seconds = 10);

        TimelineModel *model() const { return m_model; }
        TimelineFilterModel *filterModel() const { return m_proxy; }
        QTreeView *tableView() const { return m_table; }
        MigrationDetail *detail() const { return m_detail; }
        TimelineActions *actions() const { return m_actions; }
        LockIndicator *lockIndicator() const { return m_lock; }
        QLabel *errorBanner() const { return m_error; }
        QLabel *statusLine() const { return m_status; }
        QPushButton *driftBadge() const { return m_drift; }
        QComboBox *stateFilter() const { return m_stateFilter; }
        QLineEdit *textFilter() const { return m_textFilter; }
        /// The version of the selected row (empty when none).
        QString selectedVersion() const;
        void selectVersion(const QString &version);

    signals:
        /// A load finished and the rows show it.
        void timelineLoaded(int rows);
        void loadFailed(const dbops::Error &error);
        void lockChecked();
        /// The drift check finished (the badge shows `text`).
        void driftChecked(bool drift, const QString &text);
        /// The drift badge was clicked: open the drift view on this profile's drift check.
        void driftClicked(const QString &profile);

    protected:
        void showEvent(QShowEvent *event) override;
        void hideEvent(QHideEvent *event) override;

    private:
        QAction *m_adoptAction = nullptr;
        void buildToolbar();
        void showSnapshot(const TimelineSnapshot &snapshot);
        void showFailure(const MigrationFailure &failure, int appliedBefore, int stillPending);
        void onSelectionChanged();
        void updateButtons();
        void updateTitle();
        void applyFilter();
        void checkLock();
        TimelineTarget target() const;
        /// Drops the lock probe's lease without closing it on the GUI thread.
        void releaseProbe();

        JobManager *m_jobs;
        ProfileStore *m_profiles;
        Store *m_store;
        ConnectionProfile m_profile;
        QString m_password;
        QPointer<Job> m_loadJob;
        QPointer<Job> m_lockJob;
        bool m_loaded = false;
        bool m_busy = false;
        QString m_pendingFailureVersion;
        int m_pendingFailureLine = 0;

        TimelineModel *m_model;
        TimelineFilterModel *m_proxy;
        TimelineActions *m_actions;
        QLabel *m_title;
        LockIndicator *m_lock;
        QPushButton *m_refresh;
        /// The drift badge: this database versus what its applied migrations say (a background job
        /// on connect, on Refresh, and when the applied version changes).
        QPushButton *m_drift;
        ViewJobs *m_driftJobs;
        QString m_driftKey; ///< profile and applied version the badge was computed for
        bool m_driftWanted = true;
        void checkDrift(const QString &appliedVersion);
        QCheckBox *m_auto;
        QSpinBox *m_autoSeconds;
        QPushButton *m_apply;
        QPushButton *m_applyTo;
        QPushButton *m_dryRun;
        QPushButton *m_validate;
        QPushButton *m_repair;
        QPushButton *m_baseline;
        QPushButton *m_down;
        QPushButton *m_markApplied;
        QPushButton *m_adopt;
        QComboBox *m_stateFilter;
        QLineEdit *m_textFilter;
        QWidget *m_progressRow;
        QLabel *m_progressText;
        QProgressBar *m_progress;
        QPushButton *m_cancel;
        QLabel *m_error;
        QLabel *m_status;
        QStackedWidget *m_stack;
        QLabel *m_placeholder;
        QTreeView *m_table;
        MigrationDetail *m_detail;
        QTimer *m_autoTimer;
        QTimer *m_lockTimer;
        ViewJobs *m_loads;  ///< the timeline loads (their generation drops a stale snapshot)
        ViewJobs *m_probes; ///< the lock probes
        /// The lock probe's leased connection, shared with the probe job in flight.
        struct ProbeLease
        {
            std::unique_ptr<ops::LockProbe> probe;
        };
        std::shared_ptr<ProbeLease> m_probe;
    };
}
