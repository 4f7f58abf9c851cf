#pragma once

#include "ui/main/consoleview.h"

#include "core/backup/backupcatalog.h"
#include "core/db/profile.h"
#include "core/jobs/job.h"
#include "core/ops/backupops.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QCheckBox;
class QPushButton;
class QSpinBox;
class QTableView;

namespace dbops
{
    class BackupTableModel;
    class ConnectionController;
    class JobManager;
    class ProfileStore;
    class Store;
    class StoreWatcher;
    class ViewJobs;
    struct RestoreRequest;

    /// The Backups view: the catalog of the connected profile (size, age, schema version,
    /// verification, label) and its actions, each a Job with a progress bar and Cancel: Back up
    /// now, Verify, Test restore, Restore… (a catalog entry or any archive file), Delete (to the
    /// trash, confirmed) and Reveal file. Each action is one operation of core/ops/backupops.h run
    /// through ViewJobs; its typed result is shown as it is (a backup or verify that did not
    /// verify is shown failed). The view applies no rule of its own (STYLE C6).
    class BackupsView final : public QWidget, public ConsoleView
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(BackupsView)

    public:
        BackupsView(Store *store, ProfileStore *profiles, JobManager *jobs, ConnectionController *connection, QWidget *parent = nullptr);

        /// Shows this profile's catalog (the connection controller calls it on connect).
        void setProfile(const ConnectionProfile &profile, const QString &password = {});
        /// Reads the catalog and the policy again (the Refresh button, F5, a store change).
        void refresh() override;
        /// Reloads whenever the store changed: a backup of this console (Back up now, the
        /// timeline's pre-migration backup) or of another dbops (a CLI `backup`).
        void watchStore(StoreWatcher *watcher);
        QString targetProfileName() const override { return m_profile.name; }

        void backUpNow();
        void verifySelected();
        void testRestoreSelected();
        void restoreSelected();
        void restoreFile();
        void deleteSelected(bool confirmed = false);
        void revealSelected();
        /// Runs a restore (the dialog's request, archive set) as a job; `confirmation` is what the
        /// person typed (the dialog's confirm field), checked by the operation.
        void startRestore(RestoreRequest request, const QString &password, const ops::Confirmation &confirmation = {});
        /// This console's own users of a database (its lock monitor), closed for a replace and
        /// reopened after (app/gui.cpp passes the monitor's).
        void setOwnSessions(std::shared_ptr<OwnSessionUsers> users) { m_ownSessions = std::move(users); }

        BackupTableModel *model() const { return m_model; }
        QTableView *table() const { return m_table; }
        Job *currentJob() const { return m_job; }
        QString statusText() const;
        /// The id of the selected backup, 0 when none is selected.
        qint64 selectedId() const;
        QPushButton *backupButton() const { return m_backup; }
        QCheckBox *preMigrationCheck() const { return m_preMigration; }
        QPushButton *refreshButton() const { return m_refresh; }
        /// The actions on the selected backup (Verify, Test restore, Restore…, Delete, Reveal file).
        QList<QPushButton *> selectionActions() const { return {m_verify, m_testRestore, m_restore, m_delete, m_reveal}; }
        /// Saves the retention and pre-migration switches of the profile: first what the new
        /// retention removes now (a job); when it removes anything, the DBA is asked (a dialog
        /// listing them), and nothing changes if they decline; then the save (a job), which moves
        /// exactly the accepted backups to the trash and says so in the status line.
        void savePolicy();
        /// Replaces the retention dialog (tests): returns whether the DBA accepts the preview.
        using RetentionConfirm = std::function<bool(const ops::RetentionPreview &)>;
        void setRetentionConfirm(RetentionConfirm confirm) { m_confirmRetention = std::move(confirm); }
        QSpinBox *keepLastBox() const { return m_keepLast; }
        QSpinBox *keepDaysBox() const { return m_keepDays; }

    signals:
        /// A job of this view finished (after the catalog was reloaded when it changed it).
        void jobFinished(bool ok, const QString &message);

    private:
        void buildUi();
        void connectSignals();
        /// Starts one operation as the view's action; `done` words its result for the status line.
        template <class T, class F, class D>
        void runAction(const QString &title, F &&body, D done);
        void showFailure(const QString &title, const Error &error);
        /// Reads the saved profiles in a job (the restore dialog offers them), then calls `then`.
        void withProfiles(std::function<void(const QList<ConnectionProfile> &)> then);
        void showPolicy(const ops::BackupPolicyView &policy);
        bool confirmRetention(const ops::RetentionPreview &preview);
        void storePolicy(const ops::BackupPolicyChange &change, quint64 policyRead);
        /// "retention moved 2 backup(s) to the trash (<folder>): #1 of ..., #2 of ...".
        static QString removedText(const QList<TrashedBackup> &removed);
        void updateButtons();
        int selectedRow() const;
        QString passwordFor(const QString &profile) const;
        ops::Target target(const ConnectionProfile &profile, const QString &password) const;

        Store *m_store;
        ProfileStore *m_profiles;
        JobManager *m_jobs;
        ConnectionController *m_connection;
        ConnectionProfile m_profile;
        QString m_password;
        BackupTableModel *m_model;
        QLabel *m_title;
        QTableView *m_table;
        QPushButton *m_backup;
        QPushButton *m_verify;
        QPushButton *m_testRestore;
        QPushButton *m_restore;
        QPushButton *m_restoreFile;
        QPushButton *m_delete;
        QPushButton *m_reveal;
        QPushButton *m_refresh;
        QProgressBar *m_progress;
        QLabel *m_status;
        QPushButton *m_cancel;
        QCheckBox *m_preMigration;
        QSpinBox *m_keepLast;
        QSpinBox *m_keepDays;
        bool m_loadingPolicy = false;
        ops::BackupPolicyView m_policy; ///< as last read or saved
        RetentionConfirm m_confirmRetention;
        ViewJobs *m_run;
        std::shared_ptr<OwnSessionUsers> m_ownSessions;
        QPointer<Job> m_job;
        quint64 m_loads = 0;       ///< drops a catalog read that a newer one overtook
        quint64 m_policyReads = 0; ///< drops a policy read that a newer read or a save overtook
    };
}
