#include "ui/profiles/profileactions.h"

#include "core/db/secretstore.h"
#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/store/profilestore.h"
#include "ui/jobs/viewjobs.h"
#include "ui/profiles/passwordcache.h"
#include "ui/profiles/profiledialog.h"
#include "ui/profiles/profilejobs.h"

#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QWidget>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    ProfileActions::ProfileActions(ProfileStore &profiles, JobManager &jobs, QWidget *dialogParent)
        : QObject(dialogParent)
        , m_profiles(profiles)
        , m_jobs(jobs)
        , m_viewJobs(new ViewJobs(&jobs, this))
        , m_parent(dialogParent)
    {
        m_prompt = [this](const ConnectionProfile &p, const Error &e) { return askForPassword(m_parent, p, e); };
        m_confirm = [this](const ConnectionProfile &p) {
            QMessageBox box(m_parent);
            box.setIcon(QMessageBox::Warning);
            box.setWindowTitle(u"Delete profile"_s);
            box.setText(p.isProduction()
                            ? u"Delete the <b style='color:#c62828'>PRODUCTION</b> profile <b>%1</b>?"_s.arg(p.name.toHtmlEscaped())
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

    void ProfileActions::setPasswordCache(PasswordCache *cache)
    {
        m_cache = cache;
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

    void ProfileActions::withProfile(const QString &name, const QString &action, std::function<void(const ConnectionProfile &)> then)
    {
        JobHandlers<ConnectionProfile> handlers;
        handlers.succeeded = [this, then = std::move(then)](const ConnectionProfile &p) {
            QTimer::singleShot(0, this, [then, p] { then(p); });
        };
        handlers.failed = [this, action](const Error &e, const std::optional<ConnectionProfile> &) { showError(action, e); };
        m_viewJobs->start<ConnectionProfile>(u"Read profile %1"_s.arg(name), profilejobs::get(&m_profiles, name), std::move(handlers),
                                             ViewJobs::Kind::Load);
    }

    void ProfileActions::editProfile(const QString &name)
    {
        withProfile(name, u"Edit profile"_s, [this](const ConnectionProfile &before) { openEditor(before); });
    }

    void ProfileActions::openEditor(const ConnectionProfile &before)
    {
        ProfileDialog dialog(before, &m_profiles, &m_jobs, m_parent);
        if (dialog.exec() != QDialog::Accepted)
            return;
        const ConnectionProfile saved = dialog.savedProfile();
        spdlog::info("profile '{}' saved ({}, {})", saved.name, toString(saved.environment), saved.targetDescription());
        storePassword(before, saved, dialog.password());
        emit profilesChanged(saved.name);
    }

    void ProfileActions::storePassword(const ConnectionProfile &before, const ConnectionProfile &after, const QString &password)
    {
        if (!SecretStore::isAvailable())
            return;
        const bool renamed = before.id != 0 && before.name != after.name;
        const auto run = [this](const QString &title, profilejobs::Body<void> body) {
            m_viewJobs->start<void>(title, std::move(body), {}, ViewJobs::Kind::Load);
        };
        if (after.savePassword && !password.isEmpty())
        {
            run(u"Save password for %1 in the keychain"_s.arg(after.name), profilejobs::writePassword(after.secretKey(), password));
            if (renamed && before.savePassword)
                run(u"Remove old keychain entry of %1"_s.arg(before.name), profilejobs::deletePassword(before.secretKey()));
        }
        else if (after.savePassword && renamed && before.savePassword)
            run(u"Move keychain entry %1 → %2"_s.arg(before.name, after.name),
                profilejobs::movePassword(before.secretKey(), after.secretKey()));
        else if (!after.savePassword && before.savePassword)
            run(u"Remove password of %1 from the keychain"_s.arg(before.name), profilejobs::deletePassword(before.secretKey()));
    }

    void ProfileActions::deleteProfile(const QString &name)
    {
        withProfile(name, u"Delete profile"_s, [this](const ConnectionProfile &p) { confirmAndRemove(p); });
    }

    void ProfileActions::confirmAndRemove(const ConnectionProfile &profile)
    {
        if (!m_confirm(profile))
            return;
        const QString name = profile.name;
        JobHandlers<ConnectionProfile> handlers;
        handlers.succeeded = [this, name](const ConnectionProfile &removed) {
            spdlog::info("profile '{}' deleted", name);
            if (removed.savePassword && SecretStore::isAvailable())
                m_viewJobs->start<void>(u"Remove password of %1 from the keychain"_s.arg(name),
                                        profilejobs::deletePassword(removed.secretKey()), {}, ViewJobs::Kind::Load);
            emit statusMessage(u"Profile %1 deleted"_s.arg(name));
            emit profilesChanged(QString());
        };
        handlers.failed = [this](const Error &e, const std::optional<ConnectionProfile> &) { showError(u"Delete profile"_s, e); };
        m_viewJobs->start<ConnectionProfile>(u"Delete profile %1"_s.arg(name), profilejobs::remove(&m_profiles, name), std::move(handlers),
                                             ViewJobs::Kind::Load);
    }

    void ProfileActions::testProfile(const QString &name, const QString &password)
    {
        withProfile(name, u"Test connection"_s, [this, password](const ConnectionProfile &p) { startTest(p, password); });
    }

    void ProfileActions::startTest(const ConnectionProfile &p, const QString &typed)
    {
        // No password given: the one typed for this profile earlier in the session.
        QString password = typed;
        bool fromCache = false;
        if (password.isEmpty() && m_cache)
            if (auto cached = m_cache->password(p.name))
            {
                password = *cached;
                fromCache = true;
            }
        const auto askAgain = [this, p](const Error &reason) {
            // One prompt per refusal (it names the server's reason); cancelling it ends the test
            // as cancelled, with no second dialog.
            if (auto again = m_prompt ? m_prompt(p, reason) : std::nullopt)
                return startTest(p, *again);
            const QString text = u"test cancelled: no password given"_s;
            emit statusMessage(u"%1: %2"_s.arg(p.name, text));
            emit testFinished(p.name, false, text);
        };
        JobHandlers<ProbeResult> handlers;
        handlers.succeeded = [this, p, password, askAgain](const ProbeResult &r) {
            if (r.passwordNeeded)
                return askAgain(*r.passwordNeeded);
            if (m_cache)
                m_cache->store(p.name, password);
            const QString summary = r.sqlite ? u"SQLite %1 — %2"_s.arg(r.sqliteVersion, r.server.target) : r.server.toText();
            emit statusMessage(u"%1: %2"_s.arg(p.name, summary));
            emit testFinished(p.name, true, summary);
            QMessageBox::information(m_parent, u"Test connection — %1"_s.arg(p.name), u"✓ The connection works.\n\n"_s + summary);
        };
        handlers.failed = [this, p, fromCache, askAgain](const Error &e, const std::optional<ProbeResult> &) {
            if (e.code == ErrorCode::Auth)
            {
                if (fromCache && m_cache)
                    m_cache->forget(p.name); // changed since it was typed
                return askAgain(e);
            }
            if (e.isCancelled())
                return emit testFinished(p.name, false, u"test cancelled"_s);
            emit statusMessage(u"%1: %2"_s.arg(p.name, e.message));
            emit testFinished(p.name, false, e.message);
            QMessageBox::warning(m_parent, u"Test connection — %1"_s.arg(p.name), e.toString());
        };
        m_viewJobs->start<ProbeResult>(u"Test connection: %1"_s.arg(p.name), profilejobs::probe(&m_profiles, p, password),
                                       std::move(handlers), ViewJobs::Kind::Load);
    }
}
