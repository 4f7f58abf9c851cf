#include "ui/locks/locksview.h"

#include "core/locks/lockmonitor.h"
#include "core/ops/lockops.h"
#include "ui/jobs/viewjobs.h"
#include "ui/locks/blockingtreemodel.h"
#include "ui/locks/lockstyle.h"
#include "ui/locks/migrationlockmodel.h"
#include "ui/locks/sessionfiltermodel.h"
#include "ui/locks/sessiontablemodel.h"
#include "ui/main/connectioncontroller.h"

#include "core/logging/log.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSplitter>
#include <QStackedLayout>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        SignalConsent defaultConfirm(QWidget *parent, const BackendSession &s, BackendSignal signal, bool production)
        {
            const bool cancel = signal == BackendSignal::Cancel;
            const QString what = cancel ? u"Cancel the running query of"_s : u"Terminate the session"_s;
            const QString text =
                u"%1 pid %2?\n\nUser: %3\nApplication: %4\nDatabase: %5\nState: %6\n\nQuery:\n%7"_s.arg(what).arg(s.pid).arg(
                    s.user, s.application, s.database, s.state, lockstyle::oneLine(s.query, 600));
            if (production)
            {
                bool ok = false;
                const QString typed = QInputDialog::getText(parent, u"Production: confirm by typing the pid"_s,
                                                            text + u"\n\nThis is PRODUCTION. Type the pid %1 to confirm:"_s.arg(s.pid),
                                                            QLineEdit::Normal, {}, &ok);
                return SignalConsent(ok, typed.trimmed()); // the operation checks it is the pid
            }
            return QMessageBox::warning(parent, cancel ? u"Cancel query"_s : u"Terminate session"_s, text,
                                        QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
                   == QMessageBox::Yes;
        }
    }

    LocksView::LocksView(LockMonitor *monitor, ConnectionController *connection, QWidget *parent)
        : QWidget(parent)
        , m_monitor(monitor)
        , m_connection(connection)
        , m_run(new ViewJobs(&monitor->jobManager(), this))
        , m_settings(LockSettings::load())
        , m_confirmer(&defaultConfirm)
        , m_treeModel(new BlockingTreeModel(this))
        , m_sessionModel(new SessionTableModel(this))
        , m_filterModel(new SessionFilterModel(m_sessionModel, this))
        , m_migrationModel(new MigrationLockModel(this))
        , m_timer(new QTimer(this))
    {
        m_treeModel->setSettings(m_settings);
        m_sessionModel->setSettings(m_settings);
        buildUi();
        connect(m_monitor, &LockMonitor::snapshotReady, this, &LocksView::onSnapshot);
        connect(m_monitor, &LockMonitor::refreshFailed, this, &LocksView::onRefreshFailed);
        connect(m_timer, &QTimer::timeout, this, &LocksView::onTick);
        if (m_connection)
        {
            connect(m_connection, &ConnectionController::targetChanged, this, &LocksView::onConnectionChanged);
            onConnectionChanged();
        }
        else
            clearTarget(u"Not connected."_s);
        setRefreshSeconds(m_settings.refreshSeconds);
    }

    LocksView::~LocksView() = default;

    void LocksView::buildUi()
    {
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(6, 6, 6, 6);
        buildToolBar(layout);
        buildStatusRows(layout);

        // The blocking tree takes the whole width of the view (its Query column included); the
        // sessions table sits below it, beside the selected session's details.
        auto *vertical = new QSplitter(Qt::Vertical, this);
        vertical->addWidget(buildChainsPanel(vertical));
        auto *bottom = new QSplitter(Qt::Horizontal, vertical);
        bottom->addWidget(buildSessionsPanel(bottom));
        bottom->addWidget(buildDetailPanel(bottom));
        bottom->setStretchFactor(0, 3);
        bottom->setStretchFactor(1, 1);
        bottom->setSizes({700, 300});
        vertical->addWidget(bottom);
        vertical->addWidget(buildMigrationsPanel(vertical));
        vertical->setStretchFactor(0, 3);
        vertical->setStretchFactor(1, 4);
        vertical->setStretchFactor(2, 0); // the migration-lock panel is mostly empty: its rows, no more
        vertical->setSizes({300, 400, 70});
        layout->addWidget(vertical, 1);
        connectSelection();
        updateActions();
    }

    void LocksView::buildToolBar(QVBoxLayout *layout)
    {
        auto *bar = new QToolBar(this);
        bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
        auto *refresh = bar->addAction(u"Refresh"_s, this, &LocksView::refreshNow);
        // F5 is the window's View > Refresh (it calls refresh()): a second F5 made it ambiguous.
        refresh->setToolTip(u"Refresh now (F5)"_s);
        m_pause = new QToolButton(bar);
        m_pause->setText(u"Pause"_s);
        m_pause->setCheckable(true);
        connect(m_pause, &QToolButton::toggled, this, [this](bool paused) {
            m_pause->setText(paused ? u"Resume"_s : u"Pause"_s);
            if (paused)
                m_timer->stop();
            else if (m_settings.refreshSeconds > 0)
                m_timer->start(m_settings.refreshSeconds * 1000);
        });
        bar->addWidget(m_pause);
        m_interval = new QComboBox(bar);
        for (int s : LockSettings::refreshChoices())
            m_interval->addItem(u"every %1 s"_s.arg(s), s);
        m_interval->setToolTip(u"Auto-refresh interval"_s);
        connect(m_interval, &QComboBox::activated, this, [this](int i) { setRefreshSeconds(m_interval->itemData(i).toInt()); });
        bar->addWidget(m_interval);
        bar->addSeparator();
        m_cancelAction = bar->addAction(u"Cancel query…"_s, this, &LocksView::cancelSelected);
        m_terminateAction = bar->addAction(u"Terminate session…"_s, this, &LocksView::terminateSelected);
        m_copyQueryAction = bar->addAction(u"Copy query"_s, this, &LocksView::copySelectedQuery);
        m_copySessionAction = bar->addAction(u"Copy session"_s, this, &LocksView::copySelectedSession);
        m_copySessionAction->setToolTip(u"Copy the session as text, for an incident ticket"_s);
        layout->addWidget(bar);
    }

    void LocksView::buildStatusRows(QVBoxLayout *layout)
    {
        auto *statusRow = new QHBoxLayout;
        m_counts = new QLabel(this);
        m_counts->setTextFormat(Qt::RichText);
        m_counts->setWordWrap(true); // never a minimum width that widens the window
        m_status = new QLabel(this);
        m_status->setStyleSheet(u"color: palette(mid);"_s);
        m_status->setWordWrap(true);
        statusRow->addWidget(m_counts, 1);
        statusRow->addWidget(m_status);
        layout->addLayout(statusRow);
        m_action = new QLabel(this);
        m_action->setVisible(false);
        m_action->setWordWrap(true);
        layout->addWidget(m_action);
    }

    QWidget *LocksView::buildChainsPanel(QWidget *parent)
    {
        auto *chains = new QGroupBox(u"Blocking chains"_s, parent);
        auto *chainsStack = new QStackedLayout(chains);
        m_tree = new QTreeView(chains);
        m_tree->setModel(m_treeModel);
        m_tree->setAlternatingRowColors(false);
        m_tree->setUniformRowHeights(true);
        m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
        m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
        // What identifies a row and says how bad it is (pid, state, wait, mode) is sized to its
        // content and never clipped; the query takes what is left.
        QHeaderView *header = m_tree->header();
        header->setStretchLastSection(true);
        header->setSectionResizeMode(QHeaderView::Interactive);
        for (int c : {BlockingTreeModel::Pid, BlockingTreeModel::State, BlockingTreeModel::Wait, BlockingTreeModel::Mode})
            header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
        m_tree->setColumnWidth(BlockingTreeModel::User, 80);
        m_tree->setColumnWidth(BlockingTreeModel::Application, 100);
        m_tree->setColumnWidth(BlockingTreeModel::Target, 140);
        m_emptyTree = new QLabel(u"No blocking: no session waits on a lock another holds."_s, chains);
        m_emptyTree->setAlignment(Qt::AlignCenter);
        m_emptyTree->setStyleSheet(u"color: palette(mid);"_s);
        chainsStack->addWidget(m_tree);
        chainsStack->addWidget(m_emptyTree);
        // Chains open fully (the point is to see who waits on whom), except what the user collapsed:
        // expansion is kept by pid (restoreExpansion), not by row.
        connect(m_tree, &QTreeView::collapsed, this, [this](const QModelIndex &index) {
            if (m_syncDepth == 0)
                m_collapsed.insert(index.data(BlockingTreeModel::PidRole).toInt());
        });
        connect(m_tree, &QTreeView::expanded, this, [this](const QModelIndex &index) {
            if (m_syncDepth == 0)
                m_collapsed.remove(index.data(BlockingTreeModel::PidRole).toInt());
        });
        return chains;
    }

    QWidget *LocksView::buildSessionsPanel(QWidget *parent)
    {
        auto *sessionsBox = new QGroupBox(u"Sessions"_s, parent);
        auto *sessionsLayout = new QVBoxLayout(sessionsBox);
        auto *filterRow = new QHBoxLayout;
        m_filterText = new QLineEdit(sessionsBox);
        m_filterText->setPlaceholderText(u"Filter: pid, user, database, application, client, query"_s);
        m_filterText->setClearButtonEnabled(true);
        m_category = new QComboBox(sessionsBox);
        m_category->addItem(u"All sessions"_s, int(SessionFilter::Category::All));
        m_category->addItem(u"Client backends"_s, int(SessionFilter::Category::ClientBackends));
        m_category->addItem(u"Active"_s, int(SessionFilter::Category::Active));
        m_category->addItem(u"Idle in transaction"_s, int(SessionFilter::Category::IdleInTransaction));
        m_category->addItem(u"Waiting on a lock"_s, int(SessionFilter::Category::Waiting));
        m_category->addItem(u"In a blocking chain"_s, int(SessionFilter::Category::Blocking));
        m_category->setCurrentIndex(1); // client backends: background processes are noise here
        filterRow->addWidget(m_filterText, 1);
        filterRow->addWidget(m_category);
        sessionsLayout->addLayout(filterRow);
        connect(m_filterModel, &SessionFilterModel::filterAboutToChange, this, &LocksView::beginSync);
        connect(m_filterModel, &SessionFilterModel::filterChanged, this, [this] {
            endSync();
            updateCounts();
        });
        connect(m_filterText, &QLineEdit::textChanged, this, &LocksView::updateFilter);
        connect(m_category, &QComboBox::currentIndexChanged, this, &LocksView::updateFilter);
        updateFilter();
        m_sessions = new QTableView(sessionsBox);
        m_sessions->setModel(m_filterModel);
        m_sessions->setSortingEnabled(true);
        m_sessions->sortByColumn(SessionTableModel::Pid, Qt::AscendingOrder);
        m_sessions->setSelectionBehavior(QAbstractItemView::SelectRows);
        m_sessions->setSelectionMode(QAbstractItemView::SingleSelection);
        m_sessions->setContextMenuPolicy(Qt::CustomContextMenu);
        m_sessions->verticalHeader()->hide();
        m_sessions->verticalHeader()->setDefaultSectionSize(m_sessions->fontMetrics().height() + 8);
        m_sessions->horizontalHeader()->setStretchLastSection(true);
        m_sessions->setWordWrap(false);
        m_sessions->setColumnWidth(SessionTableModel::Pid, m_sessions->fontMetrics().horizontalAdvance(u"0000000"_s) + 16);
        m_sessions->setColumnWidth(SessionTableModel::User, 80);
        m_sessions->setColumnWidth(SessionTableModel::Database, 80);
        m_sessions->setColumnWidth(SessionTableModel::Application, 100);
        m_sessions->setColumnWidth(SessionTableModel::Client, 90);
        m_sessions->setColumnWidth(SessionTableModel::State, 190);
        m_sessions->setColumnWidth(SessionTableModel::WaitEvent, 130);
        m_sessions->setColumnWidth(SessionTableModel::Waiting, 75);
        m_sessions->setColumnWidth(SessionTableModel::Locks, 55);
        m_sessions->setColumnWidth(SessionTableModel::TransactionAge, 85);
        sessionsLayout->addWidget(m_sessions);
        return sessionsBox;
    }

    QWidget *LocksView::buildDetailPanel(QWidget *parent)
    {
        auto *box = new QGroupBox(u"Selected session"_s, parent);
        auto *layout = new QVBoxLayout(box);
        m_detail = new QTextBrowser(box);
        m_detail->setOpenLinks(false);
        m_detail->setPlaceholderText(u"Select a session in the blocking chains or the sessions table to see its details."_s);
        m_detail->setMinimumWidth(160);
        layout->addWidget(m_detail);
        return box;
    }

    void LocksView::updateDetail()
    {
        const BackendSession *s = selectedSession();
        if (!s)
        {
            m_detail->clear();
            return;
        }
        const LockSnapshot &snap = m_sessionModel->snapshot();
        const QDateTime &now = snap.capturedAt;
        const auto when = [&](const QDateTime &t) -> QString {
            if (!t.isValid())
                return u"—"_s;
            const QString age = lockstyle::duration(t.msecsTo(now));
            return t.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) + (age.isEmpty() ? QString() : u" (%1 ago)"_s.arg(age));
        };
        const auto pids = [](const QList<int> &list) -> QString {
            if (list.isEmpty())
                return u"—"_s;
            QStringList out;
            for (int p : list)
                out << QString::number(p);
            return out.join(u", "_s);
        };
        QList<int> blocking;
        for (const BackendSession &other : snap.sessions)
            if (other.blockedBy.contains(s->pid))
                blocking << other.pid;
        const auto age = [&](const QDateTime &t) { return t.isValid() ? lockstyle::duration(t.msecsTo(now)) : QString(); };
        const auto orDash = [](const QString &v) { return v.isEmpty() ? u"—"_s : v; };
        QList<std::pair<QString, QString>> rows{
            {u"PID"_s, QString::number(s->pid)},
            {u"User"_s, orDash(s->user)},
            {u"Database"_s, orDash(s->database)},
            {u"Application"_s, orDash(s->application)},
            {u"Client address"_s, orDash(s->clientAddress)},
            {u"State"_s, orDash(lockstyle::stateText(*s))},
            {u"Wait event"_s, s->waitEventType.isEmpty() ? u"—"_s : s->waitEventType + u" / "_s + s->waitEvent},
            {u"Lock wait"_s, orDash(lockstyle::duration(s->waitMs(now)))},
            {u"Blocked by"_s, pids(s->blockedBy)},
            {u"Blocking"_s, pids(blocking)},
            {u"Transaction age"_s, orDash(age(s->transactionStart))},
            {u"Query age"_s, orDash(age(s->queryStart))},
            {u"Transaction start"_s, when(s->transactionStart)},
            {u"Query start"_s, when(s->queryStart)},
            {u"Backend start"_s, when(s->backendStart)},
            {u"Locks"_s, QString::number(s->lockCount)},
        };
        QString html = u"<table cellspacing='0' cellpadding='1'>"_s;
        for (const auto &[name, value] : rows)
            html += u"<tr><td style='color:palette(mid); padding-right:8px'>%1</td><td>%2</td></tr>"_s.arg(name, value.toHtmlEscaped());
        html += u"</table><p style='margin-top:6px; margin-bottom:2px'><b>Query</b></p><pre style='white-space:pre-wrap'>%1</pre>"_s.arg(
            s->query.isEmpty() ? u"—"_s : s->query.toHtmlEscaped());
        m_detail->setHtml(html);
    }

    QString LocksView::detailText() const
    {
        return m_detail->toPlainText();
    }

    QWidget *LocksView::buildMigrationsPanel(QWidget *parent)
    {
        auto *migrationsBox = new QGroupBox(u"Migration locks"_s, parent);
        auto *migrationsLayout = new QVBoxLayout(migrationsBox);
        m_migrations = new QTableView(migrationsBox);
        m_migrations->setModel(m_migrationModel);
        m_migrations->verticalHeader()->hide();
        m_migrations->horizontalHeader()->setStretchLastSection(true);
        m_migrations->setSelectionBehavior(QAbstractItemView::SelectRows);
        m_migrations->setColumnWidth(MigrationLockModel::Lock, 300);
        m_migrations->setColumnWidth(MigrationLockModel::Holder, 220);
        m_migrations->setColumnWidth(MigrationLockModel::Since, 170);
        m_migrations->setMinimumHeight(60);
        migrationsLayout->addWidget(m_migrations);
        return migrationsBox;
    }

    void LocksView::connectSelection()
    {
        // Only the user moves the selection: while a model changes (a refresh, a filter), Qt moves
        // the current index off removed rows onto a neighbour, which is another session; those
        // moves are ignored and the selection is put back by pid afterwards (restoreSelection).
        const auto track = [this](QAbstractItemView *view, int role) {
            connect(view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this, role](const QModelIndex &current) {
                if (m_syncDepth == 0 && current.isValid())
                    selectPid(current.data(role).toInt());
            });
        };
        track(m_tree, BlockingTreeModel::PidRole);
        track(m_sessions, SessionTableModel::PidRole);
        track(m_migrations, MigrationLockModel::HolderPidRole);
        const auto menu = [this](QAbstractItemView *view, const QPoint &pos) {
            if (!view->indexAt(pos).isValid())
                return;
            QMenu m(this);
            m.addAction(m_cancelAction);
            m.addAction(m_terminateAction);
            m.addSeparator();
            m.addAction(m_copyQueryAction);
            m.addAction(m_copySessionAction);
            m.exec(view->viewport()->mapToGlobal(pos));
        };
        connect(m_tree, &QWidget::customContextMenuRequested, this, [this, menu](const QPoint &p) { menu(m_tree, p); });
        connect(m_sessions, &QWidget::customContextMenuRequested, this, [this, menu](const QPoint &p) { menu(m_sessions, p); });
    }

    void LocksView::onConnectionChanged()
    {
        if (!m_connection)
            return;
        if (!m_connection->isConnected())
        {
            clearTarget(u"Not connected."_s);
            return;
        }
        if (m_connection->isSqlite())
        {
            clearTarget(u"The lock monitor watches PostgreSQL servers; this profile is a SQLite file."_s);
            m_targetName = m_connection->profile().name; // bound to it, and says why it shows nothing
            return;
        }
        setTarget(m_connection->profile(), m_connection->sessionPassword());
    }

    void LocksView::setTarget(const ConnectionProfile &profile, const QString &password)
    {
        // Another server: its pids are other sessions. Nothing of the last one stays on screen
        // or selected until its own first snapshot arrives.
        clearTarget(u"Connecting to %1…"_s.arg(profile.name));
        m_targetName = profile.name;
        m_monitor->setTarget(profile, password);
        refreshNow();
    }

    void LocksView::clearTarget(const QString &why)
    {
        m_run->retarget();
        m_targetName.clear();
        m_monitor->clearTarget();
        m_selectedPid = 0;
        m_collapsed.clear();
        const LockSnapshot empty;
        beginSync();
        m_treeModel->update(empty);
        m_sessionModel->update(empty);
        m_migrationModel->update(empty);
        endSync();
        m_counts->clear();
        m_status->setText(why);
        if (auto *stack = qobject_cast<QStackedLayout *>(m_emptyTree->parentWidget()->layout()))
            stack->setCurrentWidget(m_emptyTree);
        updateActions();
    }

    void LocksView::refreshNow()
    {
        m_monitor->refreshRequested();
    }

    void LocksView::setRefreshSeconds(int seconds)
    {
        m_settings.refreshSeconds = seconds;
        m_settings.save();
        const int i = m_interval->findData(seconds);
        if (i >= 0)
            m_interval->setCurrentIndex(i);
        if (seconds <= 0)
        {
            m_pause->setChecked(true);
            return;
        }
        if (!m_pause->isChecked())
            m_timer->start(seconds * 1000);
    }

    void LocksView::onTick()
    {
        if (!m_monitor->hasTarget())
            return;
        if (m_monitor->isRefreshing())
        {
            // A slow server delays the snapshot, never the view: say so and keep the last one.
            m_status->setText(
                u"Waiting for the server: the refresh has taken %1…"_s.arg(lockstyle::duration(m_monitor->refreshRunningMs())));
            return;
        }
        m_monitor->refresh();
    }

    void LocksView::onSnapshot(const LockSnapshot &s)
    {
        beginSync();
        m_treeModel->update(s);
        m_sessionModel->update(s);
        m_migrationModel->update(s);
        restoreExpansion();
        endSync();
        if (auto *stack = qobject_cast<QStackedLayout *>(m_emptyTree->parentWidget()->layout()))
            stack->setCurrentWidget(s.tree.isEmpty() ? static_cast<QWidget *>(m_emptyTree) : m_tree);
        updateCounts();
        m_status->setText(u"Updated %1 · %2 ms · %3 lock rows, %4 folded"_s.arg(s.capturedAt.toLocalTime().toString(u"HH:mm:ss"_s))
                              .arg(s.elapsedMs)
                              .arg(s.lockRows)
                              .arg(s.foldedRows()));
        updateActions();
        emit snapshotShown();
    }

    void LocksView::updateCounts()
    {
        const LockSnapshot &s = m_sessionModel->snapshot();
        if (!s.capturedAt.isValid())
        {
            m_counts->clear();
            return;
        }
        // Says what the table shows, and what its filter hides: never "5 sessions" over an empty table.
        const qsizetype total = s.sessions.size();
        const int shown = m_filterModel->rowCount();
        QString counts;
        if (shown == total)
            counts = u"<b>%1</b> sessions"_s.arg(total);
        else
        {
            const SessionFilter &f = m_filterModel->filter();
            QStringList filter;
            if (f.category != SessionFilter::Category::All)
                filter << m_category->itemText(m_category->findData(int(f.category))).toHtmlEscaped();
            if (!f.text.isEmpty())
                filter << u"“%1”"_s.arg(f.text.toHtmlEscaped());
            counts = u"<b>%1</b> of <b>%2</b> sessions shown (filter: %3)"_s.arg(shown).arg(total).arg(filter.join(u", "_s));
        }
        const LockSnapshot::StateCounts c = s.stateCounts();
        counts += u" &nbsp;·&nbsp; <b>%1</b> active &nbsp;·&nbsp; <b>%2</b> idle in transaction"_s.arg(c.active).arg(c.idleInTransaction);
        if (c.idleInTransactionHoldingLocks)
            counts += u" <span style='color:#8a4fbf'>(%1 holding locks)</span>"_s.arg(c.idleInTransactionHoldingLocks);
        counts += u" &nbsp;·&nbsp; "_s + (c.waiting ? u"<b style='color:#b3261e'>%1 waiting</b>"_s.arg(c.waiting) : u"<b>0</b> waiting"_s);
        if (!s.tree.cycles.isEmpty())
            counts += u" &nbsp;·&nbsp; <b style='color:#b3261e'>%1 wait cycle(s): deadlock in the making</b>"_s.arg(s.tree.cycles.size());
        m_counts->setText(counts);
    }

    QString LocksView::countsText() const
    {
        return m_counts->text();
    }

    void LocksView::beginSync()
    {
        ++m_syncDepth;
    }

    void LocksView::endSync()
    {
        if (--m_syncDepth == 0)
            restoreSelection();
    }

    void LocksView::selectPid(int pid)
    {
        m_selectedPid = pid;
        restoreSelection();
    }

    void LocksView::restoreSelection()
    {
        if (!m_tree || !m_sessions || !m_migrations)
            return; // still being built
        ++m_syncDepth;
        const bool alive = m_selectedPid && m_sessionModel->snapshot().session(m_selectedPid);
        const QModelIndex inTree = alive ? m_treeModel->indexOfPid(m_selectedPid) : QModelIndex();
        const int row = alive ? m_sessionModel->rowOfPid(m_selectedPid) : -1;
        const QModelIndex inTable = row >= 0 ? m_filterModel->mapFromSource(m_sessionModel->index(row, 0)) : QModelIndex();
        QModelIndex inMigrations = m_migrations->selectionModel()->currentIndex();
        if (!alive || inMigrations.data(MigrationLockModel::HolderPidRole).toInt() != m_selectedPid)
            inMigrations = {};
        // The session ended, or no view shows it any more: nothing is selected, nothing can be signalled.
        if (!inTree.isValid() && !inTable.isValid() && !inMigrations.isValid())
            m_selectedPid = 0;
        const auto show = [](QAbstractItemView *view, const QModelIndex &index) {
            QItemSelectionModel *sm = view->selectionModel();
            if (!index.isValid())
            {
                sm->clearSelection();
                sm->clearCurrentIndex();
                return;
            }
            const QModelIndex current = sm->currentIndex();
            if (current.row() != index.row() || current.parent() != index.parent() || !sm->isRowSelected(index.row(), index.parent()))
                sm->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        };
        show(m_tree, inTree);
        show(m_sessions, inTable);
        show(m_migrations, inMigrations);
        --m_syncDepth;
        updateActions();
        updateDetail();
    }

    void LocksView::restoreExpansion()
    {
        const BlockingTree &tree = m_treeModel->snapshot().tree;
        for (auto it = m_collapsed.begin(); it != m_collapsed.end();)
            it = tree.node(*it) ? std::next(it) : m_collapsed.erase(it); // an ended session's choice goes with it
        const std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
            for (int r = 0; r < m_treeModel->rowCount(parent); ++r)
            {
                const QModelIndex i = m_treeModel->index(r, 0, parent);
                if (m_treeModel->rowCount(i) == 0)
                    continue;
                const bool open = !m_collapsed.contains(i.data(BlockingTreeModel::PidRole).toInt());
                if (m_tree->isExpanded(i) != open)
                    m_tree->setExpanded(i, open);
                walk(i);
            }
        };
        walk({});
    }

    void LocksView::onRefreshFailed(const Error &error)
    {
        m_status->setText(u"Refresh failed: "_s + error.message);
    }

    void LocksView::updateFilter()
    {
        m_filterModel->setFilter({SessionFilter::Category(m_category->currentData().toInt()), m_filterText->text().trimmed()});
    }

    const BackendSession *LocksView::selectedSession() const
    {
        return m_selectedPid ? m_sessionModel->snapshot().session(m_selectedPid) : nullptr;
    }

    int LocksView::selectedPid() const
    {
        return selectedSession() ? m_selectedPid : 0;
    }

    void LocksView::updateActions()
    {
        const bool has = selectedSession() != nullptr;
        for (QAction *a : {m_cancelAction, m_terminateAction, m_copyQueryAction, m_copySessionAction})
            a->setEnabled(has);
    }

    void LocksView::signalSelected(BackendSignal signal)
    {
        const BackendSession *s = selectedSession();
        if (!s)
            return;
        const BackendSession session = *s; // the confirmation runs an event loop; refreshes may replace the snapshot
        const int pid = session.pid;
        const QString verb = signal == BackendSignal::Cancel ? u"Cancel request"_s : u"Terminate request"_s;
        const QString profileName = m_monitor->profile().name;
        // Every outcome where nothing reached the backend is an error, said with its reason.
        const auto notSent = [this, pid, profileName, verb](const QString &reason) {
            spdlog::error("{} for pid {} on '{}' not sent: {}", verb, pid, profileName, reason);
            setActionText(u"Nothing was sent to pid %1: %2"_s.arg(pid).arg(reason), true);
        };
        const SignalConsent consent = m_confirmer(this, session, signal, m_monitor->profile().isProduction());
        if (!consent.given)
        {
            notSent(u"not confirmed."_s);
            emit signalFinished(false, lastActionText());
            return;
        }
        const ops::Target target{m_monitor->profile(), m_monitor->password(), m_monitor->store(), m_monitor->profiles()};
        const ops::Confirmation confirmation{consent.typed};
        JobHandlers<SignalResult> handlers;
        handlers.succeeded = [this, verb, pid, profileName](const SignalResult &) {
            spdlog::info("{} sent to pid {} on '{}'", verb, pid, profileName);
            setActionText(u"%1 sent to pid %2."_s.arg(verb).arg(pid), false);
            emit signalFinished(true, lastActionText());
        };
        handlers.failed = [this, session, notSent](const Error &e, const std::optional<SignalResult> &result) {
            const int pid = session.pid;
            QString reason;
            if (result && !result->sent)
                reason =
                    !session.backendType.isEmpty() && session.backendType != u"client backend"_s
                        ? u"no such backend: the server refused, pid %1 is its %2 process, not a client backend."_s.arg(pid).arg(
                            session.backendType)
                        : u"no such backend: the server refused, pid %1 is not a PostgreSQL backend process (it may have just ended)."_s
                              .arg(pid);
            else if (e.code == ErrorCode::NotFound)
                reason = u"it is already gone (no server process with pid %1 any more)."_s.arg(pid);
            else if (e.sqlstate == u"42501"_s)
                reason = u"not permitted: %1%2"_s.arg(e.message, e.detail.isEmpty() ? QString() : u" "_s + e.detail);
            else if (e.code == ErrorCode::Cancelled)
                reason = u"cancelled before it was sent."_s;
            else // a refused confirmation (the typed pid is not the pid) says so; its hint names a CLI flag
                reason = e.message + (e.detail.isEmpty() ? QString() : u" "_s + e.detail);
            notSent(reason);
            emit signalFinished(false, lastActionText());
        };
        handlers.finished = [this] { refreshNow(); };
        const auto *job = m_run->start<SignalResult>(
            u"%1 backend %2 on %3"_s.arg(toString(signal)).arg(pid).arg(target.profile.name),
            [target, pid, signal, confirmation](JobContext &jc) { return ops::signalBackend(target, pid, signal, confirmation, jc); },
            std::move(handlers));
        if (job)
            setActionText(u"Sending %1 to pid %2…"_s.arg(toString(signal)).arg(pid), false);
        else
        {
            notSent(u"%1 is still running."_s.arg(m_run->busyTitle()));
            emit signalFinished(false, lastActionText());
        }
    }

    void LocksView::cancelSelected()
    {
        signalSelected(BackendSignal::Cancel);
    }

    void LocksView::terminateSelected()
    {
        signalSelected(BackendSignal::Terminate);
    }

    void LocksView::copySelectedQuery()
    {
        if (const BackendSession *s = selectedSession())
            QApplication::clipboard()->setText(s->query);
    }

    void LocksView::copySelectedSession()
    {
        const BackendSession *s = selectedSession();
        if (!s)
            return;
        const LockSnapshot &snap = m_sessionModel->snapshot();
        QString text = u"Server: %1 (%2), captured %3 UTC\n"_s.arg(m_monitor->profile().name, m_monitor->profile().targetDescription(),
                                                                   snap.capturedAt.toUTC().toString(Qt::ISODate));
        text += s->toText(snap.capturedAt);
        for (const HeldLock &l : snap.locksOf(s->pid))
            text += u"\n  %1 %2 on %3%4"_s.arg(l.granted ? u"holds"_s : u"WAITS FOR"_s, l.mode, l.target(),
                                               l.count > 1 ? u" (%1 rows)"_s.arg(l.count) : QString());
        QApplication::clipboard()->setText(text);
    }

    void LocksView::setActionText(const QString &text, bool error)
    {
        m_actionIsError = error;
        m_action->setText(text);
        m_action->setStyleSheet(error ? u"color: #b3261e; font-weight: bold;"_s : u"color: #1b5e20;"_s);
        m_action->setVisible(!text.isEmpty());
    }

    QString LocksView::statusText() const
    {
        return m_status->text();
    }

    QString LocksView::lastActionText() const
    {
        return m_action->text();
    }
}
