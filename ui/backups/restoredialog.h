#pragma once

#include "core/backup/restoreservice.h"
#include "core/ops/operation.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QTimer;

namespace dbops
{
    class JobManager;
    class ViewJobs;

    /// Where to restore an archive: a new database (the default) on a chosen profile, or replace
    /// an existing one, which needs its name typed again. Produces a RestoreRequest (the view runs
    /// it as a job); holds no SQL (STYLE P4). With listSessionsWith(), a replace shows the other
    /// sessions connected to the database to replace (read in a job; never dbops's own, which the
    /// replace closes and reopens itself): what it would refuse over, or end when so asked.
    class RestoreDialog final : public QDialog
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(RestoreDialog)

    public:
        /// `what` describes the archive ("backup 12 of shop, 3 h ago" or a path).
        RestoreDialog(const QString &what, const QList<ConnectionProfile> &profiles, const QString &currentProfile,
                      const QString &suggestedName, QWidget *parent = nullptr);

        /// The request without archive or connection (the view fills those).
        RestoreRequest request() const;
        /// What the person typed to confirm a replace (the operation checks it, not the dialog;
        /// the dialog only keeps Restore disabled until it matches).
        ops::Confirmation confirmation() const;
        QString profileName() const;

        /// Lists the other sessions of the database to replace, through `jobs`, on the target
        /// `targetFor(profile)` returns (the view's password and store).
        void listSessionsWith(JobManager *jobs, std::function<ops::Target(const ConnectionProfile &)> targetFor);
        /// The pids last listed as other sessions (empty when none or not listed yet).
        QList<int> listedSessionPids() const { return m_sessionPids; }
        QLabel *sessionsLabel() const { return m_sessions; }
        QCheckBox *terminateCheck() const { return m_terminate; }

        QLineEdit *newNameEdit() const { return m_newName; }
        QLineEdit *replaceNameEdit() const { return m_replaceName; }
        QLineEdit *confirmEdit() const { return m_confirm; }
        QRadioButton *replaceButton() const { return m_replace; }
        QPushButton *okButton() const { return m_ok; }

    signals:
        /// The sessions list was (re)read for `database`.
        void sessionsListed(const QString &database);

    private:
        void updateState();
        void listSessions();

        QList<ConnectionProfile> m_profiles;
        QComboBox *m_profile;
        QRadioButton *m_new;
        QRadioButton *m_replace;
        QLineEdit *m_newName;
        QLineEdit *m_replaceName;
        QLineEdit *m_confirm;
        QCheckBox *m_terminate;
        QLabel *m_warning;
        QLabel *m_sessions;
        QPushButton *m_ok;
        QTimer *m_sessionsTimer;
        ViewJobs *m_jobs = nullptr;
        std::function<ops::Target(const ConnectionProfile &)> m_targetFor;
        QList<int> m_sessionPids;
    };
}
