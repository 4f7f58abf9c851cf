#include "ui/main/mainwindow.h"

#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/logging/logbuffer.h"
#include "core/paths.h"
#include "core/sandbox/localsandbox.h"
#include "core/store/profilestore.h"
#include "core/store/storewatcher.h"
#include "ui/files/migrationfilesview.h"
#include "ui/jobs/activitydock.h"
#include "ui/jobs/jobspanel.h"
#include "ui/jobs/viewjobs.h"
#include "ui/log/logpanel.h"
#include "ui/main/connectioncontroller.h"
#include "ui/main/connectionstatus.h"
#include "ui/main/consoleview.h"
#include "ui/main/environmentbanner.h"
#include "ui/profiles/passwordcache.h"
#include "ui/profiles/profileactions.h"
#include "ui/profiles/profilejobs.h"
#include "ui/profiles/profilesidebar.h"
#include "ui/profiles/profiletreemodel.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    MainWindow::MainWindow(Services services, QWidget *parent)
        : QMainWindow(parent)
        , m_services(services)
        , m_settings(std::make_unique<QSettings>(paths::appDataDir() + u"/gui.ini"_s, QSettings::IniFormat))
        , m_storeWatcher(new StoreWatcher(*services.store, this))
        , m_passwords(new PasswordCache(this))
        , m_profileJobs(new ViewJobs(services.jobs, this))
        , m_connection(new ConnectionController(*services.profiles, *services.jobs, this))
        , m_actions(new ProfileActions(*services.profiles, *services.jobs, this))
        , m_banner(new EnvironmentBanner(this))
        , m_sidebar(new ProfileSidebar(this))
        , m_views(new QTabWidget(this))
        , m_files(new MigrationFilesView(services.jobs, this))
        , m_splitter(new QSplitter(Qt::Horizontal, this))
        , m_jobsPanel(new JobsPanel(services.jobs, this))
        , m_logPanel(new LogPanel(LogBuffer::instance(), this))
        , m_activity(new ActivityDock(services.jobs, m_jobsPanel, m_logPanel, this))
        , m_status(new ConnectionStatus(this))
    {
        setObjectName(u"mainWindow"_s);
        setWindowTitle(u"dbops"_s);
        m_connection->setPasswordPrompt([this](const ConnectionProfile &p, const Error &e) { return askForPassword(this, p, e); });
        m_connection->setPasswordCache(m_passwords);
        m_actions->setPasswordCache(m_passwords);
        m_passwords->setForgetAfterMinutes(m_settings->value(u"passwords/forgetAfterMinutes"_s, 0).toInt());
        m_quitConfirm = [this](const QStringList &running) {
            QMessageBox box(this);
            box.setIcon(QMessageBox::Warning);
            box.setWindowTitle(u"Quit dbops"_s);
            box.setText(running.size() == 1 ? u"A job is still running."_s : u"%1 jobs are still running."_s.arg(running.size()));
            box.setInformativeText(u"Quitting cancels them:\n• "_s + running.join(u"\n• "_s));
            QPushButton *quit = box.addButton(u"Cancel jobs and quit"_s, QMessageBox::DestructiveRole);
            QPushButton *keep = box.addButton(u"Keep running"_s, QMessageBox::RejectRole);
            box.setDefaultButton(keep);
            box.exec();
            return box.clickedButton() == quit;
        };

        m_views->setObjectName(u"centralViews"_s);
        m_views->setDocumentMode(true);
        addView(m_files, u"Migration files"_s);

        m_sidebar->setMinimumWidth(200);
        m_splitter->setObjectName(u"mainSplitter"_s);
        m_splitter->addWidget(m_sidebar);
        m_splitter->addWidget(m_views);
        m_splitter->setStretchFactor(0, 0);
        m_splitter->setStretchFactor(1, 1);
        m_splitter->setSizes({270, 1000});
        m_splitter->setChildrenCollapsible(false);

        auto *central = new QWidget(this);
        auto *layout = new QVBoxLayout(central);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(0);
        layout->addWidget(m_banner);
        layout->addWidget(m_splitter, 1);
        setCentralWidget(central);

        // One dock, Jobs | Log, collapsed to a one-line strip: the central view gets the height.
        addDockWidget(Qt::BottomDockWidgetArea, m_activity);

        statusBar()->addPermanentWidget(m_status);
        statusBar()->setSizeGripEnabled(true);

        buildMenus();

        connect(m_sidebar, &ProfileSidebar::connectRequested, this, &MainWindow::connectProfile);
        connect(m_sidebar, &ProfileSidebar::disconnectRequested, this, [this](const QString &name) {
            if (m_connection->isConnected() && m_connection->profile().name == name)
                m_connection->disconnectProfile();
        });
        connect(m_sidebar, &ProfileSidebar::testRequested, m_actions, [this](const QString &name) { m_actions->testProfile(name); });
        connect(m_sidebar, &ProfileSidebar::editRequested, m_actions, &ProfileActions::editProfile);
        connect(m_sidebar, &ProfileSidebar::deleteRequested, m_actions, &ProfileActions::deleteProfile);
        connect(m_sidebar, &ProfileSidebar::newRequested, m_actions, &ProfileActions::newProfile);
        connect(m_actions, &ProfileActions::profilesChanged, this, &MainWindow::reloadProfiles);
        // A profile added, edited or removed by the CLI or another console shows here too.
        connect(m_storeWatcher, &StoreWatcher::changed, this, [this] { reloadProfiles(); });
        connect(m_actions, &ProfileActions::statusMessage, this, [this](const QString &text) { statusBar()->showMessage(text, 8000); });
        connect(m_connection, &ConnectionController::stateChanged, this, &MainWindow::onConnectionChanged);
        connect(m_connection, &ConnectionController::targetChanged, this, &MainWindow::onTargetChanged);

        reloadProfiles();
        onConnectionChanged();
        restoreSettings();
    }

    MainWindow::~MainWindow() = default;

    int MainWindow::addView(QWidget *view, const QString &title)
    {
        return m_views->addTab(view, title);
    }

    void MainWindow::buildMenus()
    {
        QMenu *file = menuBar()->addMenu(u"&File"_s);
        file->addAction(u"&New profile…"_s, QKeySequence::New, m_actions, &ProfileActions::newProfile);
        file->addSeparator();
        m_quit = file->addAction(u"&Quit"_s, this, &QWidget::close);
        m_quit->setObjectName(u"quitAction"_s);
        // Ctrl+Q always: QKeySequence::Quit is empty on some platform themes.
        QList<QKeySequence> quitKeys{QKeySequence(Qt::CTRL | Qt::Key_Q)};
        for (const QKeySequence &k : QKeySequence::keyBindings(QKeySequence::Quit))
            if (!quitKeys.contains(k))
                quitKeys << k;
        m_quit->setShortcuts(quitKeys);

        QMenu *connection = menuBar()->addMenu(u"&Connection"_s);
        QAction *connectAction = connection->addAction(u"&Connect"_s, QKeySequence(u"Ctrl+Return"_s), this,
                                                       [this] { connectProfile(m_sidebar->currentProfileName()); });
        connectAction->setObjectName(u"connectAction"_s);
        QAction *disconnectAction = connection->addAction(u"&Disconnect"_s, m_connection, &ConnectionController::disconnectProfile);
        disconnectAction->setObjectName(u"disconnectAction"_s);
        // Connect acts on the selected profile, unless it is the connected one (then Disconnect).
        const auto updateConnectionActions = [this, connectAction, disconnectAction] {
            const QString selected = m_sidebar->currentProfileName();
            const bool selectedIsTarget = m_connection->isConnected() && selected == m_connection->profile().name;
            connectAction->setEnabled(!selected.isEmpty() && !selectedIsTarget);
            disconnectAction->setEnabled(m_connection->isConnected());
            disconnectAction->setText(m_connection->isConnected() ? u"&Disconnect from %1"_s.arg(m_connection->profile().name)
                                                                  : u"&Disconnect"_s);
        };
        connect(connection, &QMenu::aboutToShow, this, updateConnectionActions);
        connect(m_sidebar, &ProfileSidebar::currentProfileChanged, this, updateConnectionActions);
        connect(m_connection, &ConnectionController::targetChanged, this, updateConnectionActions);
        updateConnectionActions();
        connection->addAction(u"&Test connection"_s, this, [this] {
            if (!m_sidebar->currentProfileName().isEmpty())
                m_actions->testProfile(m_sidebar->currentProfileName());
        });
        connection->addSeparator();
        connection->addAction(u"&Edit profile…"_s, this, [this] {
            if (!m_sidebar->currentProfileName().isEmpty())
                m_actions->editProfile(m_sidebar->currentProfileName());
        });
        connection->addAction(u"De&lete profile…"_s, this, [this] {
            if (!m_sidebar->currentProfileName().isEmpty())
                m_actions->deleteProfile(m_sidebar->currentProfileName());
        });

        connection->addSeparator();
        QAction *forget = connection->addAction(u"&Forget typed passwords after…"_s, this, &MainWindow::chooseForgetPasswordsAfter);
        forget->setObjectName(u"forgetPasswordsAfterAction"_s);
        connection->addAction(u"Forget typed passwords &now"_s, this, [this] {
            m_passwords->clear();
            statusBar()->showMessage(u"Typed passwords forgotten"_s, 8000);
        });

        QMenu *view = menuBar()->addMenu(u"&View"_s);
        QAction *refresh = view->addAction(u"&Refresh"_s, QKeySequence::Refresh, this, &MainWindow::refreshCurrentView);
        refresh->setShortcutContext(Qt::WindowShortcut);
        // F5 on every platform theme (QKeySequence::Refresh can be Ctrl+R only, or empty).
        if (!refresh->shortcuts().contains(QKeySequence(Qt::Key_F5)))
            refresh->setShortcuts(refresh->shortcuts() << QKeySequence(Qt::Key_F5));
        view->addSeparator();
        view->addAction(m_activity->toggleAction());

        QMenu *help = menuBar()->addMenu(u"&Help"_s);
        help->addAction(u"&About dbops"_s, this, [this] {
            QMessageBox::about(this, u"About dbops"_s,
                               u"<b>dbops %1</b><p>An operations console for PostgreSQL: profiles per environment, "
                               u"migrations, locks, verified backups.</p><p>Data folder: %2</p>"_s.arg(
                                   QApplication::applicationVersion(), paths::appDataDir().toHtmlEscaped()));
        });
    }

    void MainWindow::reloadProfiles(const QString &select)
    {
        m_profileJobs->retarget(); // the latest reload wins
        JobHandlers<QList<ConnectionProfile>> handlers;
        handlers.succeeded = [this, select](const QList<ConnectionProfile> &profiles) { showProfiles(profiles, select); };
        handlers.failed = [](const Error &e, const std::optional<QList<ConnectionProfile>> &) {
            spdlog::error("cannot list profiles: {}", e.toString());
        };
        m_profileJobs->start<QList<ConnectionProfile>>(u"List profiles"_s, profilejobs::list(m_services.profiles), std::move(handlers),
                                                       ViewJobs::Kind::Load);
    }

    void MainWindow::showProfiles(const QList<ConnectionProfile> &profiles, const QString &select)
    {
        m_sidebar->setProfiles(profiles);
        if (!select.isEmpty())
            m_sidebar->selectProfile(select);
        // An edit of the connected profile (or the sandbox's port, filled in when it started)
        // shows at once in the banner.
        if (m_connection->isConnected())
            showConnected();
        emit profilesLoaded();
    }

    void MainWindow::startSession()
    {
        m_profileJobs->retarget();
        JobHandlers<SessionProfiles> handlers;
        handlers.succeeded = [this](const SessionProfiles &session) {
            if (session.defaultProfileError)
                spdlog::error("cannot create the local sandbox profile: {}", session.defaultProfileError->toString());
            showProfiles(session.profiles, {});
            resumeSession();
        };
        handlers.failed = [](const Error &e, const std::optional<SessionProfiles> &) {
            spdlog::error("cannot list profiles: {}", e.toString());
        };
        m_profileJobs->start<SessionProfiles>(u"Load profiles"_s, profilejobs::startSession(m_services.profiles), std::move(handlers),
                                              ViewJobs::Kind::Load);
    }

    void MainWindow::resumeSession()
    {
        QString name = m_settings->value(u"session/lastProfile"_s).toString();
        if (!m_sidebar->model()->profile(name))
            name = LocalSandbox::profileName();
        const ConnectionProfile *profile = m_sidebar->model()->profile(name);
        if (!profile)
            return;
        m_sidebar->selectProfile(name);
        // Only the local sandbox connects by itself: anything else waits for the DBA's click.
        if (profile->managedSandbox)
            connectProfile(name);
    }

    void MainWindow::connectProfile(const QString &name)
    {
        if (const ConnectionProfile *shown = m_sidebar->model()->profile(name))
            return connectLoaded(*shown);
        JobHandlers<ConnectionProfile> handlers;
        handlers.succeeded = [this](const ConnectionProfile &p) { connectLoaded(p); };
        handlers.failed = [this](const Error &e, const std::optional<ConnectionProfile> &) {
            QMessageBox::warning(this, u"Connect"_s, e.toString());
        };
        m_profileJobs->start<ConnectionProfile>(u"Read profile %1"_s.arg(name), profilejobs::get(m_services.profiles, name),
                                                std::move(handlers), ViewJobs::Kind::Load);
    }

    void MainWindow::connectLoaded(const ConnectionProfile &profile)
    {
        m_sidebar->selectProfile(profile.name);
        m_settings->setValue(u"session/lastProfile"_s, profile.name);
        m_connection->connectProfile(profile);
    }

    void MainWindow::showConnected()
    {
        const ConnectionController &c = *m_connection;
        // The sidebar's copy is the stored one (the sandbox's host and port are filled in when it
        // starts, and the list is reloaded then).
        const ConnectionProfile *stored = m_sidebar->model()->profile(c.profile().name);
        // The banner names what the console is connected to: the target. Only the managed
        // sandbox's stored copy is shown instead (the same server, its port filled in); an edit of
        // the connected profile takes effect at the next connect, and the banner says so.
        const ConnectionProfile shown = stored && c.profile().managedSandbox ? *stored : c.profile();
        const bool edited = stored && !c.profile().managedSandbox
                            && (stored->targetDescription() != shown.targetDescription() || stored->environment != shown.environment);
        const QString editedNote = edited ? u" — <b>profile edited:</b> disconnect and connect again to use the changes"_s : QString();
        const QString version = c.isSqlite() ? u"SQLite %1"_s.arg(c.sqliteVersion()) : u"PostgreSQL %1"_s.arg(c.server().serverVersion);
        // Several hosts in the profile (h1:5433,h2:5434): say which one this console is bound to.
        const QString answered = c.server().severalHosts ? u" · answered by %1"_s.arg(c.server().answeredBy.toHtmlEscaped()) : QString();
        m_banner->showProfile(shown, u"connected · %1%2%3%4"_s.arg(version, answered, attemptNote(), editedNote));
        m_sidebar->setConnectedProfile(shown.name);
        setWindowTitle(u"dbops — %1 [%2]"_s.arg(shown.name, toString(shown.environment)));
    }

    QString MainWindow::attemptNote() const
    {
        // What happened to an attempt while the target stayed: said next to the target, never
        // in the attempt's colours.
        const ConnectionController &c = *m_connection;
        const QString other = c.attemptProfile().name.toHtmlEscaped();
        const QString stays = u"this console stays on %1"_s.arg(c.profile().name.toHtmlEscaped());
        if (c.state() == ConnectionController::State::Connecting && c.isConnected())
            return u" — <b>connecting to %1…</b> (%2 until it succeeds)"_s.arg(other, stays);
        if (!c.attemptFailedKeepingTarget())
            return {};
        if (c.lastError().isCancelled())
            return u" — <b>connect to %1 cancelled</b>; %2"_s.arg(other, stays);
        return u" — <b>connect to %1 failed:</b> %2; %3"_s.arg(other, c.lastError().message.toHtmlEscaped(), stays);
    }

    void MainWindow::onConnectionChanged()
    {
        using State = ConnectionController::State;
        const ConnectionController &c = *m_connection;
        m_status->update(c);
        if (c.isConnected())
            return showConnected();
        // Nothing is connected: once an attempt has ended the banner names no environment (its
        // colours are the target's only), and the attempt is said in words.
        m_sidebar->setConnectedProfile({});
        setWindowTitle(u"dbops"_s);
        const QString name = c.attemptProfile().name.toHtmlEscaped();
        switch (c.state())
        {
        case State::Disconnected:
            m_banner->showDisconnected(c.lastError().isCancelled() ? u"Connect to %1 cancelled — not connected."_s.arg(name) : QString());
            break;
        case State::Connecting:
            // Nothing else is bound: the environment being connected to shows at once (production
            // in red before the first byte is exchanged).
            m_banner->showProfile(c.attemptProfile(), c.attemptProfile().managedSandbox ? u"starting and connecting…"_s : u"connecting…"_s);
            break;
        case State::Failed:
            m_banner->showDisconnected(
                u"<b>%1: connection failed:</b> %2 — not connected."_s.arg(name, c.lastError().message.toHtmlEscaped()));
            break;
        case State::Connected:
            break;
        }
    }

    void MainWindow::onTargetChanged()
    {
        const ConnectionController &c = *m_connection;
        if (c.isConnected() && c.profile().managedSandbox)
            reloadProfiles(); // its host and port were filled in as it started
        // The files tab shows the connected target's folder, like every other view.
        m_files->setFolder(c.profile().migrationsDir, c.profile().name);
        onConnectionChanged();
    }

    void MainWindow::refreshCurrentView()
    {
        if (auto *view = dynamic_cast<ConsoleView *>(m_views->currentWidget()))
            view->refresh();
    }

    QList<ConsoleView *> MainWindow::consoleViews() const
    {
        QList<ConsoleView *> views;
        for (int i = 0; i < m_views->count(); ++i)
            if (auto *view = dynamic_cast<ConsoleView *>(m_views->widget(i)))
                views << view;
        return views;
    }

    void MainWindow::restoreSettings()
    {
        const QByteArray geometry = m_settings->value(u"window/geometry"_s).toByteArray();
        if (geometry.isEmpty() || !restoreGeometry(geometry))
            resize(1360, 860);
        fitToScreen();
        restoreState(m_settings->value(u"window/state"_s).toByteArray());
        m_activity->restoreFrom(*m_settings);
        const QByteArray splitter = m_settings->value(u"window/splitter"_s).toByteArray();
        if (!splitter.isEmpty())
            m_splitter->restoreState(splitter);
    }

    void MainWindow::fitToScreen()
    {
        // A geometry saved on a larger monitor (or the default on a small one) never asks for
        // more than this screen has.
        const QScreen *screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
        if (!screen)
            return;
        const QRect available = screen->availableGeometry();
        const QSize fitted = size().boundedTo(available.size());
        if (fitted != size())
            resize(fitted);
        if (!available.contains(frameGeometry().topLeft()))
            move(available.topLeft());
    }

    void MainWindow::saveSettings()
    {
        m_settings->setValue(u"window/geometry"_s, saveGeometry());
        m_settings->setValue(u"window/state"_s, saveState());
        m_activity->saveTo(*m_settings);
        m_settings->setValue(u"window/splitter"_s, m_splitter->saveState());
        const QString current = m_sidebar->currentProfileName();
        if (!current.isEmpty())
            m_settings->setValue(u"session/lastProfile"_s, current);
        m_settings->sync();
    }

    void MainWindow::setForgetPasswordsAfter(int minutes)
    {
        m_passwords->setForgetAfterMinutes(minutes);
        m_settings->setValue(u"passwords/forgetAfterMinutes"_s, m_passwords->forgetAfterMinutes());
        m_settings->sync();
    }

    void MainWindow::chooseForgetPasswordsAfter()
    {
        bool ok = false;
        const int minutes = QInputDialog::getInt(this, u"Forget typed passwords"_s,
                                                 u"Passwords typed in this session are kept in memory only (never written anywhere)\n"
                                                 u"until you disconnect that profile or quit.\n\n"
                                                 u"Also forget each one after this many minutes (0: never):"_s,
                                                 m_passwords->forgetAfterMinutes(), 0, 24 * 60, 1, &ok);
        if (ok)
            setForgetPasswordsAfter(minutes);
    }

    void MainWindow::setQuitConfirm(QuitConfirm confirm)
    {
        m_quitConfirm = std::move(confirm);
    }

    void MainWindow::closeEvent(QCloseEvent *event)
    {
        QStringList running;
        for (const JobRecord &r : m_services.jobs->records())
            if (r.state == JobState::Queued || r.state == JobState::Running)
                running << r.title;
        if (!running.isEmpty())
        {
            // Quitting cancels them: asked first, "keep running" is the default.
            if (!m_quitConfirm || !m_quitConfirm(running))
            {
                event->ignore();
                return;
            }
            spdlog::info("quitting: cancelling {} running job(s)", running.size());
            m_services.jobs->cancelAll();
        }
        saveSettings();
        m_passwords->clear(); // never kept past the session
        event->accept();
    }
}
