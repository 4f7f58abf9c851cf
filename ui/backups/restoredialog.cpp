#include "ui/backups/restoredialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
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
        , m_ok(nullptr)
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
        layout->addLayout(replaceForm);
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
        m_warning->setText(replace ? u"<span style='color:#c62828'>A verified safety backup of <b>%1</b> is taken first; the restore goes "
                                     u"into a side database and replaces %1 only after its row counts check out. Other sessions make "
                                     u"it refuse unless you end them.</span>"_s.arg(target.toHtmlEscaped())
                                   : u"The archive's SHA-256 and table of contents are checked before anything is created."_s);
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
