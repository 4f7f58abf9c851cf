#include "core/jobs/jobmanager.h"

#include <QEventLoop>
#include <QTimer>

#include <atomic>
#include <csignal>

namespace dbops
{
    namespace
    {
        std::atomic_bool s_interrupted{false};
        void onSigint(int)
        {
            s_interrupted = true;
        }
    }

    JobManager::JobManager(QObject *parent, int maxThreads)
        : QObject(parent)
    {
        qRegisterMetaType<dbops::Error>();
        qRegisterMetaType<dbops::JobState>();
        qRegisterMetaType<dbops::JobRecord>();
        m_pool.setMaxThreadCount(maxThreads);
        m_pool.setObjectName(QStringLiteral("dbops-jobs"));
    }

    JobManager::~JobManager()
    {
        shutdown();
    }

    Job *JobManager::start(Job *job)
    {
        job->setParent(this);
        m_jobs.append(job);
        auto notify = [this, job] { emit jobChanged(job->record()); };
        connect(job, &Job::stateChanged, this, notify);
        connect(job, &Job::progressChanged, this, notify);
        connect(job, &Job::finished, this, [this, job] {
            m_finished.append(job->record());
            m_jobs.removeAll(job);
            job->deleteLater();
        });
        emit jobAdded(job->record());
        m_pool.start(job);
        return job;
    }

    Job *JobManager::start(const QString &title, Job::Body body)
    {
        return start(new Job(title, std::move(body)));
    }

    Expected<QVariant> JobManager::run(Job *job)
    {
        QEventLoop loop;
        Expected<QVariant> outcome = std::unexpected(Error{});
        connect(job, &Job::succeeded, &loop, [&](const QVariant &v) { outcome = v; });
        connect(job, &Job::failed, &loop, [&](const Error &e) { outcome = std::unexpected(e); });
        connect(job, &Job::cancelled, &loop, [&, job] {
            outcome =
                std::unexpected(job->error().isCancelled() ? job->error() : Error::make(ErrorCode::Cancelled, QStringLiteral("cancelled")));
        });
        connect(job, &Job::finished, &loop, &QEventLoop::quit);

        s_interrupted = false;
        auto previous = std::signal(SIGINT, onSigint);
        QTimer poll;
        connect(&poll, &QTimer::timeout, job, [job] {
            if (s_interrupted.exchange(false))
                job->cancel();
        });
        poll.start(50);
        start(job);
        loop.exec();
        std::signal(SIGINT, previous);
        return outcome;
    }

    QList<JobRecord> JobManager::records() const
    {
        QList<JobRecord> out = m_finished;
        for (const auto &job : m_jobs)
            if (job)
                out.append(job->record());
        return out;
    }

    Job *JobManager::find(quint64 id) const
    {
        for (const auto &job : m_jobs)
            if (job && job->id() == id)
                return job;
        return nullptr;
    }

    void JobManager::cancel(quint64 id)
    {
        if (Job *job = find(id))
            job->cancel();
    }

    void JobManager::cancelAll()
    {
        for (const auto &job : m_jobs)
            if (job)
                job->cancel();
    }

    void JobManager::shutdown(int waitMs)
    {
        cancelAll();
        m_pool.waitForDone(waitMs);
    }

    int JobManager::activeCount() const
    {
        return m_pool.activeThreadCount();
    }
}
