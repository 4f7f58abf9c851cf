#pragma once

#include "core/db/profile.h"
#include "core/db/serverinfo.h"
#include "core/jobs/job.h"
#include "core/error.h"
#include "ui/profiles/passwordprompt.h"

#include <QObject>
#include <QPointer>

namespace dbops
{
    class JobManager;
    class ProfileStore;
    class ViewJobs;
    struct ProbeResult;

    /// The console's current connection: connecting is a job (Connector + probeServer on a
    /// worker); the GUI thread only sees the resulting values. A refused password prompts and
    /// retries. Later views open their own connections in their jobs, for profile().
    class ConnectionController final : public QObject
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(ConnectionController)

    public:
        enum class State
        {
            Disconnected,
            Connecting,
            Connected,
            Failed
        };
        Q_ENUM(State)

        ConnectionController(ProfileStore &profiles, JobManager &jobs, QObject *parent = nullptr);

        /// Starts the connect job (cancelling one still running). `password` empty: keychain,
        /// ~/.pgpass or PGPASSWORD; on an Auth error the prompt is asked and the job retried.
        void connectProfile(const ConnectionProfile &profile, const QString &password = {});
        void disconnectProfile();
        void setPasswordPrompt(PasswordPrompt prompt);

        State state() const { return m_state; }
        const ConnectionProfile &profile() const { return m_profile; }
        const ServerInfo &server() const { return m_server; }
        bool isSqlite() const { return m_sqlite; }
        QString sqliteVersion() const { return m_sqliteVersion; }
        const Error &lastError() const { return m_error; }
        /// The password that worked (prompted), for later jobs on this connection; never stored.
        QString sessionPassword() const { return m_password; }
        Job *currentJob() const { return m_job; }

    signals:
        void stateChanged(dbops::ConnectionController::State state);

    private:
        void setState(State state);
        void onSucceeded(const ProbeResult &result);
        void onFailed(const Error &error);

        ProfileStore &m_profiles;
        ViewJobs *m_viewJobs; ///< its generation drops the replies of an earlier connect
        PasswordPrompt m_prompt;
        State m_state = State::Disconnected;
        ConnectionProfile m_profile;
        ServerInfo m_server;
        bool m_sqlite = false;
        QString m_sqliteVersion;
        Error m_error;
        QString m_password;
        QString m_attemptPassword;
        QPointer<Job> m_job;
    };
}
