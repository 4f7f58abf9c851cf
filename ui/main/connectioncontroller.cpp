#include "ui/main/connectioncontroller.h"

#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "ui/profiles/profilejobs.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    ConnectionController::ConnectionController(ProfileStore &profiles, JobManager &jobs, QObject *parent)
        : QObject(parent)
        , m_profiles(profiles)
        , m_jobs(jobs)
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
        const quint64 generation = ++m_generation;
        if (profile.name != m_profile.name)
            m_password.clear();
        m_profile = profile;
        m_server = {};
        m_sqlite = false;
        m_sqliteVersion.clear();
        m_error = {};
        m_attemptPassword = password.isEmpty() ? m_password : password;

        auto *job = new Job(u"Connect to %1"_s.arg(profile.name), profilejobs::probe(&m_profiles, profile, m_attemptPassword));
        connect(job, &Job::succeeded, this, [this, generation](const QVariant &v) { onSucceeded(generation, v.value<ProbeResult>()); });
        connect(job, &Job::failed, this, [this, generation](const Error &e) { onFailed(generation, e); });
        connect(job, &Job::cancelled, this, [this, generation] {
            if (generation == m_generation)
                onFailed(generation, Error::make(ErrorCode::Cancelled, u"connection cancelled"_s));
        });
        m_job = job;
        spdlog::info("connecting to '{}' ({})", profile.name, profile.targetDescription());
        setState(State::Connecting);
        m_jobs.start(job);
    }

    void ConnectionController::disconnectProfile()
    {
        if (m_job)
            m_job->cancel();
        ++m_generation;
        if (m_state == State::Connected)
            spdlog::info("disconnected from '{}'", m_profile.name);
        m_profile = {};
        m_server = {};
        m_error = {};
        m_password.clear();
        setState(State::Disconnected);
    }

    void ConnectionController::onSucceeded(quint64 generation, const ProbeResult &result)
    {
        if (generation != m_generation)
            return;
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

    void ConnectionController::onFailed(quint64 generation, const Error &error)
    {
        if (generation != m_generation)
            return;
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
