#include "core/jobs/job.h"

#include "core/logging/log.h"

#include <QMutexLocker>

#include <algorithm>
#include <atomic>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        std::atomic<quint64> s_nextJobId{1};

        QMutex s_scopesMutex;
        std::vector<JobScopeFactory> &scopes()
        {
            static std::vector<JobScopeFactory> s;
            return s;
        }
    }

    void addJobScope(JobScopeFactory factory)
    {
        QMutexLocker lock(&s_scopesMutex);
        auto &all = scopes();
        if (std::find(all.begin(), all.end(), factory) == all.end())
            all.push_back(factory);
    }

    QString toString(JobState state)
    {
        switch (state)
        {
        case JobState::Queued:
            return u"queued"_s;
        case JobState::Running:
            return u"running"_s;
        case JobState::Succeeded:
            return u"succeeded"_s;
        case JobState::Failed:
            return u"failed"_s;
        case JobState::Cancelled:
            return u"cancelled"_s;
        }
        return {};
    }

    JobContext::JobContext(Job *job)
        : m_job(job)
    {
    }

    CancelToken *JobContext::token()
    {
        return &m_job->m_token;
    }

    bool JobContext::isCancelled() const
    {
        return m_job->m_token.isCancelled();
    }

    void JobContext::throwIfCancelled() const
    {
        m_job->m_token.throwIfCancelled();
    }

    void JobContext::progress(qint64 done, qint64 total, const QString &message)
    {
        const bool last = total > 0 && done >= total;
        if (!last && m_sinceLast.isValid() && m_sinceLast.elapsed() < 100)
        {
            // Keep the record current for pollers, but do not flood the GUI with signals.
            QMutexLocker lock(&m_job->m_mutex);
            m_job->m_record.done = done;
            m_job->m_record.total = total;
            m_job->m_record.message = message;
            return;
        }
        m_sinceLast.restart();
        m_job->setProgress(done, total, message);
    }

    void JobContext::log(const QString &line)
    {
        spdlog::info("{}", line);
        emit m_job->logLine(line);
    }

    Job::Job(QString title, Body body, QObject *parent)
        : QObject(parent)
        , m_id(s_nextJobId++)
        , m_title(std::move(title))
        , m_body(std::move(body))
    {
        setAutoDelete(false);
        m_record.id = m_id;
        m_record.title = m_title;
        m_record.queuedAt = QDateTime::currentDateTimeUtc();
    }

    Job::~Job() = default;

    JobRecord Job::record() const
    {
        QMutexLocker lock(&m_mutex);
        return m_record;
    }

    JobState Job::state() const
    {
        QMutexLocker lock(&m_mutex);
        return m_record.state;
    }

    QVariant Job::result() const
    {
        QMutexLocker lock(&m_mutex);
        return m_result;
    }

    Error Job::error() const
    {
        QMutexLocker lock(&m_mutex);
        return m_record.error;
    }

    bool Job::isFinished() const
    {
        const JobState s = state();
        return s == JobState::Succeeded || s == JobState::Failed || s == JobState::Cancelled;
    }

    void Job::cancel()
    {
        m_token.requestCancel();
    }

    void Job::setState(JobState state)
    {
        {
            QMutexLocker lock(&m_mutex);
            m_record.state = state;
            if (state == JobState::Running)
                m_record.startedAt = QDateTime::currentDateTimeUtc();
            else if (state != JobState::Queued)
                m_record.finishedAt = QDateTime::currentDateTimeUtc();
        }
        emit stateChanged(state);
    }

    void Job::setProgress(qint64 done, qint64 total, const QString &message)
    {
        {
            QMutexLocker lock(&m_mutex);
            m_record.done = done;
            m_record.total = total;
            m_record.message = message;
        }
        emit progressChanged(done, total, message);
    }

    void Job::run()
    {
        if (m_token.isCancelled())
        {
            {
                // The same record as a job cancelled while running: the panel shows why.
                QMutexLocker lock(&m_mutex);
                m_record.error = Error::make(ErrorCode::Cancelled, u"cancelled"_s);
            }
            setState(JobState::Cancelled);
            emit cancelled();
            emit finished();
            return;
        }
        setState(JobState::Running);
        JobContext context(this);
        Expected<QVariant> outcome = [&] {
            // The scopes end here, on this worker, before the job reports its end: the store
            // connections the body opened are closed before a CLI that has seen `finished` exits
            // (a connection left to the thread's end would be closed while exit() destroys Qt SQL).
            std::vector<std::shared_ptr<void>> guards;
            {
                QMutexLocker lock(&s_scopesMutex);
                for (JobScopeFactory f : scopes())
                    guards.push_back(f());
            }
            auto result = catchErrors([&] { return m_body(context); });
            while (!guards.empty())
                guards.pop_back(); // newest first
            return result;
        }();
        // A result that carries its own failure makes a failed job; the result stays readable.
        if (outcome && m_failureOf)
            if (std::optional<Error> carried = m_failureOf(*outcome))
            {
                QMutexLocker lock(&m_mutex);
                m_result = *outcome;
                outcome = std::unexpected(*carried);
            }
        // A body that returned has done its work (a migration may have committed): a cancel that
        // arrived too late to stop it must not report it as cancelled.
        if (outcome)
        {
            {
                QMutexLocker lock(&m_mutex);
                m_result = *outcome;
            }
            setState(JobState::Succeeded);
            emit succeeded(*outcome);
        }
        else if (m_token.isCancelled() || outcome.error().isCancelled())
        {
            {
                QMutexLocker lock(&m_mutex);
                // A body that says what its cancel left behind ("the partial archive was removed")
                // keeps its words; otherwise plainly "cancelled".
                m_record.error = outcome.error().isCancelled() ? outcome.error() : Error::make(ErrorCode::Cancelled, u"cancelled"_s);
            }
            spdlog::info("job '{}' cancelled", m_title);
            setState(JobState::Cancelled);
            emit cancelled();
        }
        else
        {
            {
                QMutexLocker lock(&m_mutex);
                m_record.error = outcome.error();
            }
            spdlog::warn("job '{}' failed: {}", m_title, outcome.error().toString());
            setState(JobState::Failed);
            emit failed(outcome.error());
        }
        emit finished();
    }
}
