#include "ui/main/connectioncontroller.h"

#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "ui/jobs/viewjobs.h"
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

    void ConnectionController::setState(State state)
    {
        m_state = state;
        emit stateChanged(state);
    }

    void ConnectionController::connectProfile(const ConnectionProfile &profile, const QString &password)
    {
        if (m_job)
            m_job->cancel();
        m_viewJobs->retarget(); // a reply of the connect still running is dropped
        if (profile.name != m_profile.name)
            m_password.clear();
        m_profile = profile;
        m_server = {};
        m_sqlite = false;
        m_sqliteVersion.clear();
        m_error = {};
        m_attemptPassword = password.isEmpty() ? m_password : password;

        JobHandlers<ProbeResult> handlers;
        handlers.succeeded = [this](const ProbeResult &r) { onSucceeded(r); };
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

    void ConnectionController::disconnectProfile()
    {
        if (m_job)
            m_job->cancel();
        m_viewJobs->retarget();
        if (m_state == State::Connected)
            spdlog::info("disconnected from '{}'", m_profile.name);
        m_profile = {};
        m_server = {};
        m_error = {};
        m_password.clear();
        setState(State::Disconnected);
    }

    void ConnectionController::onSucceeded(const ProbeResult &result)
    {
        m_server = result.server;
        m_sqlite = result.sqlite;
        m_sqliteVersion = result.sqliteVersion;
        m_password = m_attemptPassword;
        m_attemptPassword.clear();
        if (m_sqlite)
            spdlog::info("connected to '{}': SQLite {}", m_profile.name, m_sqliteVersion);
        else
            spdlog::info("connected to '{}': {}", m_profile.name, m_server.toText());
        setState(State::Connected);
    }

    void ConnectionController::onFailed(const Error &error)
    {
        m_attemptPassword.clear();
        m_error = error;
        setState(State::Failed);
        if (error.code == ErrorCode::Auth && m_prompt)
        {
            const ConnectionProfile profile = m_profile;
            if (auto password = m_prompt(profile, error))
                connectProfile(profile, *password);
        }
    }
}
