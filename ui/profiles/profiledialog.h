#pragma once

#include "core/db/profile.h"
#include "core/error.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace dbops
{
    class JobManager;
    class ProfileStore;
    class ViewJobs;
    struct ProbeResult;

    /// Creates or edits a connection profile. "Test connection" runs as a job; Save validates the
    /// form at once and stores the profile in a job, and the dialog is accepted when that job has
    /// stored it (never the password: the caller hands password() to the keychain in a job when
    /// savePassword is set). Every job starts through ViewJobs; the GUI thread never calls the store.
    class ProfileDialog final : public QDialog
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(ProfileDialog)

    public:
        enum class Mode
        {
            Fields,
            ConnectionString,
            Service,
            Sqlite
        };

        ProfileDialog(ConnectionProfile profile, ProfileStore *store, JobManager *jobs, QWidget *parent = nullptr);
        ~ProfileDialog() override;

        /// The profile as stored by Save.
        ConnectionProfile savedProfile() const { return m_saved; }
        /// The password typed (or pasted in a URI); empty when none.
        QString password() const;
        bool passwordChanged() const;

        /// The form as a profile; BadInput (with libpq's message) for a malformed connection string.
        Expected<ConnectionProfile> formProfile(QString *password = nullptr) const;
        /// Fills the connection fields from a libpq URI / keyword string / sqlite:PATH. On a
        /// malformed text, shows libpq's error inline and returns false.
        bool fillFromUrl(const QString &url);
        void testConnection();
        Mode mode() const;

        QString testResultText() const;
        QString errorText() const;

        /// The runner of the dialog's save job (tests wait on it).
        ViewJobs *saveJobs() const { return m_saveJobs; }

    public slots:
        /// Validates, then saves in a job; accepted once the profile is stored.
        void accept() override;
        /// Refused while the save runs (its result arrives shortly).
        void reject() override;

    private:
        QWidget *buildImportRow();
        QWidget *buildGeneral();
        QWidget *buildConnection();
        QWidget *buildFieldsPage();
        QWidget *buildPassword();
        QWidget *buildTest();
        QWidget *filePicker(QLineEdit *edit, const QString &title, bool directory);
        void fitToContents();
        void loadProfile(const ConnectionProfile &profile);
        void setConnectionFields(const ConnectionProfile &profile);
        void setMode(Mode mode);
        void showError(QLabel *label, const QString &text);
        void updateEnvironmentStrip();
        void startTest(const QString &password);
        void showTestResult(const ProbeResult &result);
        void showTestFailure(const Error &error, const ConnectionProfile &profile);
        /// The server wants a (different) password: said inline, the Password field focused.
        void showPasswordNeeded(const QString &reason);

        ConnectionProfile m_original;
        ConnectionProfile m_saved;
        ProfileStore *m_store;
        JobManager *m_jobs;
        ViewJobs *m_saveJobs;
        ViewJobs *m_testJobs; ///< retargeted by each test: an earlier test's reply is dropped

        QFrame *m_strip = nullptr;
        QLineEdit *m_url = nullptr;
        QPushButton *m_fromEnv = nullptr;
        QLabel *m_urlError = nullptr;
        QLineEdit *m_name = nullptr;
        QComboBox *m_environment = nullptr;
        QLabel *m_productionNote = nullptr;
        QLineEdit *m_project = nullptr;
        QLineEdit *m_migrations = nullptr;
        QComboBox *m_mode = nullptr;
        QStackedWidget *m_pages = nullptr;
        QLabel *m_managedNote = nullptr;
        QLineEdit *m_host = nullptr;
        QSpinBox *m_port = nullptr;
        QLineEdit *m_database = nullptr;
        QLineEdit *m_user = nullptr;
        QComboBox *m_sslMode = nullptr;
        QLineEdit *m_sslRootCert = nullptr;
        QLineEdit *m_sslCert = nullptr;
        QLineEdit *m_sslKey = nullptr;
        QLineEdit *m_conninfo = nullptr;
        QLineEdit *m_service = nullptr;
        QLineEdit *m_sqlitePath = nullptr;
        QCheckBox *m_savePassword = nullptr;
        QLineEdit *m_password = nullptr;
        QLabel *m_keychainNote = nullptr;
        QPushButton *m_test = nullptr;
        QLabel *m_testResult = nullptr;
        QLabel *m_error = nullptr;
    };
}
