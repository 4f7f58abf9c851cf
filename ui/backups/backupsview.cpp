#include "ui/backups/backupsview.h"

#include "core/backup/backupservice.h"
#include "core/backup/restoreservice.h"
#include "core/backup/toollocator.h"
#include "core/connect/connector.h"
#include "core/jobs/jobmanager.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "ui/backups/backuptablemodel.h"
#include "ui/backups/restoredialog.h"
#include "ui/main/connectioncontroller.h"

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
        , m_progress(new QProgressBar(this))
        , m_status(new QLabel(this))
        , m_cancel(new QPushButton(u"Cancel"_s, this))
        , m_preMigration(new QCheckBox(u"Verified backup before every change (migrate, down, repair, baseline, adopt)"_s, this))
        , m_keepLast(new QSpinBox(this))
        , m_keepDays(new QSpinBox(this))
    {
        auto *layout = new QVBoxLayout(this);
        layout->addWidget(m_title);
        auto *buttons = new QHBoxLayout;
        for (QPushButton *b : {m_backup, m_verify, m_testRestore, m_restore, m_restoreFile, m_delete, m_reveal})
            buttons->addWidget(b);
        buttons->addStretch();
        layout->addLayout(buttons);
        m_table->setModel(m_model);
        m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
        m_table->setSelectionMode(QAbstractItemView::SingleSelection);
        m_table->verticalHeader()->hide();
        m_table->horizontalHeader()->setStretchLastSection(true);
        m_table->setAlternatingRowColors(true);
        layout->addWidget(m_table, 1);
        auto *policy = new QHBoxLayout;
        policy->addWidget(new QLabel(u"Retention: keep the last"_s, this));
        m_keepLast->setRange(0, 9999);
        m_keepLast->setSpecialValueText(u"all"_s);
        policy->addWidget(m_keepLast);
        policy->addWidget(new QLabel(u"and those younger than"_s, this));
        m_keepDays->setRange(0, 3650);
        m_keepDays->setSuffix(u" days"_s);
        m_keepDays->setSpecialValueText(u"any age"_s);
        policy->addWidget(m_keepDays);
        policy->addWidget(new QLabel(u"(the only verified backup is never deleted)"_s, this));
        policy->addStretch();
        policy->addWidget(m_preMigration);
        layout->addLayout(policy);
        auto *progress = new QHBoxLayout;
        m_progress->setTextVisible(true);
        progress->addWidget(m_progress, 1);
        progress->addWidget(m_cancel);
        layout->addLayout(progress);
        m_status->setWordWrap(true);
        m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(m_status);

        connect(m_backup, &QPushButton::clicked, this, &BackupsView::backUpNow);
        connect(m_verify, &QPushButton::clicked, this, &BackupsView::verifySelected);
        connect(m_testRestore, &QPushButton::clicked, this, &BackupsView::testRestoreSelected);
        connect(m_restore, &QPushButton::clicked, this, &BackupsView::restoreSelected);
        connect(m_restoreFile, &QPushButton::clicked, this, &BackupsView::restoreFile);
        connect(m_delete, &QPushButton::clicked, this, [this] { deleteSelected(false); });
        connect(m_reveal, &QPushButton::clicked, this, &BackupsView::revealSelected);
        connect(m_cancel, &QPushButton::clicked, this, [this] {
            if (m_job)
                m_job->cancel();
        });
        connect(m_preMigration, &QCheckBox::toggled, this, &BackupsView::savePolicy);
        connect(m_keepLast, &QSpinBox::valueChanged, this, &BackupsView::savePolicy);
        connect(m_keepDays, &QSpinBox::valueChanged, this, &BackupsView::savePolicy);
        connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &BackupsView::updateButtons);
        connect(m_model, &QAbstractItemModel::modelReset, this, &BackupsView::updateButtons);
        if (m_connection)
            connect(m_connection, &ConnectionController::stateChanged, this, [this](ConnectionController::State state) {
                if (state == ConnectionController::State::Connected)
                    setProfile(m_connection->profile(), m_connection->sessionPassword());
            });
        m_progress->hide();
        m_cancel->hide();
        setProfile({});
    }

    void BackupsView::setProfile(const ConnectionProfile &profile, const QString &password)
    {
        m_profile = profile;
        m_password = password;
        m_title->setText(profile.name.isEmpty() ? u"<b>Backups</b> — connect a profile to see its catalog"_s
                                                : u"<b>Backups of %1</b> <span style='color:%2'>(%3)</span> — %4"_s.arg(
                                                      profile.name.toHtmlEscaped(), environmentColor(profile.environment),
                                                      toString(profile.environment), profile.targetDescription().toHtmlEscaped()));
        refresh();
    }

    void BackupsView::refresh()
    {
        const quint64 generation = ++m_generation;
        m_policy = BackupPolicy{}; // until this profile's is read
        if (m_profile.name.isEmpty())
        {
            m_model->setEntries({});
            return;
        }
        Store *store = m_store;
        const QString profile = m_profile.name;
        // Create, connect, then start: a quick job may finish before a later connect would exist.
        auto *job = new Job(u"backup catalog"_s, [store, profile](JobContext &) {
            return QVariant::fromValue(BackupCatalog(*store).list(profile));
        });
        auto *policyJob = new Job(u"backup policy"_s, [store, profile](JobContext &) {
            return QVariant::fromValue(BackupCatalog(*store).policy(profile));
        });
        connect(job, &Job::succeeded, this, [this, generation](const QVariant &v) {
            if (generation != m_generation) // C7: drop stale replies
                return;
            const int keep = selectedRow() >= 0 ? selectedRow() : 0;
            m_model->setEntries(v.value<QList<BackupEntry>>());
            m_table->resizeColumnsToContents();
            if (m_model->rowCount() > 0)
                m_table->selectRow(std::min(keep, m_model->rowCount() - 1));
        });
        connect(job, &Job::failed, this, [this](const Error &e) {
            m_status->setText(u"<span style='color:#c62828'>cannot read the backup catalog: %1</span>"_s.arg(e.message.toHtmlEscaped()));
        });
        connect(policyJob, &Job::succeeded, this, [this, generation](const QVariant &v) {
            if (generation != m_generation)
                return;
            const BackupPolicy p = v.value<BackupPolicy>();
            m_loadingPolicy = true;
            m_keepLast->setValue(p.keepLast);
            m_keepDays->setValue(p.keepDays);
            m_policy = p;
            // What the rule will do: production unless switched off, other environments only when
            // switched on explicitly.
            m_preMigration->setChecked(m_profile.isProduction() ? p.preMigrationBackup : (p.preMigrationBackup && p.preMigrationSet));
            m_loadingPolicy = false;
        });
        m_jobs->start(job);
        m_jobs->start(policyJob);
    }

    void BackupsView::savePolicy()
    {
        if (m_loadingPolicy || m_profile.name.isEmpty())
            return;
        BackupPolicy p = m_policy;
        p.profile = m_profile.name;
        p.keepLast = m_keepLast->value();
        p.keepDays = m_keepDays->value();
        if (m_profile.isProduction())
            p.preMigrationBackup = m_preMigration->isChecked();
        else
        {
            p.preMigrationBackup = true;
            p.preMigrationSet = m_preMigration->isChecked();
        }
        m_policy = p;
        Store *store = m_store;
        m_jobs->start(u"save backup policy"_s, [store, p](JobContext &) {
            BackupCatalog(*store).setPolicy(p);
            return QVariant();
        });
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

    void BackupsView::updateButtons()
    {
        const bool busy = m_job && !m_job->isFinished();
        const bool haveProfile = !m_profile.name.isEmpty() && !m_profile.isSqlite();
        const bool selected = selectedRow() >= 0;
        m_backup->setEnabled(haveProfile && !busy);
        for (QWidget *w : std::initializer_list<QWidget *>{m_preMigration, m_keepLast, m_keepDays})
            w->setEnabled(haveProfile);
        m_restoreFile->setEnabled(!busy);
        for (QPushButton *b : {m_verify, m_testRestore, m_restore, m_delete, m_reveal})
            b->setEnabled(selected && !busy);
    }

    void BackupsView::runJob(const QString &title, Job::Body body, bool reloadAfter)
    {
        auto *job = new Job(title, std::move(body));
        m_job = job;
        m_progress->show();
        m_cancel->show();
        m_cancel->setEnabled(true);
        m_progress->setRange(0, 0);
        m_progress->setFormat(title);
        m_status->setText(title + u"…"_s);
        updateButtons();
        connect(job, &Job::progressChanged, this, [this, job, title](qint64 done, qint64 total, const QString &message) {
            if (job != m_job)
                return;
            if (total > 0)
            {
                // QProgressBar is int-based: scale byte totals down.
                const double f = double(std::clamp<qint64>(done, 0, total)) / double(total);
                m_progress->setRange(0, 1000);
                m_progress->setValue(int(f * 1000));
                m_progress->setFormat(u"%1 — %p%"_s.arg(title));
            }
            if (!message.isEmpty())
                m_status->setText(message);
        });
        connect(job, &Job::succeeded, this, [this, title](const QVariant &) {
            m_status->setText(title + u": done"_s);
            emit jobFinished(true, m_status->text());
        });
        connect(job, &Job::failed, this, [this, title](const Error &e) {
            m_status->setText(u"<span style='color:#c62828'>%1 failed: %2</span>"_s.arg(title, e.message.toHtmlEscaped()));
            emit jobFinished(false, e.message);
        });
        connect(job, &Job::cancelled, this, [this, title] {
            m_status->setText(title + u": cancelled; nothing was kept"_s);
            emit jobFinished(false, u"cancelled"_s);
        });
        connect(job, &Job::finished, this, [this, job, reloadAfter] {
            if (job == m_job)
            {
                m_progress->hide();
                m_cancel->hide();
            }
            if (reloadAfter)
                refresh();
            updateButtons();
        });
        m_jobs->start(job);
    }

    void BackupsView::backUpNow()
    {
        if (m_profile.name.isEmpty())
            return;
        BackupRequest request;
        request.profile = m_profile;
        Store *store = m_store;
        ProfileStore *profiles = m_profiles;
        const QString password = m_password;
        runJob(u"Back up %1"_s.arg(m_profile.name), [store, profiles, request, password](JobContext &jc) mutable {
            request.connection = Connector(profiles).resolve(request.profile, password, jc.token());
            request.toolsDir = configuredToolDir(store);
            return QVariant::fromValue(BackupService(*store).backup(request, jc).id);
        }, true);
    }

    void BackupsView::verifySelected()
    {
        const int row = selectedRow();
        if (row < 0)
            return;
        const qint64 id = m_model->entry(row).id;
        Store *store = m_store;
        runJob(u"Verify backup %1"_s.arg(id), [store, id](JobContext &jc) {
            return QVariant(int(BackupService(*store).verify(id, jc, configuredToolDir(store)).verification));
        }, true);
    }

    void BackupsView::testRestoreSelected()
    {
        const int row = selectedRow();
        if (row < 0)
            return;
        const qint64 id = m_model->entry(row).id;
        Store *store = m_store;
        runJob(u"Test restore of backup %1"_s.arg(id), [store, id](JobContext &jc) {
            return QVariant(BackupService(*store).testRestore(id, jc, configuredToolDir(store)).testRestore);
        }, true);
    }

    void BackupsView::restoreSelected()
    {
        const int row = selectedRow();
        if (row < 0)
            return;
        const BackupEntry e = m_model->entry(row);
        auto profiles = m_profiles->list();
        RestoreDialog dialog(u"backup %1 of %2 (%3)"_s.arg(e.id).arg(e.database, formatBytes(e.size)), profiles.value_or(QList<ConnectionProfile>{}),
                             m_profile.name, e.database + u"_restored_"_s + QDateTime::currentDateTime().toString(u"yyyyMMdd_HHmm"_s), this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        RestoreRequest request = dialog.request();
        request.backupId = e.id;
        startRestore(request, passwordFor(request.profile.name));
    }

    void BackupsView::restoreFile()
    {
        const QString path = QFileDialog::getOpenFileName(this, u"Restore an archive"_s, {}, u"PostgreSQL archives (*.dump *.backup *.custom);;All files (*)"_s);
        if (path.isEmpty())
            return;
        auto profiles = m_profiles->list();
        RestoreDialog dialog(path, profiles.value_or(QList<ConnectionProfile>{}), m_profile.name,
                             QFileInfo(path).completeBaseName().toLower().replace(u'-', u'_'), this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        RestoreRequest request = dialog.request();
        request.archivePath = path;
        startRestore(request, passwordFor(request.profile.name));
    }

    void BackupsView::startRestore(RestoreRequest request, const QString &password)
    {
        Store *store = m_store;
        ProfileStore *profiles = m_profiles;
        const QString target = request.newDatabase.isEmpty() ? request.replaceDatabase : request.newDatabase;
        runJob(u"Restore into %1"_s.arg(target), [store, profiles, request, password](JobContext &jc) mutable {
            request.connection = Connector(profiles).resolve(request.profile, password, jc.token());
            request.toolsDir = configuredToolDir(store);
            return QVariant(RestoreService(*store).restore(request, jc).toJson());
        }, true);
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
        Store *store = m_store;
        runJob(u"Delete backup %1"_s.arg(e.id), [store, e](JobContext &) {
            if (QFileInfo::exists(e.path) && !discardArchive(e.path))
                throw Exception(ErrorCode::Io, u"cannot move %1 to the trash"_s.arg(e.path));
            BackupCatalog(*store).remove(e.id);
            return QVariant();
        }, true);
    }

    void BackupsView::revealSelected()
    {
        const int row = selectedRow();
        if (row >= 0)
            QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_model->entry(row).path).absolutePath()));
    }
}
