#include "core/jobs/jobpool.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>

#include <atomic>

namespace dbops
{
    namespace
    {
        std::atomic<int> s_releasedPending{0};
    }

    JobPool::JobPool(int maxThreads, QObject *parent)
        : QObject(parent)
    {
        m_threads.setMaxThreadCount(maxThreads);
    }

    JobPool::~JobPool()
    {
        cancelAll();
        m_threads.waitForDone();
        qDeleteAll(m_jobs);
    }

    void JobPool::start(Job *job)
    {
        job->setParent(nullptr);
        m_jobs.append(job);
        connect(job, &Job::finished, this, [this, job] { onJobFinished(job); });
        m_threads.start(job);
    }

    void JobPool::cancelAll()
    {
        for (Job *job : std::as_const(m_jobs))
            job->cancel();
    }

    void JobPool::onJobFinished(Job *job)
    {
        m_jobs.removeOne(job);
        job->deleteLater();
        if (m_released && m_jobs.isEmpty())
        {
            --s_releasedPending;
            deleteLater();
        }
    }

    void JobPool::release()
    {
        if (m_released)
            return;
        m_released = true;
        if (m_jobs.isEmpty())
        {
            deleteLater();
            return;
        }
        ++s_releasedPending;
        cancelAll();
    }

    int JobPool::releasedPending()
    {
        return s_releasedPending.load();
    }

    bool JobPool::waitForReleased(int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        if (s_releasedPending.load() > 0)
        {
            // The jobs' `finished` signals arrive as events: handle them until none is left.
            QEventLoop loop;
            QTimer poll;
            QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
                if (s_releasedPending.load() == 0 || deadline.hasExpired())
                    loop.quit();
            });
            poll.start(10);
            loop.exec();
        }
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        return s_releasedPending.load() == 0;
    }
}
