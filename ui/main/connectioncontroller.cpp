#include "ui/main/connectioncontroller.h"

#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "ui/jobs/viewjobs.h"
#include "ui/profiles/passwordcache.h"
#include "ui/profiles/profilejobs.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    ConnectionController::ConnectionController(ProfileStore &profiles, JobManager &jobs, QObject *parent)
        : QObject(parent)
        , m_profiles(profiles)
        , m_viewJobs(new ViewJobs(&jobs, this))
        , m_prompt([](const ConnectionProfile &p, const Error &e) { return askForPassword(nullptr, p, e); })
    {
        qRegisterMetaType<dbops::ProbeResult>();
    }

    void ConnectionController::setPasswordPrompt(PasswordPrompt prompt)
    {
        m_prompt = std::move(prompt);
    }

    void ConnectionController::setPasswordCache(PasswordCache *cache)
    {
        m_cache = cache;
    }

    void ConnectionController::setState(State state)
    {
        m_state = state;
        emit stateChanged(state);
    }

    void ConnectionController::setTarget(ConsoleTarget target)
    {
        m_target = std::move(target);
        emit targetChanged();
    }

    void ConnectionController::connectProfile(const ConnectionProfile &profile, const QString &password)
    {
        if (m_job)
            m_job->cancel();
        m_viewJobs->retarget(); // a reply of the connect still running is dropped
        m_attempt = profile;
        m_error.reset();
        // No password given: the one typed for this profile earlier in the session (the cache, or
        // the current target's when reconnecting it); else the keychain, ~/.pgpass or PGPASSWORD.
        m_attemptPassword = password;
        m_attemptFromCache = false;
        if (m_attemptPassword.isEmpty() && m_cache)
            if (auto cached = m_cache->password(profile.name))
            {
                m_attemptPassword = *cached;
                m_attemptFromCache = true;
            }
        if (m_attemptPassword.isEmpty() && profile.name == m_target.profile.name)
            m_attemptPassword = m_target.password;

        JobHandlers<ProbeResult> handlers;
        handlers.succeeded = [this](const ProbeResult &r) {
            if (r.passwordNeeded)
                return askPassword(*r.passwordNeeded);
            onSucceeded(r);
        };
        handlers.failed = [this](const Error &e, const std::optional<ProbeResult> &) {
            onFailed(e.isCancelled() ? Error::make(ErrorCode::Cancelled, u"connection cancelled"_s) : e);
        };
        spdlog::info("connecting to '{}' ({})", profile.name, profile.targetDescription());
        setState(State::Connecting);
        // A Load: a new connect may start while the cancelled one is still ending.
        m_job = m_viewJobs->start<ProbeResult>(u"Connect to %1"_s.arg(profile.name),
                                               profilejobs::probe(&m_profiles, profile, m_attemptPassword), std::move(handlers),
                                               ViewJobs::Kind::Load);
    }

    void ConnectionController::cancelAttempt()
    {
        if (m_state != State::Connecting)
            return;
        if (m_job)
            m_job->cancel();
        m_viewJobs->retarget();
        onFailed(Error::make(ErrorCode::Cancelled, u"connection cancelled"_s));
    }

    void ConnectionController::disconnectProfile()
    {
        // An explicit disconnect forgets the password typed for that profile.
        if (m_cache && m_target.isValid())
            m_cache->forget(m_target.profile.name);
        if (m_job)
            m_job->cancel();
        m_viewJobs->retarget();
        if (m_target.isValid())
            spdlog::info("disconnected from '{}'", m_target.profile.name);
        m_attempt = {};
        m_error.reset();
        m_attemptPassword.clear();
        const bool hadTarget = m_target.isValid();
        m_target = {};
        setState(State::Disconnected);
        if (hadTarget)
            emit targetChanged();
    }

    void ConnectionController::onSucceeded(const ProbeResult &result)
    {
        ConsoleTarget target;
        target.profile = m_attempt;
        target.password = m_attemptPassword;
        target.server = result.server;
        target.sqlite = result.sqlite;
        target.sqliteVersion = result.sqliteVersion;
        if (m_cache)
            m_cache->store(target.profile.name, m_attemptPassword);
        m_attemptPassword.clear();
        m_error.reset();
        if (target.sqlite)
            spdlog::info("connected to '{}': SQLite {}", target.profile.name, target.sqliteVersion);
        else
            spdlog::info("connected to '{}': {}", target.profile.name, target.server.toText());
        // The target first, then the state: a view that reacts to either sees the new target.
        setTarget(std::move(target));
        setState(State::Connected);
    }

    void ConnectionController::askPassword(const Error &reason)
    {
        // One prompt per refusal; a cancelled prompt ends the attempt as cancelled, not failed.
        const ConnectionProfile profile = m_attempt;
        std::optional<QString> password;
        if (m_prompt)
            password = m_prompt(profile, reason);
        if (password)
            return connectProfile(profile, *password);
        if (!m_prompt)
            return onFailed(reason);
        onFailed(Error::make(ErrorCode::Cancelled, u"password prompt for %1 cancelled"_s.arg(profile.name)));
    }

    void ConnectionController::onFailed(const Error &error)
    {
        // A remembered password the server now refuses is forgotten (it was changed).
        if (error.code == ErrorCode::Auth && m_attemptFromCache && m_cache)
            m_cache->forget(m_attempt.name);
        if (error.code == ErrorCode::Auth && m_prompt)
        {
            m_attemptPassword.clear();
            return askPassword(error);
        }
        m_attemptPassword.clear();
        m_error = error;
        if (error.isCancelled())
            spdlog::info("connect to '{}' cancelled", m_attempt.name);
        else
            spdlog::error("connect to '{}' failed: {}", m_attempt.name, error.toString());
        // The previous connection (if any) stays what the console acts on.
        setState(m_target.isValid() ? State::Connected : error.isCancelled() ? State::Disconnected : State::Failed);
    }
}
