#include "core/jobs/job.h"

#include "core/logging/log.h"

#include <QHash>
#include <QMutexLocker>
#include <QStringList>

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

    namespace
    {
        /// A multi-line reason in one line for the Jobs panel: "…, line 3: permission denied; SQLSTATE 42501".
        QString oneLine(const QString &text)
        {
            QString out;
            for (const QString &raw : text.split(u'\n'))
            {
                const QString line = raw.trimmed();
                if (line.isEmpty())
                    continue;
                if (!out.isEmpty())
                    out += out.endsWith(u':') ? u" "_s : u"; "_s;
                out += line;
            }
            return out;
        }

        /// Per poll key, the reason of the last failure logged ("" when the last run succeeded).
        QMutex s_pollsMutex;
        QHash<QString, QString> &pollFailures()
        {
            static QHash<QString, QString> h;
            return h;
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

    void JobContext::setSummary(const QString &summary)
    {
        QMutexLocker lock(&m_job->m_mutex);
        m_job->m_summary = summary;
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

    void Job::finish(JobState state, const Error &error)
    {
        {
            // No finished job keeps a progress message ("reading the history") as its final text.
            QMutexLocker lock(&m_mutex);
            m_record.error = error;
            switch (state)
            {
            case JobState::Succeeded:
                m_record.message = m_summary.isEmpty() ? u"done"_s : oneLine(m_summary);
                break;
            case JobState::Cancelled:
                m_record.message = error.message.isEmpty() ? u"cancelled"_s : oneLine(error.message);
                break;
            default:
                m_record.message = oneLine(error.message.isEmpty() ? error.toString() : error.message);
                m_record.asksForInput = m_asks && m_asks(error);
                break;
            }
        }
        const bool asks = state == JobState::Failed && m_asks && m_asks(error);
        // One line in the application log per end, a failure at error level with the title and the
        // reason. A poll logs what changes: the same failure again is not logged, a recovery is.
        bool log = true;
        bool recovered = false;
        if (!m_pollKey.isEmpty())
        {
            QMutexLocker lock(&s_pollsMutex);
            QString &last = pollFailures()[m_pollKey];
            if (state == JobState::Failed)
            {
                const QString reason = error.toString();
                log = reason != last;
                last = reason;
            }
            else
            {
                recovered = state == JobState::Succeeded && !last.isEmpty();
                log = false;
                if (state == JobState::Succeeded)
                    last.clear();
            }
        }
        if (state == JobState::Failed && log && asks)
            spdlog::info("job '{}' needs input: {}", m_title, error.toString());
        else if (state == JobState::Failed && log)
            spdlog::error("job '{}' failed: {}", m_title, error.toString());
        else if (state == JobState::Cancelled && log)
            spdlog::info("job '{}' cancelled", m_title);
        else if (recovered)
            spdlog::info("job '{}' works again", m_title);
        setState(state);
    }

    void Job::run()
    {
        if (m_token.isCancelled())
        {
            // The same record as a job cancelled while running: the panel shows why.
            finish(JobState::Cancelled, Error::make(ErrorCode::Cancelled, u"cancelled"_s));
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
            finish(JobState::Succeeded, {});
            emit succeeded(*outcome);
        }
        else if (m_token.isCancelled() || outcome.error().isCancelled())
        {
            // A body that says what its cancel left behind ("the partial archive was removed")
            // keeps its words; otherwise plainly "cancelled".
            finish(JobState::Cancelled,
                   outcome.error().isCancelled() ? outcome.error() : Error::make(ErrorCode::Cancelled, u"cancelled"_s));
            emit cancelled();
        }
        else
        {
            finish(JobState::Failed, outcome.error());
            emit failed(outcome.error());
        }
        emit finished();
    }
}
