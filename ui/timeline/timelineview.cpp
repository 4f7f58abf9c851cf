#include "ui/timeline/timelineview.h"

#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/migrate/migrator.h"
#include "core/ops/schemaops.h"
#include "core/remedy.h"
#include "ui/jobs/viewjobs.h"
#include "ui/timeline/lockindicator.h"
#include "ui/timeline/timelinesnapshot.h"
#include "ui/timeline/migrationdetail.h"
#include "ui/timeline/statestyle.h"
#include "ui/timeline/timelineactions.h"
#include "ui/timeline/timelinedelegate.h"
#include "ui/timeline/timelinefiltermodel.h"
#include "ui/timeline/timelinemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QToolBar>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QThreadPool>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        constexpr int kLockIntervalMs = 2000;

        /// The state filter's entries: "All", "Needs attention", then each state.
        enum FilterChoice
        {
            AllStates = -1,
            Problems = -2
        };
    }

    TimelineView::TimelineView(JobManager *jobs, ProfileStore *profiles, Store *store, QWidget *parent)
        : QWidget(parent)
        , m_jobs(jobs)
        , m_profiles(profiles)
        , m_store(store)
        , m_model(new TimelineModel(this))
        , m_proxy(new TimelineFilterModel(this))
        , m_actions(new TimelineActions(jobs, this))
        , m_title(new QLabel(this))
        , m_lock(new LockIndicator(this))
        , m_refresh(new QPushButton(u"Refresh"_s, this))
        , m_drift(new QPushButton(this))
        , m_driftJobs(new ViewJobs(jobs, this))
        , m_auto(new QCheckBox(u"Auto every"_s, this))
        , m_autoSeconds(new QSpinBox(this))
        , m_apply(new QPushButton(u"Apply pending…"_s, this))
        , m_applyTo(new QPushButton(u"Apply up to here…"_s, this))
        , m_dryRun(new QPushButton(u"Dry run"_s, this))
        , m_validate(new QPushButton(u"Validate"_s, this))
        , m_repair(new QPushButton(u"Repair…"_s, this))
        , m_baseline(new QPushButton(u"Baseline here…"_s, this))
        , m_down(new QPushButton(u"Down to here…"_s, this))
        , m_markApplied(new QPushButton(u"Mark applied by hand…"_s, this))
        , m_adopt(new QPushButton(u"Adopt history…"_s, this))
        , m_stateFilter(new QComboBox(this))
        , m_textFilter(new QLineEdit(this))
        , m_progressRow(new QWidget(this))
        , m_progressText(new QLabel(this))
        , m_progress(new QProgressBar(this))
        , m_cancel(new QPushButton(u"Cancel"_s, this))
        , m_error(new QLabel(this))
        , m_status(new QLabel(this))
        , m_stack(new QStackedWidget(this))
        , m_placeholder(new QLabel(this))
        , m_table(new QTreeView(this))
        , m_detail(new MigrationDetail(this))
        , m_autoTimer(new QTimer(this))
        , m_lockTimer(new QTimer(this))
        , m_loads(new ViewJobs(jobs, this))
        , m_probes(new ViewJobs(jobs, this))
    {
        setObjectName(u"timelineView"_s);
        qRegisterMetaType<dbops::TimelineSnapshot>();
        qRegisterMetaType<dbops::LockStatus>();

        m_proxy->setSourceModel(m_model);
        m_table->setObjectName(u"timelineTable"_s);
        m_table->setModel(m_proxy);
        m_table->setItemDelegate(new TimelineDelegate(m_table));
        m_table->setRootIsDecorated(false);
        m_table->setUniformRowHeights(true);
        m_table->setAlternatingRowColors(true);
        m_table->setSortingEnabled(true);
        m_table->sortByColumn(TimelineModel::Version, Qt::AscendingOrder);
        m_table->setSelectionMode(QAbstractItemView::SingleSelection);
        m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
        m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        m_table->setIconSize(QSize(16, 16));
        QHeaderView *h = m_table->header();
        h->setStretchLastSection(true);
        h->setSectionResizeMode(QHeaderView::Interactive);
        h->resizeSection(TimelineModel::Version, 110);
        h->resizeSection(TimelineModel::Description, 200);
        h->resizeSection(TimelineModel::State, 330);
        h->resizeSection(TimelineModel::AppliedAt, 150);
        h->resizeSection(TimelineModel::AppliedBy, 100);
        h->resizeSection(TimelineModel::Duration, 72);
        h->resizeSection(TimelineModel::History, 70);

        m_title->setObjectName(u"timelineTitle"_s);
        m_title->setTextFormat(Qt::RichText);
        m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_title->setMinimumWidth(120);

        m_error->setObjectName(u"timelineError"_s);
        m_error->setTextFormat(Qt::RichText);
        m_error->setWordWrap(true);
        m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_error->setContentsMargins(10, 6, 10, 6);
        m_error->setAutoFillBackground(true);
        QPalette ep = m_error->palette();
        ep.setColor(QPalette::Window, QColor(0xff, 0xeb, 0xe9));
        m_error->setPalette(ep);
        m_error->hide();

        m_status->setObjectName(u"timelineStatus"_s);
        m_status->setTextFormat(Qt::PlainText);
        m_status->setWordWrap(true);
        m_status->setForegroundRole(QPalette::PlaceholderText);

        m_placeholder->setAlignment(Qt::AlignCenter);
        m_placeholder->setWordWrap(true);
        m_placeholder->setForegroundRole(QPalette::PlaceholderText);

        auto *splitter = new QSplitter(Qt::Vertical, this);
        splitter->setObjectName(u"timelineSplitter"_s);
        splitter->addWidget(m_table);
        splitter->addWidget(m_detail);
        splitter->setStretchFactor(0, 3);
        splitter->setStretchFactor(1, 2);
        splitter->setSizes({330, 260});
        splitter->setChildrenCollapsible(false);
        m_stack->addWidget(m_placeholder);
        m_stack->addWidget(splitter);

        buildToolbar();

        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(4);
        auto *top = new QHBoxLayout;
        top->setContentsMargins(8, 6, 8, 0);
        top->addWidget(m_title, 1);
        top->addWidget(m_drift);
        top->addWidget(m_lock);
        top->addSpacing(8);
        top->addWidget(m_refresh);
        top->addWidget(m_auto);
        top->addWidget(m_autoSeconds);
        layout->addLayout(top);

        auto *bar = new QHBoxLayout;
        bar->setContentsMargins(8, 0, 8, 0);
        bar->setSpacing(4);
        // The actions in a tool bar: where the window is narrow (1280 px and a sidebar) the ones
        // that do not fit move behind its » button instead of widening the window.
        auto *actions = new QToolBar(this);
        actions->setObjectName(u"timelineActionsBar"_s);
        actions->setMovable(false);
        actions->setFloatable(false);
        actions->setStyleSheet(u"QToolBar { border: 0; spacing: 4px; }"_s);
        // Adopt first: it shows only for another tool's history, when it is the one thing to do.
        m_adoptAction = actions->addWidget(m_adopt); // a tool bar shows and hides its widgets through their actions
        for (QPushButton *b : {m_apply, m_applyTo, m_dryRun, m_validate, m_repair, m_baseline, m_down, m_markApplied})
            actions->addWidget(b);
        bar->addWidget(actions, 1);
        bar->addWidget(m_stateFilter);
        bar->addWidget(m_textFilter);
        layout->addLayout(bar);

        auto *progressLayout = new QHBoxLayout(m_progressRow);
        progressLayout->setContentsMargins(8, 0, 8, 0);
        progressLayout->addWidget(m_progressText, 1);
        progressLayout->addWidget(m_progress, 1);
        progressLayout->addWidget(m_cancel);
        m_progressRow->hide();
        layout->addWidget(m_progressRow);
        layout->addWidget(m_error);
        layout->addWidget(m_stack, 1);
        auto *statusLayout = new QHBoxLayout;
        statusLayout->setContentsMargins(8, 0, 8, 4);
        statusLayout->addWidget(m_status, 1);
        layout->addLayout(statusLayout);

        m_autoTimer->setObjectName(u"autoRefreshTimer"_s);
        m_lockTimer->setInterval(kLockIntervalMs);
        connect(m_autoTimer, &QTimer::timeout, this, [this] {
            if (!m_actions->isBusy())
                refresh();
        });
        connect(m_lockTimer, &QTimer::timeout, this, &TimelineView::checkLock);
        connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TimelineView::onSelectionChanged);

        connect(m_actions, &TimelineActions::busyChanged, this, [this](bool busy, const QString &title) {
            m_busy = busy;
            m_progressRow->setVisible(busy);
            if (busy)
            {
                m_progressText->setText(title);
                m_progress->setRange(0, 0);
                m_error->hide();
            }
            updateButtons();
        });
        connect(m_actions, &TimelineActions::progressChanged, this, [this](qint64 done, qint64 total, const QString &message) {
            if (total > 0)
            {
                m_progress->setRange(0, int(total));
                m_progress->setValue(int(done));
                m_progress->setFormat(u"%v / %m"_s);
            }
            else
                m_progress->setRange(0, 0);
            if (!message.isEmpty())
                m_progressText->setText(message);
        });
        connect(m_actions, &TimelineActions::actionFinished, this, [this](bool ok, const QString &message) {
            const QString summary = consoleText(message); // core's words name the console's controls
            m_status->setText(summary);
            if (!ok && !m_error->isVisible() && !summary.contains(u"cancelled"_s))
            {
                m_error->setText(u"<b>✕</b> "_s + summary.toHtmlEscaped());
                m_error->show();
            }
        });
        connect(m_actions, &TimelineActions::historyChanged, this, &TimelineView::refresh);
        connect(m_actions, &TimelineActions::migrationFailed, this, &TimelineView::showFailure);
        connect(m_actions, &TimelineActions::validated, this, [this](const ValidateResult &r) {
            m_model->setValidation(r);
            m_table->header()->showSection(TimelineModel::Check);
        });
        connect(m_cancel, &QPushButton::clicked, m_actions, &TimelineActions::cancel);

        clearProfile();
    }

    TimelineView::~TimelineView()
    {
        // Never wait on the GUI thread: the probe in flight is cancelled and ends on its own
        // (it deletes itself); the leased connection is closed by the last job holding it.
        if (m_lockJob)
            m_lockJob->cancel();
        releaseProbe();
    }

    void TimelineView::releaseProbe()
    {
        m_probes->retarget(); // a probe in flight answers for the old lease: dropped
        if (!m_probe)
            return;
        // The lease closes on a worker (a connection is never closed on the GUI thread); a probe
        // still running keeps it until it ends.
        QThreadPool::globalInstance()->start([probe = std::move(m_probe)]() mutable { probe.reset(); });
        m_probe.reset();
    }

    void TimelineView::buildToolbar()
    {
        m_refresh->setObjectName(u"refreshTimeline"_s);
        m_refresh->setToolTip(u"Reload the timeline from the database (F5)"_s);
        // F5 is the window's View > Refresh (it calls refresh()): a second F5 here made it ambiguous.
        connect(m_refresh, &QPushButton::clicked, this, [this] {
            m_driftWanted = true;
            refresh();
        });
        m_drift->setObjectName(u"driftBadge"_s);
        m_drift->setFlat(true);
        m_drift->setVisible(false);
        m_drift->setToolTip(u"This database versus what its applied migrations say; click to open the drift view"_s);
        connect(m_drift, &QPushButton::clicked, this, [this] { emit driftClicked(m_profile.name); });
        m_auto->setObjectName(u"autoRefresh"_s);
        m_auto->setToolTip(u"Reload on an interval, to see another process's changes"_s);
        m_autoSeconds->setRange(2, 600);
        m_autoSeconds->setValue(10);
        m_autoSeconds->setSuffix(u" s"_s);
        connect(m_auto, &QCheckBox::toggled, this, [this](bool on) { setAutoRefresh(on, m_autoSeconds->value()); });
        connect(m_autoSeconds, &QSpinBox::valueChanged, this, [this](int s) { m_autoTimer->setInterval(s * 1000); });

        m_apply->setObjectName(u"applyPending"_s);
        m_apply->setToolTip(u"Plan, confirm and apply every pending migration"_s);
        m_applyTo->setObjectName(u"applyUpTo"_s);
        m_applyTo->setToolTip(u"Plan, confirm and apply pending migrations up to the selected one"_s);
        m_dryRun->setObjectName(u"dryRun"_s);
        m_dryRun->setToolTip(u"Show the full SQL that would run, in order; change nothing"_s);
        m_validate->setObjectName(u"validate"_s);
        m_repair->setObjectName(u"repair"_s);
        m_baseline->setObjectName(u"baselineHere"_s);
        m_down->setObjectName(u"downToHere"_s);
        m_markApplied->setObjectName(u"markApplied"_s);
        m_markApplied->setToolTip(u"Record the selected pending migration, run by hand outside dbops, as applied without running it"_s);
        connect(m_apply, &QPushButton::clicked, this, [this] { m_actions->applyPending(); });
        connect(m_applyTo, &QPushButton::clicked, this, [this] { m_actions->applyPending(selectedVersion()); });
        connect(m_dryRun, &QPushButton::clicked, this, [this] { m_actions->dryRun(); });
        connect(m_validate, &QPushButton::clicked, m_actions, &TimelineActions::validate);
        connect(m_repair, &QPushButton::clicked, m_actions, &TimelineActions::repair);
        connect(m_baseline, &QPushButton::clicked, this, [this] { m_actions->baselineAt(selectedVersion()); });
        connect(m_down, &QPushButton::clicked, this, [this] { m_actions->downTo(selectedVersion()); });
        connect(m_markApplied, &QPushButton::clicked, this, [this] { m_actions->markAppliedByHand(selectedVersion()); });
        m_adopt->setObjectName(u"adoptHistory"_s);
        m_adopt->setToolTip(u"Take the history another migration tool keeps over into dbops' own history"_s);
        connect(m_adopt, &QPushButton::clicked, m_actions, &TimelineActions::adoptHistory);

        m_stateFilter->setObjectName(u"stateFilter"_s);
        m_stateFilter->addItem(u"All states"_s, int(AllStates));
        m_stateFilter->addItem(u"Needs attention"_s, int(Problems));
        for (MigrationState s : {MigrationState::Applied, MigrationState::Pending, MigrationState::Failed, MigrationState::ChecksumMismatch,
                                 MigrationState::MissingFile, MigrationState::OutOfOrder, MigrationState::Baseline, MigrationState::Dirty})
            m_stateFilter->addItem(statestyle::icon(s), statestyle::label(s), int(s));
        m_textFilter->setObjectName(u"timelineFilter"_s);
        m_textFilter->setPlaceholderText(u"Filter…"_s);
        m_textFilter->setClearButtonEnabled(true);
        m_textFilter->setMinimumWidth(150);
        m_textFilter->setMaximumWidth(220);
        connect(m_stateFilter, &QComboBox::currentIndexChanged, this, &TimelineView::applyFilter);
        connect(m_textFilter, &QLineEdit::textChanged, this, &TimelineView::applyFilter);

        m_progress->setTextVisible(true);
        m_progress->setMaximumWidth(360);
        m_cancel->setObjectName(u"cancelAction"_s);
    }

    void TimelineView::applyFilter()
    {
        TimelineFilter f;
        const int choice = m_stateFilter->currentData().toInt();
        if (choice == Problems)
            f.states = {MigrationState::Failed, MigrationState::ChecksumMismatch, MigrationState::MissingFile, MigrationState::OutOfOrder,
                        MigrationState::Dirty};
        else if (choice >= 0)
            f.states = {MigrationState(choice)};
        f.text = m_textFilter->text();
        m_proxy->setFilter(f);
    }

    TimelineTarget TimelineView::target() const
    {
        return {m_profile, m_password, m_profile.migrationsDir, m_profiles, m_store};
    }

    void TimelineView::setProfile(const ConnectionProfile &profile, const QString &password)
    {
        const bool changed = profile.name != m_profile.name || profile.migrationsDir != m_profile.migrationsDir;
        releaseProbe(); // a lease for the new profile (and password) on the next probe
        m_profile = profile;
        m_password = password;
        m_actions->setTarget(target());
        if (changed)
        {
            m_model->setSnapshot({});
            m_detail->clear();
            m_error->hide();
            m_status->clear();
            m_lock->setUnknown();
            m_loaded = false;
            m_driftWanted = true;
            m_driftKey.clear();
            m_driftJobs->retarget();
            m_drift->setVisible(false);
        }
        if (profile.isSqlite())
        {
            clearProfile(u"%1 is a SQLite file; migrations run against PostgreSQL."_s.arg(profile.name));
            return;
        }
        if (profile.migrationsDir.isEmpty())
        {
            clearProfile(u"No migrations folder is set for %1.\nEdit the profile to choose one."_s.arg(profile.name));
            m_profile = profile;
            return;
        }
        updateTitle();
        refresh();
        checkLock();
        if (isVisible())
            m_lockTimer->start();
    }

    void TimelineView::clearProfile(const QString &why)
    {
        m_loads->retarget();
        m_probes->retarget();
        releaseProbe();
        m_profile = {};
        m_password.clear();
        m_actions->setTarget(target());
        m_model->setSnapshot({});
        m_detail->clear();
        m_lock->setUnknown();
        m_lockTimer->stop();
        m_loaded = false;
        m_placeholder->setText(why.isEmpty() ? u"Connect a profile to see its migration timeline."_s : why);
        m_stack->setCurrentWidget(m_placeholder);
        updateTitle();
        updateButtons();
    }

    void TimelineView::setAutoRefresh(bool on, int seconds)
    {
        m_autoSeconds->setValue(seconds);
        m_autoTimer->setInterval(seconds * 1000);
        if (m_auto->isChecked() != on)
            m_auto->setChecked(on);
        if (on)
            m_autoTimer->start();
        else
            m_autoTimer->stop();
    }

    void TimelineView::refresh()
    {
        if (m_profile.name.isEmpty() || m_profile.migrationsDir.isEmpty())
            return;
        m_loads->retarget();
        if (m_loadJob)
            m_loadJob->cancel();
        m_status->setText(u"Loading the timeline of %1…"_s.arg(m_profile.name));
        JobHandlers<TimelineSnapshot> handlers;
        handlers.succeeded = [this](const TimelineSnapshot &snapshot) { showSnapshot(snapshot); };
        handlers.failed = [this](const Error &e, const std::optional<TimelineSnapshot> &) {
            m_status->setText(consoleText(u"Cannot load the timeline: "_s + e.toString()));
            if (!m_loaded)
            {
                m_placeholder->setText(consoleText(u"Cannot load the timeline of %1:\n\n%2"_s.arg(m_profile.name, e.toString())));
                m_stack->setCurrentWidget(m_placeholder);
            }
            emit loadFailed(e);
        };
        m_loadJob = m_loads->start<TimelineSnapshot>(
            u"Timeline of %1"_s.arg(m_profile.name), [t = target()](JobContext &jc) { return timelinejobs::load(t, jc); }, handlers,
            ViewJobs::Kind::Load);
    }

    void TimelineView::showSnapshot(const TimelineSnapshot &snapshot)
    {
        const QString selected = selectedVersion();
        const bool validated = m_model->isValidated();
        m_model->setSnapshot(snapshot);
        m_actions->setSnapshot(snapshot);
        checkDrift(snapshot.currentVersion);
        m_table->header()->setSectionHidden(TimelineModel::Check, true);
        Q_UNUSED(validated);
        m_loaded = true;
        m_stack->setCurrentIndex(1);
        updateTitle();
        int pending = 0, problems = 0;
        for (const TimelineRow &r : snapshot.rows)
        {
            pending += !r.entry.row.has_value();
            problems += statestyle::isProblem(r.entry.state);
        }
        QString status = u"%1 migration(s) · %2 pending · %3 need attention · loaded %4"_s.arg(snapshot.rows.size())
                             .arg(pending)
                             .arg(problems)
                             .arg(snapshot.loadedAt.toLocalTime().toString(u"HH:mm:ss"_s));
        for (const QString &w : snapshot.warnings)
            status += u" · warning: "_s + consoleText(w);
        if (!m_busy)
            m_status->setText(status);

        // A failure report opens its file at the failing line once the rows are back.
        const QString want = !m_pendingFailureVersion.isEmpty() ? m_pendingFailureVersion : selected;
        if (!want.isEmpty())
            selectVersion(want);
        else if (m_proxy->rowCount() > 0)
        {
            // The current version, else the first row.
            int row = 0;
            for (int r = 0; r < m_proxy->rowCount(); ++r)
                if (m_proxy->index(r, 0).data(TimelineModel::IsCurrentRole).toBool())
                    row = r;
            m_table->setCurrentIndex(m_proxy->index(row, 0));
            m_table->scrollTo(m_proxy->index(row, 0), QAbstractItemView::PositionAtCenter);
        }
        if (!m_pendingFailureVersion.isEmpty() && m_detail->shownVersion() == m_pendingFailureVersion)
            m_detail->showLine(m_pendingFailureLine);
        m_pendingFailureVersion.clear();
        updateButtons();
        emit timelineLoaded(int(snapshot.rows.size()));
    }

    void TimelineView::showFailure(const MigrationFailure &f, int appliedBefore, int stillPending)
    {
        QString html = u"<b>✕ Migration %1 (%2) failed</b>"_s.arg(f.version.toHtmlEscaped(), f.script.toHtmlEscaped());
        if (f.statement > 0)
            html += u" at statement %1, <b>line %2</b>"_s.arg(f.statement).arg(f.line);
        if (!f.error.sqlstate.isEmpty())
            html += u" · SQLSTATE <b>%1</b>"_s.arg(f.error.sqlstate.toHtmlEscaped());
        html += u"<br>"_s + consoleText(f.error.message).toHtmlEscaped();
        if (!f.error.detail.isEmpty())
            html += u"<br>DETAIL: "_s + consoleText(f.error.detail).toHtmlEscaped();
        if (!f.error.hint.isEmpty())
            html += u"<br>HINT: "_s + consoleText(f.error.hint).toHtmlEscaped();
        html += f.rolledBack
                    ? u"<br>It was rolled back; nothing of it remains. "_s
                    : u"<br>It ran outside a transaction: %1 statement(s) stay applied; check them, then Repair. "_s.arg(f.statementsDone);
        html += u"%1 migration(s) were applied before it; %2 later one(s) stay pending."_s.arg(appliedBefore).arg(stillPending);
        m_error->setText(html);
        m_error->show();
        m_pendingFailureVersion = f.version;
        m_pendingFailureLine = f.line;
        selectVersion(f.version);
        if (m_detail->shownVersion() == f.version)
            m_detail->showLine(f.line);
    }

    QString TimelineView::selectedVersion() const
    {
        const QModelIndex current = m_table->currentIndex();
        return current.isValid() ? current.data(TimelineModel::VersionRole).toString() : QString();
    }

    void TimelineView::selectVersion(const QString &version)
    {
        for (int r = 0; r < m_proxy->rowCount(); ++r)
        {
            const QModelIndex index = m_proxy->index(r, 0);
            if (index.data(TimelineModel::VersionRole).toString() == version)
            {
                m_table->setCurrentIndex(index);
                m_table->scrollTo(index);
                return;
            }
        }
    }

    void TimelineView::onSelectionChanged()
    {
        const QModelIndex current = m_table->currentIndex();
        const TimelineRow *row = current.isValid() ? m_model->rowAt(m_proxy->mapToSource(current).row()) : nullptr;
        if (row)
            m_detail->showRow(*row, m_model->snapshot().historyTable);
        else
            m_detail->clear();
        updateButtons();
    }

    void TimelineView::updateButtons()
    {
        const bool ready = m_loaded && !m_busy && !m_profile.name.isEmpty();
        const QModelIndex current = m_table->currentIndex();
        const bool versioned = current.isValid() && !current.data(TimelineModel::VersionRole).toString().isEmpty()
                               && current.siblingAtColumn(TimelineModel::Version).data().toString() != u"R"_s;
        const bool pendingRow = versioned && current.data(TimelineModel::IsPendingRole).toBool();
        m_apply->setEnabled(ready);
        m_dryRun->setEnabled(ready);
        m_validate->setEnabled(ready);
        m_repair->setEnabled(ready);
        m_applyTo->setEnabled(ready && pendingRow);
        m_baseline->setEnabled(ready && versioned);
        // The engine's own rule (core/migrate downRefusal): no button that its plan would refuse.
        std::optional<Error> downRefused;
        if (versioned && !pendingRow)
        {
            QList<TimelineEntry> entries;
            for (const TimelineRow &r : m_model->snapshot().rows)
                entries << r.entry;
            downRefused = downRefusal(entries, m_model->snapshot().baselineVersion, current.data(TimelineModel::VersionRole).toString());
        }
        m_down->setEnabled(ready && versioned && !pendingRow && !downRefused);
        m_down->setToolTip(
            downRefused ? consoleText(
                downRefused->message
                + (downRefused->detail.isEmpty() ? QString() : u": "_s + QString(downRefused->detail).replace(u'\n', u", "_s)))
                        : u"Plan, confirm and run the down files of every applied migration above the selected one"_s);
        m_adoptAction->setVisible(m_loaded && !m_model->snapshot().historyFormat.isEmpty()
                                  && m_model->snapshot().historyFormat != u"dbops"_s);
        m_adopt->setEnabled(ready);
        m_markApplied->setEnabled(ready && pendingRow);
        m_refresh->setEnabled(!m_profile.name.isEmpty());
    }

    void TimelineView::updateTitle()
    {
        if (m_profile.name.isEmpty())
        {
            m_title->setText(u"<b>Migration timeline</b>"_s);
            return;
        }
        const TimelineSnapshot &s = m_model->snapshot();
        QString t = u"<b>Migration timeline</b> — %1 <span style='color:%2'>●</span> %3"_s.arg(
            m_profile.name.toHtmlEscaped(), environmentColor(m_profile.environment), toString(m_profile.environment));
        if (m_loaded)
            t += u" &nbsp;·&nbsp; current version <b>%1</b> &nbsp;·&nbsp; history <span style='color:#57606a'>%2</span>"_s.arg(
                s.currentVersion.isEmpty() ? u"none"_s : s.currentVersion.toHtmlEscaped(), s.historyFormat.toHtmlEscaped());
        m_title->setText(t);
        m_title->setToolTip(m_loaded ? u"History table: "_s + s.historyTable : QString());
    }

    void TimelineView::checkLock()
    {
        if (m_profile.name.isEmpty() || m_profile.migrationsDir.isEmpty() || m_lockJob)
            return;
        m_probes->retarget();
        if (!m_probe)
            m_probe = std::make_shared<ProbeLease>();
        JobHandlers<LockStatus> handlers;
        handlers.succeeded = [this](const LockStatus &status) {
            m_lock->setStatus(status, m_actions->ourBackends());
            emit lockChecked();
        };
        handlers.failed = [this](const Error &e, const std::optional<LockStatus> &) {
            m_lock->setError(e.toString());
            emit lockChecked();
        };
        // One leased connection, reused by every probe (reopened only when it broke). A probe every
        // 2 s would flood the Jobs panel: it runs unlisted (ViewJobs::Kind::Probe).
        m_lockJob = m_probes->start<LockStatus>(
            u"Migration lock of %1"_s.arg(m_profile.name),
            [weak = std::weak_ptr<ProbeLease>(m_probe), t = target()](JobContext &jc) {
                // Held only while the probe runs: the last holder is a worker, so
                // the lease never closes on the GUI thread.
                const std::shared_ptr<ProbeLease> lease = weak.lock();
                if (!lease)
                    throw Exception(ErrorCode::Cancelled, u"the view closed"_s);
                if (!lease->probe) // the request reads the environment: in the job
                    lease->probe = std::make_unique<ops::LockProbe>(timelinejobs::request(t));
                return lease->probe->probe(jc);
            },
            handlers, ViewJobs::Kind::Probe);
    }

    void TimelineView::showEvent(QShowEvent *event)
    {
        QWidget::showEvent(event);
        if (!m_profile.name.isEmpty())
        {
            checkLock();
            m_lockTimer->start();
        }
    }

    void TimelineView::hideEvent(QHideEvent *event)
    {
        QWidget::hideEvent(event);
        m_lockTimer->stop();
    }

    void TimelineView::checkDrift(const QString &appliedVersion)
    {
        const QString key = m_profile.name + u'@' + appliedVersion;
        if (!m_driftWanted && key == m_driftKey)
            return;
        m_driftWanted = false;
        m_driftKey = key;
        m_driftJobs->retarget(); // a check for an older version is dropped
        m_drift->setVisible(true);
        m_drift->setText(u"Drift: checking…"_s);
        JobHandlers<ops::DriftStatus> handlers;
        handlers.succeeded = [this](const ops::DriftStatus &status) {
            const bool drift = status.state == ops::DriftStatus::State::Drift;
            m_drift->setText(drift                                              ? u"⚠ Drift: %1 change(s)"_s.arg(status.changes)
                             : status.state == ops::DriftStatus::State::NoDrift ? u"✓ No drift"_s
                                                                                : u"Drift: nothing applied"_s);
            m_drift->setToolTip(status.text() + u"\nClick to open the drift view."_s);
            emit driftChecked(drift, status.text());
        };
        handlers.failed = [this](const Error &e, const auto &) {
            if (e.code == ErrorCode::Cancelled)
                return;
            m_drift->setText(u"Drift: not checked"_s);
            m_drift->setToolTip(u"The drift check failed: "_s + e.toString());
            emit driftChecked(false, e.toString());
        };
        const TimelineTarget t = target();
        m_driftJobs->start<ops::DriftStatus>(
            u"Drift check of %1"_s.arg(m_profile.name),
            [t](JobContext &jc) {
                return ops::driftCheck(ops::Target{t.profile, t.password, t.store, t.profiles}, t.migrationsDir, jc);
            },
            handlers, ViewJobs::Kind::Load);
    }
}
