#pragma once

#include "core/db/profile.h"
#include "core/error.h"
#include "ui/profiles/passwordprompt.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QWidget;

namespace dbops
{
    class JobManager;
    class ProfileStore;
    struct ProbeResult;

    /// Create, edit, test and delete profiles: the dialogs and the jobs behind the sidebar's
    /// buttons. Store writes are small local calls; keychain and database work run as jobs.
    class ProfileActions final : public QObject
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(ProfileActions)

    public:
        using Confirm = std::function<bool(const ConnectionProfile &)>;

        ProfileActions(ProfileStore &profiles, JobManager &jobs, QWidget *dialogParent);

        void newProfile();
        void editProfile(const QString &name);
        /// Asks for confirmation, removes the profile, then its keychain entry in a job.
        void deleteProfile(const QString &name);
        /// Runs the connection test as a job and reports the result.
        void testProfile(const QString &name, const QString &password = {});

        void setConfirm(Confirm confirm);
        void setPasswordPrompt(PasswordPrompt prompt);

    signals:
        /// The list changed; `selectName` is the profile to select (empty: keep).
        void profilesChanged(const QString &selectName);
        void statusMessage(const QString &text);
        void testFinished(const QString &name, bool ok, const QString &summary);

    private:
        void storePassword(const ConnectionProfile &before, const ConnectionProfile &after, const QString &password);
        void showError(const QString &title, const Error &error);

        ProfileStore &m_profiles;
        JobManager &m_jobs;
        QPointer<QWidget> m_parent;
        Confirm m_confirm;
        PasswordPrompt m_prompt;
    };
}
