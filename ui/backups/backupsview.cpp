#include "ui/backups/backupsview.h"

#include "core/backup/backupservice.h"
#include "core/backup/restoreservice.h"
#include "core/jobs/jobmanager.h"
#include "core/ops/backupops.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "core/store/storewatcher.h"
#include "ui/backups/backuptablemodel.h"
#include "ui/backups/restoredialog.h"
#include "ui/jobs/viewjobs.h"
#include "ui/main/connectioncontroller.h"
#include "ui/profiles/profilejobs.h"

#include <QCheckBox>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    BackupsView::BackupsView(Store *store, ProfileStore *profiles, JobManager *jobs, ConnectionController *connection, QWidget *parent)
        : QWidget(parent)
        , m_store(store)
        , m_profiles(profiles)
        , m_jobs(jobs)
        , m_connection(connection)
        , m_model(new BackupTableModel(this))
        , m_title(new QLabel(this))
        , m_table(new QTableView(this))
        , m_backup(new QPushButton(u"Back up now"_s, this))
        , m_verify(new QPushButton(u"Verify"_s, this))
        , m_testRestore(new QPushButton(u"Test restore"_s, this))
        , m_restore(new QPushButton(u"Restore…"_s, this))
        , m_restoreFile(new QPushButton(u"Restore file…"_s, this))
        , m_delete(new QPushButton(u"Delete"_s, this))
        , m_reveal(new QPushButton(u"Reveal file"_s, this))
        , m_refresh(new QPushButton(u"Refresh"_s, this))
        , m_progress(new QProgressBar(this))
        , m_status(new QLabel(this))
        , m_cancel(new QPushButton(u"Cancel"_s, this))
        , m_preMigration(new QCheckBox(u"Verified backup before every change (migrate, down, repair, baseline, adopt)"_s, this))
        , m_keepLast(new QSpinBox(this))
        , m_keepDays(new QSpinBox(this))
        , m_run(new ViewJobs(m_jobs, this))
    {
        buildUi();
        connectSignals();
        m_progress->hide();
        m_cancel->hide();
        setProfile({});
    }

    void BackupsView::buildUi()
    {
        auto *layout = new QVBoxLayout(this);
        layout->addWidget(m_title);
        auto *buttons = new QHBoxLayout;
        for (QPushButton *b : {m_backup, m_verify, m_testRestore, m_restore, m_restoreFile, m_delete, m_reveal})
            buttons->addWidget(b);
        buttons->addStretch();
        m_refresh->setToolTip(u"Read the catalog again (F5); it also reloads by itself when this or another dbops changed it"_s);
        buttons->addWidget(m_refresh);
        layout->addLayout(buttons);
        m_table->setModel(m_model);
        m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
        m_table->setSelectionMode(QAbstractItemView::SingleSelection);
        m_table->verticalHeader()->hide();
        m_table->horizontalHeader()->setStretchLastSection(true);
        m_table->setAlternatingRowColors(true);
        layout->addWidget(m_table, 1);
        auto *policy = new QHBoxLayout; // the retention switches; the rule and the pre-change box below
        policy->addWidget(new QLabel(u"Retention: keep the last"_s, this));
        m_keepLast->setRange(0, 9999);
        m_keepLast->setKeyboardTracking(false); // one change (and one preview) per value, not per key
        m_keepLast->setSpecialValueText(u"all"_s);
        policy->addWidget(m_keepLast);
        policy->addWidget(new QLabel(u"and those younger than"_s, this));
        m_keepDays->setRange(0, 3650);
        m_keepDays->setKeyboardTracking(false);
        m_keepDays->setSuffix(u" days"_s);
        m_keepDays->setSpecialValueText(u"any age"_s);
        policy->addWidget(m_keepDays);
        auto *rule = new QLabel(u"(a test-restored backup and the newest verified one are never removed)"_s, this);
        rule->setWordWrap(true);
        policy->addWidget(rule, 1);
        layout->addLayout(policy);
        layout->addWidget(m_preMigration);
        auto *progress = new QHBoxLayout;
        m_progress->setTextVisible(true);
        progress->addWidget(m_progress, 1);
        progress->addWidget(m_cancel);
        layout->addLayout(progress);
        m_status->setWordWrap(true);
        m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(m_status);
    }

    void BackupsView::connectSignals()
    {
        connect(m_backup, &QPushButton::clicked, this, &BackupsView::backUpNow);
        connect(m_verify, &QPushButton::clicked, this, &BackupsView::verifySelected);
        connect(m_testRestore, &QPushButton::clicked, this, &BackupsView::testRestoreSelected);
        connect(m_restore, &QPushButton::clicked, this, &BackupsView::restoreSelected);
        connect(m_restoreFile, &QPushButton::clicked, this, &BackupsView::restoreFile);
        connect(m_delete, &QPushButton::clicked, this, [this] { deleteSelected(false); });
        connect(m_reveal, &QPushButton::clicked, this, &BackupsView::revealSelected);
        connect(m_refresh, &QPushButton::clicked, this, &BackupsView::refresh);
        connect(m_cancel, &QPushButton::clicked, m_run, &ViewJobs::cancel);
        connect(m_preMigration, &QCheckBox::toggled, this, &BackupsView::savePolicy);
        connect(m_keepLast, &QSpinBox::valueChanged, this, &BackupsView::savePolicy);
        connect(m_keepDays, &QSpinBox::valueChanged, this, &BackupsView::savePolicy);
        connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &BackupsView::updateButtons);
        connect(m_model, &QAbstractItemModel::modelReset, this, &BackupsView::updateButtons);
        connect(m_model, &QAbstractItemModel::rowsRemoved, this, &BackupsView::updateButtons);
        connect(m_run, &ViewJobs::busyChanged, this, [this](bool busy, const QString &title) {
            m_progress->setVisible(busy);
            m_cancel->setVisible(busy);
            m_cancel->setEnabled(busy);
            if (busy)
            {
                m_progress->setRange(0, 0);
                m_progress->setFormat(title);
                m_status->setText(title + u"…"_s);
            }
            updateButtons();
        });
        connect(m_run, &ViewJobs::progressChanged, this, [this](qint64 done, qint64 total, const QString &message) {
            if (total > 0)
            {
                // QProgressBar is int-based: scale byte totals down.
                const double f = double(std::clamp<qint64>(done, 0, total)) / double(total);
                m_progress->setRange(0, 1000);
                m_progress->setValue(int(f * 1000));
                m_progress->setFormat(u"%1 — %p%"_s.arg(m_run->busyTitle()));
            }
            if (!message.isEmpty())
                m_status->setText(message);
        });
        connect(m_run, &ViewJobs::failed, this, [this](const QString &title, const Error &e) { showFailure(title, e); });
        if (m_connection)
            connect(m_connection, &ConnectionController::targetChanged, this,
                    [this] { setProfile(m_connection->profile(), m_connection->sessionPassword()); });
    }

    void BackupsView::setProfile(const ConnectionProfile &profile, const QString &password)
    {
        m_run->retarget();                  // replies for the previous profile are dropped
        m_policy = ops::BackupPolicyView{}; // until this profile's is read (what the switches show)
        m_profile = profile;
        m_password = password;
        m_title->setText(profile.name.isEmpty() ? u"<b>Backups</b> — connect a profile to see its catalog"_s
                                                : u"<b>Backups of %1</b> <span style='color:%2'>(%3)</span> — %4"_s.arg(
                                                    profile.name.toHtmlEscaped(), environmentColor(profile.environment),
                                                    toString(profile.environment), profile.targetDescription().toHtmlEscaped()));
        refresh();
    }

    void BackupsView::watchStore(StoreWatcher *watcher)
    {
        if (watcher)
            connect(watcher, &StoreWatcher::changed, this, &BackupsView::refresh, Qt::UniqueConnection);
    }

    ops::Target BackupsView::target(const ConnectionProfile &profile, const QString &password) const
    {
        return ops::Target{profile, password, m_store, m_profiles};
    }

    QString BackupsView::statusText() const
    {
        return m_status->text();
    }

    void BackupsView::refresh()
    {
        const quint64 load = ++m_loads;
        if (m_profile.name.isEmpty())
        {
            m_model->setEntries({});
            return;
        }
        Store *store = m_store;
        ProfileStore *profiles = m_profiles;
        const QString profile = m_profile.name;
        m_run->start<QList<BackupEntry>>(
            u"backup catalog"_s, [store, profile](JobContext &) { return BackupCatalog(*store).list(profile); },
            {.succeeded =
                 [this, load](const QList<BackupEntry> &entries) {
                     if (load != m_loads)
                         return; // a newer read overtook this one
                     // The selection is a backup, not a row: it stays on the same id, and is
                     // cleared (its actions disabled) when that backup left the catalog.
                     const qint64 selected = selectedId();
                     m_model->setEntries(entries);
                     m_table->resizeColumnsToContents();
                     const int row = selected > 0 ? m_model->rowOf(selected) : -1;
                     if (row < 0)
                         m_table->clearSelection();
                     else if (selectedRow() != row)
                         m_table->selectRow(row);
                     updateButtons();
                 },
             .failed =
                 [this](const Error &e, const auto &) {
                     m_status->setText(
                         u"<span style='color:#c62828'>cannot read the backup catalog: %1</span>"_s.arg(e.message.toHtmlEscaped()));
                 },
             .finished = {}},
            ViewJobs::Kind::Load);
        const quint64 policyRead = ++m_policyReads;
        m_run->start<ops::BackupPolicyView>(
            u"backup policy"_s, [store, profiles, profile](JobContext &) { return ops::policy(*store, profiles, profile); },
            {.succeeded =
                 [this, policyRead](const ops::BackupPolicyView &p) {
                     if (policyRead == m_policyReads) // not overtaken by a newer read or a save
                         showPolicy(p);
                 },
             .failed = {},
             .finished = {}},
            ViewJobs::Kind::Load);
    }

    void BackupsView::showPolicy(const ops::BackupPolicyView &p)
    {
        m_loadingPolicy = true;
        m_policy = p;
        m_keepLast->setValue(p.policy.keepLast);
        m_keepDays->setValue(p.policy.keepDays);
        m_preMigration->setChecked(p.preChangeBackupOn); // what the rule will do, as the operation says
        m_preMigration->setToolTip(p.text);
        m_loadingPolicy = false;
    }

    void BackupsView::savePolicy()
    {
        if (m_loadingPolicy || m_profile.name.isEmpty())
            return;
        ops::BackupPolicyChange change;
        change.profile = m_profile.name;
        change.keepLast = m_keepLast->value();
        change.keepDays = m_keepDays->value();
        if (m_preMigration->isChecked() != m_policy.preChangeBackupOn)
            change.preChangeBackup = m_preMigration->isChecked(); // only a switch the person moved
        const quint64 policyRead = ++m_policyReads;               // a read started before this save is stale
        Store *store = m_store;
        ProfileStore *profiles = m_profiles;
        // First what the change removes now (the rule the run uses), then the DBA's answer, then
        // the save: nothing is written and nothing removed when they decline.
        m_run->start<ops::RetentionPreview>(
            u"preview retention"_s, [store, profiles, change](JobContext &) { return ops::retentionPreview(*store, profiles, change); },
            {.succeeded =
                 [this, policyRead, change](const ops::RetentionPreview &preview) mutable {
                     if (policyRead != m_policyReads)
                         return; // overtaken by a newer change or read
                     if (!preview.victims.isEmpty())
                     {
                         if (!confirmRetention(preview))
                         {
                             showPolicy(m_policy); // the switches show the stored policy again
                             m_status->setText(u"Retention not changed: nothing was removed"_s);
                             return;
                         }
                         change.acceptRemovals = preview.ids();
                     }
                     storePolicy(change, policyRead);
                 },
             .failed =
                 [this](const Error &e, const auto &) {
                     showPolicy(m_policy);
                     showFailure(u"save backup policy"_s, e);
                 },
             .finished = {}},
            ViewJobs::Kind::Load);
    }

    bool BackupsView::confirmRetention(const ops::RetentionPreview &preview)
    {
        if (m_confirmRetention)
            return m_confirmRetention(preview);
        QMessageBox box(QMessageBox::Warning, u"Change retention"_s,
                        u"This retention moves %1 backup(s) of %2 to the trash now (%3). A test-restored backup and the newest "
                        u"verified one are never removed.\n\nMove them and save the new retention?"_s.arg(preview.victims.size())
                            .arg(m_profile.name, BackupCatalog::trashDir()),
                        QMessageBox::Yes | QMessageBox::No, this);
        box.setDetailedText(preview.text);
        box.setDefaultButton(QMessageBox::No);
        return box.exec() == QMessageBox::Yes;
    }

    void BackupsView::storePolicy(const ops::BackupPolicyChange &change, quint64 policyRead)
    {
        Store *store = m_store;
        ProfileStore *profiles = m_profiles;
        m_run->start<ops::BackupPolicyView>(
            u"save backup policy"_s, [store, profiles, change](JobContext &) { return ops::setPolicy(*store, profiles, change); },
            {.succeeded =
                 [this, policyRead](const ops::BackupPolicyView &p) {
                     if (!p.removed.isEmpty())
                         m_status->setText(u"Retention saved: "_s + removedText(p.removed));
                     if (policyRead == m_policyReads)
                         showPolicy(p);
                 },
             .failed =
                 [this](const Error &e, const auto &) {
                     showPolicy(m_policy);
                     showFailure(u"save backup policy"_s, e);
                 },
             .finished = [this] { refresh(); }},
            ViewJobs::Kind::Load);
    }

    QString BackupsView::removedText(const QList<TrashedBackup> &removed)
    {
        QStringList which;
        for (const TrashedBackup &t : removed)
            which << ops::describeBackup(t.entry);
        return u"retention moved %1 backup(s) to the trash (%2): %3"_s.arg(removed.size())
            .arg(BackupCatalog::trashDir(), which.join(u"; "_s));
    }

    QString BackupsView::passwordFor(const QString &profile) const
    {
        return profile == m_profile.name ? m_password : QString();
    }

    int BackupsView::selectedRow() const
    {
        const QModelIndexList rows = m_table->selectionModel()->selectedRows();
        return rows.isEmpty() ? -1 : rows.first().row();
    }

    qint64 BackupsView::selectedId() const
    {
        const int row = selectedRow();
        return row < 0 ? 0 : m_model->entry(row).id;
    }

    void BackupsView::updateButtons()
    {
        const bool busy = m_run->isBusy();
        const bool haveProfile = !m_profile.name.isEmpty() && !m_profile.isSqlite();
        const bool selected = selectedRow() >= 0;
        m_backup->setEnabled(haveProfile && !busy);
        for (QWidget *w : std::initializer_list<QWidget *>{m_preMigration, m_keepLast, m_keepDays})
            w->setEnabled(haveProfile);
        m_restoreFile->setEnabled(!busy);
        for (QPushButton *b : {m_verify, m_testRestore, m_restore, m_delete, m_reveal})
            b->setEnabled(selected && !busy);
    }

    void BackupsView::showFailure(const QString &title, const Error &e)
    {
        m_status->setText(e.isCancelled() ? u"%1: cancelled — %2"_s.arg(title, e.message.toHtmlEscaped())
                                          : u"<span style='color:#c62828'>%1 failed: %2</span>"_s.arg(title, e.message.toHtmlEscaped()));
        emit jobFinished(false, e.isCancelled() ? u"cancelled"_s : e.message);
    }

    template <class T, class F, class D>
    void BackupsView::runAction(const QString &title, F &&body, D done)
    {
        JobHandlers<T> handlers;
        handlers.succeeded = [this, title, done](const typename JobHandlers<T>::Value &value) {
            m_status->setText(u"%1: %2"_s.arg(title, done(value)));
            emit jobFinished(true, m_status->text());
        };
        // A result that carries a failure (a backup that did not verify) arrives here, failed.
        handlers.failed = [this, title](const Error &e, const auto &) { showFailure(title, e); };
        handlers.finished = [this] {
            refresh(); // every action may have changed the catalog
            updateButtons();
        };
        if (Job *job = m_run->start<T>(title, std::forward<F>(body), std::move(handlers)))
            m_job = job;
        else
            m_status->setText(u"<span style='color:#c62828'>%1 did not start: %2 is still running</span>"_s.arg(title, m_run->busyTitle()));
    }

    void BackupsView::backUpNow()
    {
        if (m_profile.name.isEmpty())
            return;
        const ops::Target t = target(m_profile, m_password);
        runAction<ops::BackupRun>(
            u"Back up %1"_s.arg(m_profile.name), [t](JobContext &jc) { return ops::backupNow(t, BackupRequest{}, jc); },
            [](const ops::BackupRun &run) {
                const BackupEntry &e = run.entry;
                QString text = u"backup %1 verified (%2, %3)"_s.arg(e.id).arg(formatBytes(e.size), QFileInfo(e.path).fileName());
                if (!run.removed.isEmpty())
                    text += u"; "_s + removedText(run.removed);
                return text;
            });
    }

    void BackupsView::verifySelected()
    {
        const int row = selectedRow();
        if (row < 0)
            return;
        const qint64 id = m_model->entry(row).id;
        Store *store = m_store;
        runAction<BackupEntry>(
            u"Verify backup %1"_s.arg(id), [store, id](JobContext &jc) { return ops::verify(*store, id, jc); },
            [](const BackupEntry &e) { return u"verified: %1"_s.arg(e.verifyDetail); });
    }

    void BackupsView::testRestoreSelected()
    {
        const int row = selectedRow();
        if (row < 0)
            return;
        const qint64 id = m_model->entry(row).id;
        Store *store = m_store;
        runAction<BackupEntry>(
            u"Test restore of backup %1"_s.arg(id), [store, id](JobContext &jc) { return ops::testRestore(*store, id, jc); },
            [](const BackupEntry &e) { return e.testRestore; });
    }

    void BackupsView::withProfiles(std::function<void(const QList<ConnectionProfile> &)> then)
    {
        JobHandlers<QList<ConnectionProfile>> handlers;
        handlers.succeeded = std::move(then);
        handlers.failed = [this](const Error &e, const auto &) { showFailure(u"Read the profiles"_s, e); };
        m_run->start<QList<ConnectionProfile>>(u"List profiles (restore)"_s, profilejobs::list(m_profiles), handlers, ViewJobs::Kind::Load);
    }

    void BackupsView::restoreSelected()
    {
        const int row = selectedRow();
        if (row < 0)
            return;
        const BackupEntry e = m_model->entry(row);
        withProfiles([this, e](const QList<ConnectionProfile> &profiles) {
            RestoreDialog dialog(u"backup %1 of %2 (%3)"_s.arg(e.id).arg(e.database, formatBytes(e.size)), profiles, m_profile.name,
                                 e.database + u"_restored_"_s + QDateTime::currentDateTime().toString(u"yyyyMMdd_HHmm"_s), this);
            dialog.listSessionsWith(m_jobs, [this](const ConnectionProfile &p) { return target(p, passwordFor(p.name)); });
            if (dialog.exec() != QDialog::Accepted)
                return;
            RestoreRequest request = dialog.request();
            request.backupId = e.id;
            startRestore(request, passwordFor(request.profile.name), dialog.confirmation());
        });
    }

    void BackupsView::restoreFile()
    {
        const QString path = QFileDialog::getOpenFileName(this, u"Restore an archive"_s, {},
                                                          u"PostgreSQL archives (*.dump *.backup *.custom);;All files (*)"_s);
        if (path.isEmpty())
            return;
        withProfiles([this, path](const QList<ConnectionProfile> &profiles) {
            RestoreDialog dialog(path, profiles, m_profile.name, QFileInfo(path).completeBaseName().toLower().replace(u'-', u'_'), this);
            dialog.listSessionsWith(m_jobs, [this](const ConnectionProfile &p) { return target(p, passwordFor(p.name)); });
            if (dialog.exec() != QDialog::Accepted)
                return;
            RestoreRequest request = dialog.request();
            request.archivePath = path;
            startRestore(request, passwordFor(request.profile.name), dialog.confirmation());
        });
    }

    void BackupsView::startRestore(RestoreRequest request, const QString &password, const ops::Confirmation &confirmation)
    {
        const ops::Target t = target(request.profile, password);
        const QString into = request.newDatabase.isEmpty() ? request.replaceDatabase : request.newDatabase;
        runAction<RestoreResult>(
            u"Restore into %1"_s.arg(into),
            [t, request, confirmation, own = m_ownSessions](JobContext &jc) { return ops::restore(t, request, confirmation, jc, own); },
            [](const RestoreResult &r) {
                QString text =
                    u"restored into %1 (%2); %3 tables' row counts match the archive"_s.arg(r.database, r.mode).arg(r.tablesChecked);
                if (r.safetyBackupId > 0)
                    text += u"; safety backup %1"_s.arg(r.safetyBackupId);
                return text;
            });
    }

    void BackupsView::deleteSelected(bool confirmed)
    {
        const int row = selectedRow();
        if (row < 0)
            return;
        const BackupEntry e = m_model->entry(row);
        if (!confirmed
            && QMessageBox::question(this, u"Delete backup"_s,
                                     u"Move backup %1 (%2, %3) to the trash and remove it from the catalog?"_s.arg(e.id).arg(
                                         QFileInfo(e.path).fileName(), formatBytes(e.size)))
                   != QMessageBox::Yes)
            return;
        const ops::Target t = target(m_profile, m_password);
        const qint64 id = e.id;
        runAction<void>(
            u"Delete backup %1"_s.arg(id), [t, id](JobContext &jc) { ops::removeBackup(t, id, jc); },
            [id](bool) { return u"backup %1 moved to the trash and removed from the catalog"_s.arg(id); });
    }

    void BackupsView::revealSelected()
    {
        const int row = selectedRow();
        if (row >= 0)
            QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_model->entry(row).path).absolutePath()));
    }
}
