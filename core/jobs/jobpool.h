#pragma once

#include "core/jobs/job.h"

#include <QList>
#include <QObject>
#include <QThreadPool>

namespace dbops
{
    /// A service's own worker pool (e.g. the lock monitor's periodic refreshes, which stay out of
    /// the Jobs panel) that its owner never waits for: when the owner goes away it calls release()
    /// instead of waitForDone(), and the pool cancels its jobs and deletes itself once the last one
    /// has ended (DESIGN.md, Threads: the GUI thread never waits on a worker). Lives on the thread
    /// that creates it (the GUI thread) and has no parent; every member is called on that thread.
    class JobPool final : public QObject
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(JobPool)

    public:
        explicit JobPool(int maxThreads = 1, QObject *parent = nullptr);
        /// Waits for the workers, which by then have only the tail of Job::run() left (the pool is
        /// deleted after the last job's `finished`), or nothing at all.
        ~JobPool() override;

        /// Takes ownership and queues the job; it is deleted after `finished`.
        void start(Job *job);
        int jobCount() const { return int(m_jobs.size()); }
        void cancelAll();

        /// The owner is done with the pool: cancels every job (the cancel requests go out from a
        /// worker) and deletes the pool once none is left, at once when none runs. Returns at once;
        /// the caller forgets the pointer.
        void release();

        /// How many released pools still wait for a job to end (all threads).
        static int releasedPending();
        /// Application exit, after the window is gone: handles events until every released pool
        /// has ended, for at most `timeoutMs`. True when none is left.
        static bool waitForReleased(int timeoutMs);

    private:
        void onJobFinished(Job *job);

        QThreadPool m_threads;
        QList<Job *> m_jobs;
        bool m_released = false;
    };
}
