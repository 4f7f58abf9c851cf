#pragma once

#include "core/jobs/job.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

namespace dbops
{
    /// A finished typed job as a CLI reads it: the error when it failed or was cancelled, and the
    /// result whenever the body returned one (a failed migration's result says what was applied).
    template <class T>
    struct JobOutcome
    {
        std::optional<T> value;
        std::optional<Error> error;
        bool ok() const { return !error; }
    };

    /// Owns the worker pool and every job it starts, and keeps the records the Jobs panel lists.
    /// Lives on the GUI (or CLI main) thread. Finished jobs are kept (as records) for the panel.
    class JobManager final : public QObject
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(JobManager)

    public:
        explicit JobManager(QObject *parent = nullptr, int maxThreads = 8);
        ~JobManager() override;

        /// Takes ownership, queues the job and returns it. Connect to its signals before control
        /// returns to the event loop (the job may already be running, but its signals are queued).
        Job *start(Job *job);
        Job *start(const QString &title, Job::Body body);

        /// Starts the job and waits for it with a local event loop (CLI only): progress goes to the
        /// job's signals, SIGINT cancels it. Returns the result or the error.
        Expected<QVariant> run(Job *job);
        template <class T>
        JobOutcome<T> run(TypedJob<T> *job) requires(!std::is_void_v<T>)
        {
            JobOutcome<T> outcome;
            // Read before the job is deleted (the manager deletes it later, after `finished`).
            connect(job, &Job::finished, job, [&outcome, job] { outcome.value = job->value(); });
            if (Expected<QVariant> r = run(static_cast<Job *>(job)); !r)
                outcome.error = r.error();
            return outcome;
        }

        QList<JobRecord> records() const;
        Job *find(quint64 id) const;
        void cancel(quint64 id);
        void cancelAll();
        /// Cancels everything (the cancel requests go out from workers) and waits for the workers
        /// at most `waitMs`: application exit, after the window is gone; tests.
        void shutdown(int waitMs = 5000);
        int activeCount() const;

    signals:
        void jobAdded(const dbops::JobRecord &record);
        void jobChanged(const dbops::JobRecord &record);

    private:
        QThreadPool m_pool;
        QList<QPointer<Job>> m_jobs;
        QList<JobRecord> m_finished;
    };
}
