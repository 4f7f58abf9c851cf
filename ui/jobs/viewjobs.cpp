#include "ui/jobs/viewjobs.h"

#include <QThreadPool>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    ViewJobs::ViewJobs(JobManager *jobs, QObject *parent)
        : QObject(parent)
        , m_jobs(jobs)
    {
    }

    void ViewJobs::retarget()
    {
        ++m_generation;
        for (const auto &[job, generation] : m_reads)
            if (job && generation < m_generation)
                job->cancel();
    }

    QString ViewJobs::busyTitle() const
    {
        return m_action ? m_action->title() : QString();
    }

    void ViewJobs::cancel()
    {
        if (m_action)
            m_jobs->cancel(m_action->id());
    }

    void ViewJobs::wire(Job *job, quint64 generation, Kind kind, std::function<void()> onEnd)
    {
        if (kind == Kind::Action)
        {
            m_action = job;
            connect(job, &Job::progressChanged, this, [this, generation](qint64 done, qint64 total, const QString &message) {
                if (generation == m_generation)
                    emit progressChanged(done, total, message);
            });
            connect(job, &Job::logLine, this, &ViewJobs::logLine);
        }
        // The action is released before its handlers run, so that a follow-up (the real run after
        // its plan was accepted) can start from them.
        connect(job, &Job::finished, this, [this, job, kind, onEnd = std::move(onEnd)] {
            if (kind == Kind::Action && m_action == job)
            {
                m_action = nullptr;
                emit busyChanged(false, {});
            }
            onEnd();
        });
        if (kind == Kind::Action)
            emit busyChanged(true, job->title());
        else
        {
            m_reads.append({QPointer<Job>(job), generation});
            connect(job, &Job::finished, this,
                    [this, job] { m_reads.removeIf([job](const auto &read) { return !read.first || read.first == job; }); });
        }
        if (kind == Kind::Probe)
        {
            // A poll: the same failure every 2 s is logged once, a recovery once (Job::setPollKey).
            job->setPollKey(u"probe: "_s + job->title());
            connect(job, &Job::finished, job, &QObject::deleteLater);
            QThreadPool::globalInstance()->start(job);
            return;
        }
        m_jobs->start(job);
    }
}
