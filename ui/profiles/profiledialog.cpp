#include "ui/profiles/profiledialog.h"

#include "core/db/secretstore.h"
#include "core/jobs/jobmanager.h"
#include "core/sandbox/localsandbox.h"
#include "core/store/profilestore.h"
#include "ui/jobs/viewjobs.h"
#include "ui/profiles/profilejobs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFileDialog>
#include <QFormLayout>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QIcon swatch(Environment env)
        {
            QPixmap pixmap(12, 12);
            pixmap.fill(Qt::transparent);
            QPainter painter(&pixmap);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setPen(Qt::NoPen);
            painter.setBrush(QColor(environmentColor(env)));
            painter.drawRoundedRect(QRectF(1, 1, 10, 10), 2, 2);
            return QIcon(pixmap);
        }

        QLabel *hint(const QString &text, QWidget *parent)
        {
            auto *label = new QLabel(text, parent);
            label->setWordWrap(false);
            label->setForegroundRole(QPalette::PlaceholderText);
            return label;
        }

        QFormLayout *denseForm(QWidget *owner)
        {
            auto *form = new QFormLayout(owner);
            form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
            form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
            form->setHorizontalSpacing(10);
            form->setVerticalSpacing(6);
            return form;
        }
    }

    ProfileDialog::ProfileDialog(ConnectionProfile profile, ProfileStore *store, JobManager *jobs, QWidget *parent)
        : QDialog(parent)
        , m_original(std::move(profile))
        , m_store(store)
        , m_jobs(jobs)
        , m_saveJobs(new ViewJobs(jobs, this))
        , m_testJobs(new ViewJobs(jobs, this))
    {
        setObjectName(u"profileDialog"_s);
        setWindowTitle(m_original.id == 0 ? u"New connection profile"_s : u"Edit profile — %1"_s.arg(m_original.name));

        m_strip = new QFrame(this);
        m_strip->setFixedHeight(5);
        m_error = new QLabel(this);
        m_error->setObjectName(u"profileError"_s);
        m_error->setWordWrap(true);
        m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_error->hide();

        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
        connect(buttons, &QDialogButtonBox::accepted, this, &ProfileDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, this, &ProfileDialog::reject);

        auto *body = new QVBoxLayout;
        body->setContentsMargins(14, 10, 14, 12);
        body->setSpacing(10);
        body->addWidget(buildImportRow());
        body->addWidget(buildGeneral());
        body->addWidget(buildConnection());
        body->addWidget(buildPassword());
        body->addWidget(buildTest());
        body->addWidget(m_error);
        body->addStretch(1);
        body->addWidget(buttons);

        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(0);
        layout->addWidget(m_strip);
        layout->addLayout(body);

        loadProfile(m_original);
        m_url->setMinimumWidth(420);
        fitToContents();
    }

    ProfileDialog::~ProfileDialog() = default;

    void ProfileDialog::fitToContents()
    {
        // The window never gets smaller than its rows need; word-wrapped notes are sized for
        // the dialog's usual width so the layout does not have to guess their height.
        // No height-for-width labels in the steady state (notes carry their own line breaks),
        // so the layout's minimum is exact and the window grows when a result or error shows.
        layout()->setSizeConstraint(QLayout::SetMinimumSize);
        adjustSize();
    }

    QWidget *ProfileDialog::buildImportRow()
    {
        auto *box = new QWidget(this);
        m_url = new QLineEdit(box);
        m_url->setObjectName(u"pasteUrl"_s);
        m_url->setPlaceholderText(u"Paste a postgresql:// URI or keyword string to fill the form"_s);
        m_url->setClearButtonEnabled(true);
        auto *fill = new QPushButton(u"Fill"_s, box);
        fill->setObjectName(u"fillFromUrl"_s);
        m_fromEnv = new QPushButton(u"Import DATABASE_URL"_s, box);
        m_fromEnv->setObjectName(u"importDatabaseUrl"_s);
        const bool hasEnv = !qEnvironmentVariable("DATABASE_URL").isEmpty();
        m_fromEnv->setEnabled(hasEnv);
        m_fromEnv->setToolTip(hasEnv ? u"Fill the form from $DATABASE_URL (its password goes to the password field only)"_s
                                     : u"DATABASE_URL is not set in dbops's environment"_s);
        m_urlError = new QLabel(box);
        m_urlError->setObjectName(u"urlError"_s);
        m_urlError->setWordWrap(true);
        m_urlError->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_urlError->hide();

        auto *row = new QHBoxLayout;
        row->setContentsMargins(0, 0, 0, 0);
        row->addWidget(m_url, 1);
        row->addWidget(fill);
        row->addWidget(m_fromEnv);
        auto *layout = new QVBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(4);
        layout->addLayout(row);
        layout->addWidget(m_urlError);

        connect(fill, &QPushButton::clicked, this, [this] { fillFromUrl(m_url->text()); });
        connect(m_url, &QLineEdit::returnPressed, this, [this] { fillFromUrl(m_url->text()); });
        connect(m_url, &QLineEdit::textChanged, m_urlError, &QLabel::hide);
        connect(m_fromEnv, &QPushButton::clicked, this, [this] { fillFromUrl(qEnvironmentVariable("DATABASE_URL")); });
        return box;
    }

    QWidget *ProfileDialog::buildGeneral()
    {
        auto *box = new QGroupBox(u"Profile"_s, this);
        auto *form = denseForm(box);
        m_name = new QLineEdit(box);
        m_name->setObjectName(u"profileName"_s);
        m_name->setPlaceholderText(u"e.g. billing-prod"_s);
        m_environment = new QComboBox(box);
        m_environment->setObjectName(u"profileEnvironment"_s);
        for (Environment env : {Environment::Development, Environment::Staging, Environment::Production, Environment::Other})
            m_environment->addItem(swatch(env), toString(env), int(env));
        m_productionNote = new QLabel(u"<b>Production:</b> a red banner while connected; every change asks for confirmation."_s, box);
        m_productionNote->setStyleSheet(u"color: #b71c1c;"_s);
        m_project = new QLineEdit(box);
        m_project->setPlaceholderText(u"groups the environments of one application (optional)"_s);
        m_migrations = new QLineEdit(box);
        m_migrations->setObjectName(u"migrationsDir"_s);
        m_migrations->setPlaceholderText(u"folder of .sql migration files (optional)"_s);

        auto *envRow = new QHBoxLayout;
        envRow->addWidget(m_environment);
        envRow->addStretch(1);
        form->addRow(u"Name:"_s, m_name);
        form->addRow(u"Environment:"_s, envRow);
        form->addRow(QString(), m_productionNote);
        form->addRow(u"Project:"_s, m_project);
        form->addRow(u"Migrations:"_s, filePicker(m_migrations, u"Migrations folder"_s, true));
        connect(m_environment, &QComboBox::currentIndexChanged, this, &ProfileDialog::updateEnvironmentStrip);
        return box;
    }

    QWidget *ProfileDialog::filePicker(QLineEdit *edit, const QString &title, bool directory)
    {
        auto *row = new QWidget(this);
        auto *layout = new QHBoxLayout(row);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(4);
        auto *browse = new QToolButton(row);
        browse->setText(u"Browse…"_s);
        layout->addWidget(edit, 1);
        layout->addWidget(browse);
        connect(browse, &QToolButton::clicked, this, [this, edit, title, directory] {
            const QString chosen = directory ? QFileDialog::getExistingDirectory(this, title, edit->text())
                                             : QFileDialog::getOpenFileName(this, title, edit->text());
            if (!chosen.isEmpty())
                edit->setText(chosen);
        });
        return row;
    }

    QWidget *ProfileDialog::buildFieldsPage()
    {
        auto *page = new QWidget(this);
        auto *form = denseForm(page);
        form->setContentsMargins(0, 0, 0, 0);
        m_host = new QLineEdit(page);
        m_host->setObjectName(u"host"_s);
        m_host->setPlaceholderText(u"db.example.com, an IP, or a Unix socket folder"_s);
        m_port = new QSpinBox(page);
        m_port->setObjectName(u"port"_s);
        m_port->setRange(0, 65535);
        m_port->setSpecialValueText(u"default (5432)"_s);
        m_port->setMinimumWidth(140);
        m_database = new QLineEdit(page);
        m_database->setObjectName(u"database"_s);
        m_user = new QLineEdit(page);
        m_user->setObjectName(u"user"_s);
        m_sslMode = new QComboBox(page);
        m_sslMode->setObjectName(u"sslMode"_s);
        m_sslMode->addItem(u"default (prefer)"_s, QString());
        for (const QString &mode : {u"disable"_s, u"allow"_s, u"prefer"_s, u"require"_s, u"verify-ca"_s, u"verify-full"_s})
            m_sslMode->addItem(mode, mode);
        m_sslRootCert = new QLineEdit(page);
        m_sslRootCert->setPlaceholderText(u"CA certificate (verify-ca, verify-full)"_s);
        m_sslCert = new QLineEdit(page);
        m_sslCert->setPlaceholderText(u"client certificate (optional)"_s);
        m_sslKey = new QLineEdit(page);
        m_sslKey->setPlaceholderText(u"client private key (optional)"_s);

        auto *hostRow = new QHBoxLayout;
        hostRow->addWidget(m_host, 1);
        hostRow->addWidget(new QLabel(u"Port:"_s, page));
        hostRow->addWidget(m_port);
        auto *dbRow = new QHBoxLayout;
        dbRow->addWidget(m_database, 1);
        dbRow->addWidget(new QLabel(u"User:"_s, page));
        dbRow->addWidget(m_user, 1);
        form->addRow(u"Host:"_s, hostRow);
        form->addRow(u"Database:"_s, dbRow);
        form->addRow(u"SSL mode:"_s, m_sslMode);
        form->addRow(u"Root cert:"_s, filePicker(m_sslRootCert, u"SSL root certificate"_s, false));
        form->addRow(u"Client cert:"_s, filePicker(m_sslCert, u"SSL client certificate"_s, false));
        form->addRow(u"Client key:"_s, filePicker(m_sslKey, u"SSL client key"_s, false));
        return page;
    }

    QWidget *ProfileDialog::buildConnection()
    {
        auto *box = new QGroupBox(u"Connection"_s, this);
        auto *layout = new QVBoxLayout(box);
        layout->setSpacing(6);
        m_mode = new QComboBox(box);
        m_mode->setObjectName(u"connectionMode"_s);
        m_mode->addItem(u"Host, port and database"_s, int(Mode::Fields));
        m_mode->addItem(u"libpq URI or keyword string"_s, int(Mode::ConnectionString));
        m_mode->addItem(u"Service from pg_service.conf"_s, int(Mode::Service));
        m_mode->addItem(u"SQLite file"_s, int(Mode::Sqlite));
        m_managedNote = hint(u"Managed by dbops: the embedded local PostgreSQL in %1,\nstarted on demand. "
                             u"Its host and port are filled in when it starts."_s.arg(LocalSandbox::dataDir()),
                             box);

        m_pages = new QStackedWidget(box);
        m_pages->addWidget(buildFieldsPage());

        auto *uriPage = new QWidget(box);
        auto *uriForm = denseForm(uriPage);
        uriForm->setContentsMargins(0, 0, 0, 0);
        m_conninfo = new QLineEdit(uriPage);
        m_conninfo->setObjectName(u"conninfo"_s);
        m_conninfo->setPlaceholderText(u"postgresql://user@host:5432/db?sslmode=require  or  host=… dbname=…"_s);
        uriForm->addRow(u"Connection:"_s, m_conninfo);
        // No word wrap inside the stacked pages: QStackedLayout sizes by height-for-width pages only.
        auto *uriHint = hint(u"A password in the text moves to the password field, never into the profile."_s, uriPage);
        uriHint->setWordWrap(false);
        uriForm->addRow(QString(), uriHint);
        m_pages->addWidget(uriPage);

        auto *servicePage = new QWidget(box);
        auto *serviceForm = denseForm(servicePage);
        serviceForm->setContentsMargins(0, 0, 0, 0);
        m_service = new QLineEdit(servicePage);
        m_service->setObjectName(u"service"_s);
        serviceForm->addRow(u"Service:"_s, m_service);
        auto *serviceHint = hint(u"Defined in ~/.pg_service.conf, $PGSERVICEFILE or the system pg_service.conf."_s, servicePage);
        serviceHint->setWordWrap(false);
        serviceForm->addRow(QString(), serviceHint);
        m_pages->addWidget(servicePage);

        auto *sqlitePage = new QWidget(box);
        auto *sqliteForm = denseForm(sqlitePage);
        sqliteForm->setContentsMargins(0, 0, 0, 0);
        m_sqlitePath = new QLineEdit(sqlitePage);
        m_sqlitePath->setObjectName(u"sqlitePath"_s);
        sqliteForm->addRow(u"File:"_s, filePicker(m_sqlitePath, u"SQLite database"_s, false));
        m_pages->addWidget(sqlitePage);

        auto *modeRow = new QFormLayout;
        modeRow->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
        modeRow->addRow(u"Connect with:"_s, m_mode);
        layout->addLayout(modeRow);
        layout->addWidget(m_managedNote);
        layout->addWidget(m_pages);
        connect(m_mode, &QComboBox::currentIndexChanged, this, [this] { m_pages->setCurrentIndex(m_mode->currentIndex()); });
        return box;
    }

    QWidget *ProfileDialog::buildPassword()
    {
        auto *box = new QGroupBox(u"Password"_s, this);
        auto *form = denseForm(box);
        m_savePassword = new QCheckBox(u"Save the password in the OS keychain"_s, box);
        m_savePassword->setObjectName(u"savePassword"_s);
        m_password = new QLineEdit(box);
        m_password->setObjectName(u"password"_s);
        m_password->setEchoMode(QLineEdit::Password);
        m_keychainNote = hint(QString(), box);
        m_keychainNote->setObjectName(u"keychainNote"_s);
        form->addRow(QString(), m_savePassword);
        form->addRow(u"Password:"_s, m_password);
        form->addRow(QString(), m_keychainNote);

        if (SecretStore::isAvailable())
        {
            m_keychainNote->setText(u"Stored only in the OS keychain, never in dbops's files. Leave it unticked to\n"
                                    u"use ~/.pgpass, or to be asked when connecting."_s);
        }
        else
        {
            m_savePassword->setChecked(false);
            m_savePassword->setEnabled(false);
            m_keychainNote->setText(u"No OS keychain is available here (no Secret Service on the session bus), and dbops\n"
                                    u"never writes passwords to its own files. Use ~/.pgpass (libpq reads it), or leave\n"
                                    u"the password empty and dbops asks when connecting."_s);
            m_keychainNote->setStyleSheet(u"color: #9a6700;"_s);
        }
        connect(m_savePassword, &QCheckBox::toggled, this, [this] {
            if (m_savePassword->isChecked() && m_original.savePassword)
                m_password->setPlaceholderText(u"stored in the keychain — type to replace"_s);
            else
                m_password->setPlaceholderText(m_savePassword->isChecked() ? u"password to store"_s : u"used for Test connection only"_s);
        });
        return box;
    }

    QWidget *ProfileDialog::buildTest()
    {
        auto *box = new QWidget(this);
        m_test = new QPushButton(u"Test connection"_s, box);
        m_test->setObjectName(u"testConnection"_s);
        m_testResult = new QLabel(box);
        m_testResult->setObjectName(u"testResult"_s);
        m_testResult->setWordWrap(false);
        m_testResult->setTextFormat(Qt::RichText);
        m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_testResult->setMinimumHeight(m_test->sizeHint().height());
        auto *layout = new QHBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(m_test, 0, Qt::AlignTop);
        layout->addWidget(m_testResult, 1);
        connect(m_test, &QPushButton::clicked, this, &ProfileDialog::testConnection);
        return box;
    }

    void ProfileDialog::loadProfile(const ConnectionProfile &profile)
    {
        m_name->setText(profile.name);
        m_environment->setCurrentIndex(m_environment->findData(int(profile.environment)));
        m_project->setText(profile.project);
        m_migrations->setText(profile.migrationsDir);
        setConnectionFields(profile);
        m_savePassword->setChecked(profile.savePassword && SecretStore::isAvailable());
        emit m_savePassword->toggled(m_savePassword->isChecked());
        const bool managed = profile.managedSandbox;
        m_managedNote->setVisible(managed);
        m_mode->setEnabled(!managed);
        m_pages->setEnabled(!managed);
        m_url->parentWidget()->setVisible(!managed);
        updateEnvironmentStrip();
    }

    void ProfileDialog::setConnectionFields(const ConnectionProfile &p)
    {
        m_host->setText(p.host);
        m_port->setValue(p.port);
        m_database->setText(p.database);
        m_user->setText(p.user);
        m_sslMode->setCurrentIndex(qMax(0, m_sslMode->findData(p.sslMode)));
        m_sslRootCert->setText(p.sslRootCert);
        m_sslCert->setText(p.sslCert);
        m_sslKey->setText(p.sslKey);
        m_service->setText(p.service);
        m_sqlitePath->setText(p.sqlitePath);
        const auto params = p.isSqlite() ? Expected<ConnectParams>() : p.toConnectParams();
        m_conninfo->setText(params ? params->toDisplayString() : p.conninfo);
        if (p.isSqlite())
            setMode(Mode::Sqlite);
        else if (!p.conninfo.isEmpty())
            setMode(Mode::ConnectionString);
        else if (!p.service.isEmpty() && p.host.isEmpty())
            setMode(Mode::Service);
        else
            setMode(Mode::Fields);
    }

    void ProfileDialog::setMode(Mode mode)
    {
        m_mode->setCurrentIndex(m_mode->findData(int(mode)));
        m_pages->setCurrentIndex(m_mode->currentIndex());
    }

    ProfileDialog::Mode ProfileDialog::mode() const
    {
        return Mode(m_mode->currentData().toInt());
    }

    void ProfileDialog::updateEnvironmentStrip()
    {
        const auto env = Environment(m_environment->currentData().toInt());
        m_strip->setStyleSheet(u"background: %1; border: none;"_s.arg(environmentColor(env)));
        m_strip->setFixedHeight(env == Environment::Production ? 8 : 5);
        m_productionNote->setVisible(env == Environment::Production);
    }

    void ProfileDialog::showError(QLabel *label, const QString &text)
    {
        label->setText(u"<span style='color:#b71c1c'><b>%1</b></span>"_s.arg(text.toHtmlEscaped().replace(u'\n', u"<br>"_s)));
        label->setWordWrap(true);
        // A wrapped label's minimum is one line: reserve the height it needs at the usual width.
        label->setMinimumHeight(text.isEmpty() ? 0 : label->heightForWidth(qMax(label->width(), 520)));
        label->setVisible(!text.isEmpty());
        QTimer::singleShot(0, this, [this] { adjustSize(); });
    }

    QString ProfileDialog::password() const
    {
        return m_password->text();
    }

    bool ProfileDialog::passwordChanged() const
    {
        return !m_password->text().isEmpty();
    }

    QString ProfileDialog::testResultText() const
    {
        return m_testResult->text();
    }

    QString ProfileDialog::errorText() const
    {
        return m_error->isVisibleTo(this) ? m_error->text() : QString();
    }

    Expected<ConnectionProfile> ProfileDialog::formProfile(QString *password) const
    {
        ConnectionProfile p = m_original;
        p.name = m_name->text().trimmed();
        p.environment = Environment(m_environment->currentData().toInt());
        p.project = m_project->text().trimmed();
        p.migrationsDir = m_migrations->text().trimmed();
        p.savePassword = m_savePassword->isChecked();
        if (password)
            *password = m_password->text();
        if (p.managedSandbox)
            return p;

        p.kind = ConnectionProfile::Kind::Postgres;
        p.host.clear();
        p.port = 0;
        p.database.clear();
        p.user.clear();
        p.sslMode.clear();
        p.sslRootCert.clear();
        p.sslCert.clear();
        p.sslKey.clear();
        p.service.clear();
        p.conninfo.clear();
        p.sqlitePath.clear();
        switch (mode())
        {
        case Mode::Fields:
            p.host = m_host->text().trimmed();
            p.port = m_port->value();
            p.database = m_database->text().trimmed();
            p.user = m_user->text().trimmed();
            p.sslMode = m_sslMode->currentData().toString();
            p.sslRootCert = m_sslRootCert->text().trimmed();
            p.sslCert = m_sslCert->text().trimmed();
            p.sslKey = m_sslKey->text().trimmed();
            break;
        case Mode::ConnectionString: {
            QString inUrl;
            auto parsed = ConnectionProfile::fromUrl(p.name, m_conninfo->text(), &inUrl);
            if (!parsed)
                return std::unexpected(parsed.error());
            if (parsed->isSqlite())
                return fail(ErrorCode::BadInput, u"this is a SQLite path; choose \"SQLite file\" instead"_s);
            p.host = parsed->host;
            p.port = parsed->port;
            p.database = parsed->database;
            p.user = parsed->user;
            p.sslMode = parsed->sslMode;
            p.sslRootCert = parsed->sslRootCert;
            p.sslCert = parsed->sslCert;
            p.sslKey = parsed->sslKey;
            p.service = parsed->service;
            p.conninfo = parsed->conninfo;
            if (password && password->isEmpty())
                *password = inUrl;
            break;
        }
        case Mode::Service:
            p.service = m_service->text().trimmed();
            if (p.service.isEmpty())
                return fail(ErrorCode::BadInput, u"give the service name defined in pg_service.conf"_s);
            break;
        case Mode::Sqlite:
            p.kind = ConnectionProfile::Kind::Sqlite;
            p.sqlitePath = m_sqlitePath->text().trimmed();
            break;
        }
        return p;
    }

    bool ProfileDialog::fillFromUrl(const QString &url)
    {
        if (url.trimmed().isEmpty())
        {
            showError(m_urlError, u"Paste a connection string first."_s);
            return false;
        }
        QString inUrl;
        auto parsed = ConnectionProfile::fromUrl(m_name->text(), url, &inUrl);
        if (!parsed)
        {
            showError(m_urlError, u"Not a valid connection string: "_s + parsed.error().message);
            return false;
        }
        m_urlError->hide();
        setConnectionFields(*parsed);
        if (m_name->text().trimmed().isEmpty())
            m_name->setText(parsed->isSqlite() ? QFileInfo(parsed->sqlitePath).completeBaseName() : parsed->database);
        if (!inUrl.isEmpty())
        {
            m_password->setText(inUrl);
            m_urlError->setText(SecretStore::isAvailable()
                                    ? u"The URI carried a password: it was moved to the password field. Tick "
                                      u"\"Save the password\" to keep it in the keychain; the profile never stores it."_s
                                    : u"The URI carried a password: it was moved to the password field for testing. "
                                      u"With no keychain here, put it in ~/.pgpass to reuse it; the profile never stores it."_s);
            m_urlError->setStyleSheet(u"color: #9a6700;"_s);
            m_urlError->show();
        }
        m_url->clear();
        return true;
    }

    void ProfileDialog::accept()
    {
        if (m_saveJobs->isBusy())
            return;
        QString typed;
        auto p = formProfile(&typed);
        if (!p)
            return showError(m_error, p.error().message);
        if (auto valid = p->validate(); !valid)
            return showError(m_error, valid.error().message);
        JobHandlers<ConnectionProfile> handlers;
        handlers.succeeded = [this, typed](const ConnectionProfile &saved) {
            m_saved = saved;
            if (mode() == Mode::ConnectionString && m_password->text().isEmpty())
                m_password->setText(typed);
            QDialog::accept();
        };
        handlers.failed = [this](const Error &e, const std::optional<ConnectionProfile> &) { showError(m_error, e.message); };
        m_saveJobs->start<ConnectionProfile>(u"Save profile %1"_s.arg(p->name), profilejobs::save(m_store, *p), std::move(handlers));
    }

    void ProfileDialog::reject()
    {
        if (!m_saveJobs->isBusy())
            QDialog::reject();
    }

    void ProfileDialog::testConnection()
    {
        startTest(QString());
    }

    void ProfileDialog::startTest(const QString &promptedPassword)
    {
        QString typed;
        auto p = formProfile(&typed);
        if (!p)
            return showError(m_testResult, p.error().message);
        if (p->name.isEmpty())
            p->name = u"(unsaved profile)"_s;
        const QString password = promptedPassword.isEmpty() ? typed : promptedPassword;
        m_testJobs->retarget();
        m_testResult->setText(
            u"<span style='color:#6b7280'>Testing %1… (see the Jobs panel)</span>"_s.arg(p->targetDescription().toHtmlEscaped()));
        m_test->setEnabled(false);

        const ConnectionProfile profile = *p;
        JobHandlers<ProbeResult> handlers;
        handlers.succeeded = [this](const ProbeResult &r) {
            m_test->setEnabled(true);
            if (r.passwordNeeded)
                return showPasswordNeeded(u"The server asks for a password: "_s + r.passwordNeeded->message);
            showTestResult(r);
        };
        handlers.failed = [this, profile](const Error &e, const std::optional<ProbeResult> &) {
            m_test->setEnabled(true);
            if (e.isCancelled())
                return m_testResult->setText(u"Test cancelled."_s);
            showTestFailure(e, profile);
        };
        m_testJobs->start<ProbeResult>(u"Test connection: %1"_s.arg(profile.name), profilejobs::probe(m_store, profile, password),
                                       std::move(handlers), ViewJobs::Kind::Load);
    }

    void ProfileDialog::showTestResult(const ProbeResult &r)
    {
        const auto row = [](const QString &k, const QString &v) {
            return u"<tr><td style='color:#6b7280; padding-right:10px'>%1</td><td>%2</td></tr>"_s.arg(k, v);
        };
        QString html = u"<span style='color:#2e7d32'><b>✓ Connection works</b></span><table cellspacing='0' cellpadding='1'>"_s;
        if (r.sqlite)
        {
            html += row(u"Engine"_s, u"SQLite %1"_s.arg(r.sqliteVersion.toHtmlEscaped()));
            html += row(u"File"_s, r.server.target.toHtmlEscaped());
        }
        else
        {
            const ServerInfo &s = r.server;
            html += row(u"Server"_s, u"PostgreSQL %1"_s.arg(s.serverVersion.toHtmlEscaped()));
            html += row(u"Round trip"_s, u"%1 ms"_s.arg(s.latencyMs, 0, 'f', 2));
            html += row(u"SSL"_s, s.ssl ? u"yes, "_s + s.sslProtocol.toHtmlEscaped() : u"no"_s);
            html += row(u"User"_s, s.currentUser.toHtmlEscaped() + (s.superuser ? u" <b>(superuser)</b>"_s : QString()));
            html += row(u"Database"_s, s.database.toHtmlEscaped());
        }
        html += u"</table>"_s;
        m_testResult->setWordWrap(false);
        m_testResult->setText(html);
        m_testResult->setMinimumHeight(m_testResult->sizeHint().height());
        QTimer::singleShot(0, this, [this] { adjustSize(); });
    }

    void ProfileDialog::showTestFailure(const Error &e, const ConnectionProfile &profile)
    {
        Q_UNUSED(profile)
        if (e.code == ErrorCode::Auth)
            return showPasswordNeeded(u"Authentication failed: "_s + e.message);
        showError(m_testResult, e.toString());
    }

    void ProfileDialog::showPasswordNeeded(const QString &reason)
    {
        // One place to say it and to answer it: the dialog's own Password field (no second,
        // modal prompt on top of the inline error).
        showError(m_testResult, reason + u"\nType the password in the Password field and press Test connection again."_s);
        m_password->setFocus();
        m_password->selectAll();
    }
}
