#pragma once

#include "core/jobs/job.h"
#include "core/jobs/jobmanager.h"

#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>

#include <functional>
#include <optional>

namespace dbops
{
    /// What a view does with a typed job's end. Every handler is optional; none runs for a job
    /// started before the view's last retarget() (a stale reply, STYLE C7), except `finished`.
    template <class T>
    struct JobHandlers
    {
        using Value = std::conditional_t<std::is_void_v<T>, bool, T>;
        std::function<void(const Value &)> succeeded;
        /// Failed or cancelled: the error, and the result when the body returned one that carries
        /// the failure (what a migration applied before the file that failed). Without it, the
        /// runner emits failed(title, error) for the view's status line.
        std::function<void(const Error &, const std::optional<Value> &)> failed;
        /// Always, last, even for a stale job (e.g. reload what a mutating job may have changed).
        std::function<void()> finished;
        /// Optional: a failure the view answers by asking the person (ops::needsPassword before a
        /// password prompt). Such a job is listed but not counted as failed, logged at info, and
        /// does not open the Jobs dock (Job::setAsksForInput).
        std::function<bool(const Error &)> asksForInput;
    };

    /// The one way a view starts jobs: the generation token that drops replies for a target the
    /// view no longer shows, the busy state of its one action at a time, progress and log lines
    /// forwarded, Cancel (sent from a worker, never the GUI thread) and typed results.
    /// Loads (start with Kind::Load) run beside the action and do not make the view busy.
    class ViewJobs final : public QObject
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(ViewJobs)

    public:
        enum class Kind
        {
            Action, ///< one at a time; the view is busy while it runs
            Load,   ///< reads; any number; not busy
            /// A read too frequent for the Jobs panel (the 2-second migration-lock probe): runs on
            /// the global pool, unlisted, not busy; deletes itself when it ends, so a view that
            /// closes cancels it and never waits for it.
            Probe
        };

        explicit ViewJobs(JobManager *jobs, QObject *parent = nullptr);

        /// The view now shows another target: replies of jobs started before are dropped, and the
        /// reads (Load, Probe) still running for the old target are cancelled, so that a read the
        /// view superseded ends "cancelled", never "failed". A running Action is left to finish.
        void retarget();
        quint64 generation() const { return m_generation; }
        bool isBusy() const { return m_action != nullptr; }
        QString busyTitle() const;
        /// Cancels the running action (the cancel request goes out from a worker thread).
        void cancel();
        JobManager *manager() const { return m_jobs; }

        /// Starts `body` as a TypedJob<T>. An Action while another runs is refused (returns null
        /// and emits refused(title of the running one)).
        template <class T, class F>
        TypedJob<T> *start(const QString &title, F &&body, JobHandlers<T> handlers, Kind kind = Kind::Action)
        {
            if (kind == Kind::Action && m_action)
            {
                emit refused(m_action->title());
                return nullptr;
            }
            auto *job = makeJob<T>(title, std::forward<F>(body));
            if (handlers.asksForInput)
                job->setAsksForInput(handlers.asksForInput);
            const quint64 generation = m_generation;
            using Value = typename JobHandlers<T>::Value;
            wire(job, generation, kind, [job, generation, handlers, this] {
                const bool current = generation == m_generation;
                std::optional<Value> value;
                if constexpr (std::is_void_v<T>)
                    value = job->result().isValid() ? std::optional<bool>(true) : std::nullopt;
                else
                    value = job->value();
                if (current)
                {
                    if (job->state() == JobState::Succeeded)
                    {
                        if (handlers.succeeded)
                            handlers.succeeded(*value);
                    }
                    else if (handlers.failed)
                        handlers.failed(job->error(), value);
                    else
                        emit failed(job->title(), job->error());
                }
                if (handlers.finished)
                    handlers.finished();
            });
            return job;
        }

    signals:
        void busyChanged(bool busy, const QString &title);
        /// Of the current generation's action only.
        void progressChanged(qint64 done, qint64 total, const QString &message);
        void logLine(const QString &line);
        /// A current job failed or was cancelled and its handlers did not take the error.
        void failed(const QString &title, const dbops::Error &error);
        /// An action was asked for while `running` still runs; nothing was started.
        void refused(const QString &running);

    private:
        void wire(Job *job, quint64 generation, Kind kind, std::function<void()> onEnd);

        JobManager *m_jobs;
        QPointer<Job> m_action;
        /// The running reads (Load, Probe) and the generation each was started in.
        QList<QPair<QPointer<Job>, quint64>> m_reads;
        quint64 m_generation = 0;
    };
}
