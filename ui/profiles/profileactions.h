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
    class PasswordCache;
    class ProfileStore;
    class ViewJobs;
    struct ProbeResult;

    /// Create, edit, test and delete profiles: the dialogs and the jobs behind the sidebar's
    /// buttons. Every store read and write, keychain and database call runs as a job (ViewJobs);
    /// the GUI thread only shows dialogs and results. Each action returns at once.
    class ProfileActions final : public QObject
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(ProfileActions)

    public:
        using Confirm = std::function<bool(const ConnectionProfile &)>;

        ProfileActions(ProfileStore &profiles, JobManager &jobs, QWidget *dialogParent);

        void newProfile();
        /// Reads the profile (a job), then opens the dialog, which saves in a job.
        void editProfile(const QString &name);
        /// Reads the profile, asks for confirmation, removes it, then its keychain entry: jobs.
        void deleteProfile(const QString &name);
        /// Runs the connection test as a job and reports the result.
        void testProfile(const QString &name, const QString &password = {});
        /// The runner of these jobs (tests wait on it).
        ViewJobs *jobs() const { return m_viewJobs; }

        void setConfirm(Confirm confirm);
        void setPasswordPrompt(PasswordPrompt prompt);
        /// Test connection uses (and fills) the passwords typed this session.
        void setPasswordCache(PasswordCache *cache);

    signals:
        /// The list changed; `selectName` is the profile to select (empty: keep).
        void profilesChanged(const QString &selectName);
        void statusMessage(const QString &text);
        void testFinished(const QString &name, bool ok, const QString &summary);

    private:
        /// Reads `name` in a job, then calls `then` with it from a fresh event (never from inside
        /// the job's end handler: `then` may open a modal dialog).
        void withProfile(const QString &name, const QString &action, std::function<void(const ConnectionProfile &)> then);
        void openEditor(const ConnectionProfile &before);
        void confirmAndRemove(const ConnectionProfile &profile);
        void startTest(const ConnectionProfile &profile, const QString &password);
        void storePassword(const ConnectionProfile &before, const ConnectionProfile &after, const QString &password);
        void showError(const QString &title, const Error &error);

        ProfileStore &m_profiles;
        JobManager &m_jobs;
        ViewJobs *m_viewJobs;
        QPointer<QWidget> m_parent;
        Confirm m_confirm;
        PasswordPrompt m_prompt;
        QPointer<PasswordCache> m_cache;
    };
}
