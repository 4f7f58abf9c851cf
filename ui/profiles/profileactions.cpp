#include "ui/profiles/profileactions.h"

#include "core/db/secretstore.h"
#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/store/profilestore.h"
#include "ui/profiles/profiledialog.h"
#include "ui/profiles/profilejobs.h"

#include <QMessageBox>
#include <QPushButton>
#include <QWidget>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    ProfileActions::ProfileActions(ProfileStore &profiles, JobManager &jobs, QWidget *dialogParent)
        : QObject(dialogParent)
        , m_profiles(profiles)
        , m_jobs(jobs)
        , m_parent(dialogParent)
    {
        m_prompt = [this](const ConnectionProfile &p, const Error &e) { return askForPassword(m_parent, p, e); };
        m_confirm = [this](const ConnectionProfile &p) {
            QMessageBox box(m_parent);
            box.setIcon(QMessageBox::Warning);
            box.setWindowTitle(u"Delete profile"_s);
            box.setText(p.isProduction() ? u"Delete the <b style='color:#c62828'>PRODUCTION</b> profile <b>%1</b>?"_s.arg(p.name.toHtmlEscaped())
                                         : u"Delete the profile <b>%1</b>?"_s.arg(p.name.toHtmlEscaped()));
            box.setInformativeText(u"%1\n\nThe database itself is not touched.%2"_s.arg(
                p.targetDescription(), p.savePassword ? u" Its password is removed from the OS keychain."_s : QString()));
            QPushButton *remove = box.addButton(u"Delete profile"_s, QMessageBox::DestructiveRole);
            box.addButton(QMessageBox::Cancel);
            box.setDefaultButton(QMessageBox::Cancel);
            box.exec();
            return box.clickedButton() == remove;
        };
    }

    void ProfileActions::setConfirm(Confirm confirm)
    {
        m_confirm = std::move(confirm);
    }

    void ProfileActions::setPasswordPrompt(PasswordPrompt prompt)
    {
        m_prompt = std::move(prompt);
    }

    void ProfileActions::showError(const QString &title, const Error &error)
    {
        QMessageBox::critical(m_parent, title, error.toString());
    }

    void ProfileActions::newProfile()
    {
        ConnectionProfile blank;
        blank.environment = Environment::Development;
        ProfileDialog dialog(blank, &m_profiles, &m_jobs, m_parent);
        if (dialog.exec() != QDialog::Accepted)
            return;
        const ConnectionProfile saved = dialog.savedProfile();
        spdlog::info("profile '{}' created ({}, {})", saved.name, toString(saved.environment), saved.targetDescription());
        storePassword(blank, saved, dialog.password());
        emit profilesChanged(saved.name);
    }

    void ProfileActions::editProfile(const QString &name)
    {
        auto before = m_profiles.get(name);
        if (!before)
            return showError(u"Edit profile"_s, before.error());
        ProfileDialog dialog(*before, &m_profiles, &m_jobs, m_parent);
        if (dialog.exec() != QDialog::Accepted)
            return;
        const ConnectionProfile saved = dialog.savedProfile();
        spdlog::info("profile '{}' saved ({}, {})", saved.name, toString(saved.environment), saved.targetDescription());
        storePassword(*before, saved, dialog.password());
        emit profilesChanged(saved.name);
    }

    void ProfileActions::storePassword(const ConnectionProfile &before, const ConnectionProfile &after, const QString &password)
    {
        if (!SecretStore::isAvailable())
            return;
        const bool renamed = before.id != 0 && before.name != after.name;
        if (after.savePassword && !password.isEmpty())
        {
            m_jobs.start(u"Save password for %1 in the keychain"_s.arg(after.name), profilejobs::writePassword(after.secretKey(), password));
            if (renamed && before.savePassword)
                m_jobs.start(u"Remove old keychain entry of %1"_s.arg(before.name), profilejobs::deletePassword(before.secretKey()));
        }
        else if (after.savePassword && renamed && before.savePassword)
            m_jobs.start(u"Move keychain entry %1 → %2"_s.arg(before.name, after.name), profilejobs::movePassword(before.secretKey(), after.secretKey()));
        else if (!after.savePassword && before.savePassword)
            m_jobs.start(u"Remove password of %1 from the keychain"_s.arg(before.name), profilejobs::deletePassword(before.secretKey()));
    }

    void ProfileActions::deleteProfile(const QString &name)
    {
        auto profile = m_profiles.get(name);
        if (!profile)
            return showError(u"Delete profile"_s, profile.error());
        if (!m_confirm(*profile))
            return;
        if (auto removed = m_profiles.remove(name); !removed)
            return showError(u"Delete profile"_s, removed.error());
        spdlog::info("profile '{}' deleted", name);
        if (profile->savePassword && SecretStore::isAvailable())
            m_jobs.start(u"Remove password of %1 from the keychain"_s.arg(name), profilejobs::deletePassword(profile->secretKey()));
        emit statusMessage(u"Profile %1 deleted"_s.arg(name));
        emit profilesChanged(QString());
    }

    void ProfileActions::testProfile(const QString &name, const QString &password)
    {
        auto profile = m_profiles.get(name);
        if (!profile)
            return showError(u"Test connection"_s, profile.error());
        const ConnectionProfile p = *profile;
        auto *job = new Job(u"Test connection: %1"_s.arg(p.name), profilejobs::probe(&m_profiles, p, password));
        connect(job, &Job::succeeded, this, [this, p](const QVariant &v) {
            const auto r = v.value<ProbeResult>();
            const QString summary = r.sqlite ? u"SQLite %1 — %2"_s.arg(r.sqliteVersion, r.server.target) : r.server.toText();
            emit statusMessage(u"%1: %2"_s.arg(p.name, summary));
            emit testFinished(p.name, true, summary);
            QMessageBox::information(m_parent, u"Test connection — %1"_s.arg(p.name), u"✓ The connection works.\n\n"_s + summary);
        });
        connect(job, &Job::failed, this, [this, p](const Error &e) {
            if (e.code == ErrorCode::Auth)
            {
                if (auto password = m_prompt(p, e))
                    return testProfile(p.name, *password);
            }
            emit statusMessage(u"%1: %2"_s.arg(p.name, e.message));
            emit testFinished(p.name, false, e.message);
            QMessageBox::warning(m_parent, u"Test connection — %1"_s.arg(p.name), e.toString());
        });
        m_jobs.start(job);
    }
}
