#pragma once

#include "core/db/profile.h"
#include "core/db/serverinfo.h"
#include "core/jobs/job.h"
#include "core/error.h"
#include "ui/profiles/passwordprompt.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace dbops
{
    class JobManager;
    class PasswordCache;
    class ProfileStore;
    class ViewJobs;
    struct ProbeResult;

    /// What the console acts on: the one connected profile, the password that worked and what
    /// the server said. Every view, the banner, the title and the status bar show this, and only
    /// this; it changes in one step (targetChanged), never while a connect is being tried.
    struct ConsoleTarget
    {
        ConnectionProfile profile;
        QString password; ///< typed for this session (or empty: keychain, ~/.pgpass); never stored
        ServerInfo server;
        bool sqlite = false;
        QString sqliteVersion;

        bool isValid() const { return !profile.name.isEmpty(); }
    };

    /// The console's current connection. Connecting is a job (Connector + probeServer on a
    /// worker); the GUI thread only sees the resulting values. A connect is an *attempt*: while
    /// it runs, and when it fails or is cancelled, the current target stays what it was (the
    /// banner says so); only a successful attempt replaces it. A refused password prompts (once
    /// per failure) and retries.
    class ConnectionController final : public QObject
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(ConnectionController)

    public:
        enum class State
        {
            Disconnected, ///< no target, no attempt (or the last attempt was cancelled)
            Connecting,   ///< an attempt runs; target() may still be the previous connection
            Connected,    ///< target() is valid and no attempt runs (a failed one may be reported)
            Failed        ///< no target; the last attempt failed (lastError())
        };
        Q_ENUM(State)

        ConnectionController(ProfileStore &profiles, JobManager &jobs, QObject *parent = nullptr);

        /// Starts a connect attempt (cancelling one still running). `password` empty: the one
        /// typed earlier in this session for this profile (PasswordCache), else keychain,
        /// ~/.pgpass or PGPASSWORD; when the server refuses, the prompt is asked once and the
        /// attempt retried; a cancelled prompt ends the attempt Cancelled (lastError()).
        void connectProfile(const ConnectionProfile &profile, const QString &password = {});
        /// Cancels an attempt and clears the target: nothing is connected afterwards. The password
        /// typed for that profile is forgotten (an explicit disconnect).
        void disconnectProfile();
        /// Cancels a running attempt only; the target stays.
        void cancelAttempt();
        void setPasswordPrompt(PasswordPrompt prompt);
        /// Where typed passwords are remembered for the session (none: each connect prompts).
        void setPasswordCache(PasswordCache *cache);

        State state() const { return m_state; }
        /// What every view acts on (invalid when nothing is connected).
        const ConsoleTarget &target() const { return m_target; }
        bool isConnected() const { return m_target.isValid(); }
        /// The profile of the running or last attempt (the one that failed or was cancelled).
        const ConnectionProfile &attemptProfile() const { return m_attempt; }
        /// The error of the last attempt; none once an attempt succeeds or a new one starts.
        bool hasAttemptError() const { return m_error.has_value(); }
        Error lastError() const { return m_error.value_or(Error{}); }
        /// True when the last attempt failed or was cancelled while target() stayed connected.
        bool attemptFailedKeepingTarget() const { return m_state == State::Connected && m_error.has_value(); }

        // The target's parts (empty when nothing is connected).
        const ConnectionProfile &profile() const { return m_target.profile; }
        const ServerInfo &server() const { return m_target.server; }
        bool isSqlite() const { return m_target.sqlite; }
        QString sqliteVersion() const { return m_target.sqliteVersion; }
        QString sessionPassword() const { return m_target.password; }
        Job *currentJob() const { return m_job; }

    signals:
        /// The attempt state (and so the banner and status text) changed.
        void stateChanged(dbops::ConnectionController::State state);
        /// target() changed: a new connection, or none. Views rebind here, all in one step.
        void targetChanged();

    private:
        void setState(State state);
        void onSucceeded(const ProbeResult &result);
        void onFailed(const Error &error);
        /// The server refused for want of (the right) password: prompts once; retries or ends
        /// the attempt as cancelled.
        void askPassword(const Error &reason);
        void setTarget(ConsoleTarget target);

        ProfileStore &m_profiles;
        ViewJobs *m_viewJobs; ///< its generation drops the replies of an earlier connect
        PasswordPrompt m_prompt;
        State m_state = State::Disconnected;
        ConsoleTarget m_target;
        ConnectionProfile m_attempt;
        std::optional<Error> m_error;
        QString m_attemptPassword;
        bool m_attemptFromCache = false;
        QPointer<PasswordCache> m_cache;
        QPointer<Job> m_job;
    };
}
