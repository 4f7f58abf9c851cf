#include "ui/backups/restoredialog.h"

#include "core/ops/backupops.h"
#include "ui/jobs/viewjobs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    RestoreDialog::RestoreDialog(const QString &what, const QList<ConnectionProfile> &profiles, const QString &currentProfile,
                                 const QString &suggestedName, QWidget *parent)
        : QDialog(parent)
        , m_profiles(profiles)
        , m_profile(new QComboBox(this))
        , m_new(new QRadioButton(u"Restore into a new database (recommended)"_s, this))
        , m_replace(new QRadioButton(u"Replace an existing database"_s, this))
        , m_newName(new QLineEdit(suggestedName, this))
        , m_replaceName(new QLineEdit(this))
        , m_confirm(new QLineEdit(this))
        , m_terminate(new QCheckBox(u"End other sessions connected to it"_s, this))
        , m_warning(new QLabel(this))
        , m_sessions(new QLabel(this))
        , m_ok(nullptr)
        , m_sessionsTimer(new QTimer(this))
    {
        setWindowTitle(u"Restore"_s);
        auto *layout = new QVBoxLayout(this);
        auto *title = new QLabel(u"<b>Restore %1</b>"_s.arg(what.toHtmlEscaped()), this);
        title->setWordWrap(true);
        layout->addWidget(title);
        auto *form = new QFormLayout;
        for (const ConnectionProfile &p : profiles)
            if (!p.isSqlite())
                m_profile->addItem(u"%1 (%2)"_s.arg(p.name, toString(p.environment)), p.name);
        m_profile->setCurrentIndex(std::max(0, m_profile->findData(currentProfile)));
        form->addRow(u"On the server of"_s, m_profile);
        layout->addLayout(form);
        layout->addWidget(m_new);
        auto *newForm = new QFormLayout;
        newForm->addRow(u"New database"_s, m_newName);
        layout->addLayout(newForm);
        layout->addWidget(m_replace);
        auto *replaceForm = new QFormLayout;
        replaceForm->addRow(u"Database to replace"_s, m_replaceName);
        m_confirm->setPlaceholderText(u"type the database name again"_s);
        replaceForm->addRow(u"Confirm"_s, m_confirm);
        replaceForm->addRow(QString(), m_terminate);
        m_sessions->setObjectName(u"restoreSessions"_s);
        m_sessions->setWordWrap(true);
        m_sessions->setTextFormat(Qt::RichText);
        m_sessions->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_sessions->hide();
        replaceForm->addRow(QString(), m_sessions);
        layout->addLayout(replaceForm);
        m_sessionsTimer->setSingleShot(true);
        m_sessionsTimer->setInterval(300); // once typing pauses, not per key
        connect(m_sessionsTimer, &QTimer::timeout, this, &RestoreDialog::listSessions);
        m_warning->setWordWrap(true);
        layout->addWidget(m_warning);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
        m_ok = buttons->button(QDialogButtonBox::Ok);
        m_ok->setText(u"Restore"_s);
        layout->addWidget(buttons);
        connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
        m_new->setChecked(true);
        for (QLineEdit *e : {m_newName, m_replaceName, m_confirm})
            connect(e, &QLineEdit::textChanged, this, &RestoreDialog::updateState);
        connect(m_new, &QRadioButton::toggled, this, &RestoreDialog::updateState);
        connect(m_profile, &QComboBox::currentIndexChanged, this, &RestoreDialog::updateState);
        updateState();
        resize(520, sizeHint().height());
    }

    void RestoreDialog::updateState()
    {
        const bool replace = m_replace->isChecked();
        m_newName->setEnabled(!replace);
        m_replaceName->setEnabled(replace);
        m_confirm->setEnabled(replace);
        m_terminate->setEnabled(replace);
        const QString target = m_replaceName->text().trimmed();
        const bool ok =
            m_profile->count() > 0 && (replace ? !target.isEmpty() && m_confirm->text() == target : !m_newName->text().trimmed().isEmpty());
        m_ok->setEnabled(ok);
        if (m_jobs)
            m_sessionsTimer->start();
        m_warning->setText(replace ? u"<span style='color:#c62828'>A verified safety backup of <b>%1</b> is taken first; the restore goes "
                                     u"into a side database and replaces %1 only after its row counts check out. Other sessions make "
                                     u"it refuse unless you end them; dbops's own (its lock monitor) are closed for the swap and "
                                     u"reopened after.</span>"_s.arg(target.toHtmlEscaped())
                                   : u"The archive's SHA-256 and table of contents are checked before anything is created."_s);
    }

    void RestoreDialog::listSessionsWith(JobManager *jobs, std::function<ops::Target(const ConnectionProfile &)> targetFor)
    {
        if (!m_jobs)
            m_jobs = new ViewJobs(jobs, this);
        m_targetFor = std::move(targetFor);
        updateState();
    }

    void RestoreDialog::listSessions()
    {
        m_jobs->retarget(); // a list for a name typed before is dropped
        const QString database = m_replaceName->text().trimmed();
        const RestoreRequest r = request();
        if (!m_replace->isChecked() || database.isEmpty() || r.profile.name.isEmpty())
        {
            m_sessionPids.clear();
            m_sessions->hide();
            return;
        }
        m_sessions->setText(u"Looking for other sessions connected to %1…"_s.arg(database.toHtmlEscaped()));
        m_sessions->show();
        JobHandlers<QList<SessionInfo>> handlers;
        handlers.succeeded = [this, database](const QList<SessionInfo> &sessions) {
            m_sessionPids.clear();
            QStringList lines;
            for (const SessionInfo &s : sessions)
            {
                m_sessionPids << s.pid;
                lines << s.toString().toHtmlEscaped();
            }
            m_sessions->setText(
                sessions.isEmpty()
                    ? u"No other session is connected to %1. (dbops's own, such as its lock monitor, are closed for the replace and "
                      u"reopened after.)"_s.arg(database.toHtmlEscaped())
                    : u"<b>%1 other session(s) connected to %2</b>: the replace refuses unless you tick “%3”.<br>%4"_s.arg(sessions.size())
                          .arg(database.toHtmlEscaped(), m_terminate->text().toHtmlEscaped(), lines.join(u"<br>"_s)));
            emit sessionsListed(database);
        };
        handlers.failed = [this, database](const Error &e, const auto &) {
            m_sessionPids.clear();
            m_sessions->setText(u"Cannot list the sessions of %1: %2"_s.arg(database, e.toString()).toHtmlEscaped());
            emit sessionsListed(database);
        };
        const ops::Target t = m_targetFor(r.profile);
        m_jobs->start<QList<SessionInfo>>(
            u"Sessions of %1"_s.arg(database), [t, database](JobContext &jc) { return ops::restoreSessions(t, database, jc); }, handlers,
            ViewJobs::Kind::Load);
    }

    QString RestoreDialog::profileName() const
    {
        return m_profile->currentData().toString();
    }

    ops::Confirmation RestoreDialog::confirmation() const
    {
        return ops::Confirmation{m_replace->isChecked() ? m_confirm->text() : QString()};
    }

    RestoreRequest RestoreDialog::request() const
    {
        RestoreRequest r;
        for (const ConnectionProfile &p : m_profiles)
            if (p.name == profileName())
                r.profile = p;
        if (m_replace->isChecked())
        {
            r.replaceDatabase = m_replaceName->text().trimmed();
            r.confirm = m_confirm->text();
            r.terminateSessions = m_terminate->isChecked();
        }
        else
            r.newDatabase = m_newName->text().trimmed();
        return r;
    }
}
