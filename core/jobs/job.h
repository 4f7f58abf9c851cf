#pragma once

#include "core/error.h"
#include "core/jobs/canceltoken.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QRunnable>
#include <QVariant>

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

namespace dbops
{
    enum class JobState
    {
        Queued,
        Running,
        Succeeded,
        Failed,
        Cancelled
    };
    QString toString(JobState state);

    /// What a job body sees: cancellation, progress and log lines. Used on the worker thread.
    class JobContext final
    {
    public:
        explicit JobContext(class Job *job);

        CancelToken *token();
        bool isCancelled() const;
        void throwIfCancelled() const;
        /// Progress is throttled to at most 10 signals a second (STYLE C5); the last one always goes.
        void progress(qint64 done, qint64 total, const QString &message = {});
        /// A line for the job's log; also written to the application log at info level.
        void log(const QString &line);
        /// What the job did, in a line ("3 migration(s) applied"): when the body returns, this
        /// replaces the last progress message as the job's final text (else "done").
        void setSummary(const QString &summary);

    private:
        class Job *m_job;
        QElapsedTimer m_sinceLast;
    };

    /// The record a UI lists (STYLE C3): a copyable snapshot of a job.
    struct JobRecord
    {
        quint64 id = 0;
        QString title;
        JobState state = JobState::Queued;
        qint64 done = 0;
        qint64 total = 0;
        /// While it runs, the last progress message; once it ended, the outcome: the body's summary
        /// (or "done"), the error in one line, or "cancelled" (or the body's cancel words).
        QString message;
        QDateTime queuedAt;
        QDateTime startedAt;
        QDateTime finishedAt;
        Error error;
        /// Failed with an error its view answers by asking the person (a connect without a
        /// password, then the password prompt): listed, logged at info, not counted as failed.
        bool asksForInput = false;
    };

    /// What a result says of itself: a result that carries a failure (a migration that stopped at
    /// a failing file, a backup that did not verify) makes its job a failed job, by construction
    /// (TypedJob). Overload this next to a result type (found by argument-dependent lookup);
    /// this fallback says "no failure".
    template <class T>
    std::optional<Error> jobFailure(const T &)
    {
        return std::nullopt;
    }

    /// Something every job body runs inside, on its worker thread: the factory is called before
    /// the body and the guard it returns is destroyed after it (the store closes the connections
    /// the body opened this way). Lower layers register scopes; core/jobs depends on none of them.
    using JobScopeFactory = std::shared_ptr<void> (*)();
    void addJobScope(JobScopeFactory factory);

    /// A unit of long work: a QObject (signals) and a QRunnable (runs on a QThreadPool worker).
    /// The body throws freely; the job turns exceptions into failed(Error) (STYLE E2).
    /// Signals are emitted from the worker thread; receivers with a context object on the GUI
    /// thread get them queued. Exactly one of succeeded/failed/cancelled is emitted, then finished.
    /// Not auto-deleted by the pool: its owner (usually JobManager) deletes it after finished.
    class Job : public QObject, public QRunnable
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(Job)

    public:
        using Body = std::function<QVariant(JobContext &)>;

        Job(QString title, Body body, QObject *parent = nullptr);
        ~Job() override;

        quint64 id() const { return m_id; }
        QString title() const { return m_title; }
        JobRecord record() const;
        JobState state() const;
        /// The body's result: set when it succeeded, and when it returned a result that carries a
        /// failure (the job then failed, and the result says what was done before it).
        QVariant result() const;
        Error error() const;
        bool isFinished() const;

        /// Thread-safe and non-blocking: sets the cancel flag (the body stops at its next
        /// checkpoint) and returns at once; the cancel hooks (e.g. a libpq cancel request for the
        /// query in flight) are sent from a cancel worker (CancelToken::requestCancel), so a Cancel
        /// button against an unreachable server never freezes the GUI thread.
        void cancel();
        CancelToken *token() { return &m_token; }

        /// Marks the job as one run of a poll (the lock probe, the lock monitor's refresh): runs with
        /// the same key log a failure only when its reason differs from the last one logged for the
        /// key, and log once "... works again" when a run succeeds after a logged failure, so that
        /// a poll every 2 s logs what changes, not every poll. Set before the job starts.
        void setPollKey(const QString &key) { m_pollKey = key; }
        QString pollKey() const { return m_pollKey; }
        /// A failure `asks` says yes to is a question for the person, not a failure (JobRecord::asksForInput):
        /// e.g. ops::needsPassword for a connect the view follows with a password prompt. Set before the job starts.
        void setAsksForInput(std::function<bool(const Error &)> asks) { m_asks = std::move(asks); }

        void run() override;

    signals:
        void progressChanged(qint64 done, qint64 total, const QString &message);
        void logLine(const QString &line);
        void stateChanged(dbops::JobState state);
        void succeeded(const QVariant &result);
        void failed(const dbops::Error &error);
        void cancelled();
        void finished();

    protected:
        using FailureCheck = std::function<std::optional<Error>(const QVariant &)>;
        /// Set by TypedJob before the job starts: reads a returned result's own failure.
        void setFailureCheck(FailureCheck check) { m_failureOf = std::move(check); }

    private:
        friend class JobContext;
        void setState(JobState state);
        void setProgress(qint64 done, qint64 total, const QString &message);
        /// The record's final message and the one log line of the job's end (error level for a
        /// failure, with the title and the reason).
        void finish(JobState state, const Error &error);

        const quint64 m_id;
        const QString m_title;
        Body m_body;
        mutable QMutex m_mutex;
        JobRecord m_record;
        QVariant m_result;
        FailureCheck m_failureOf;
        QString m_summary;
        QString m_pollKey;
        std::function<bool(const Error &)> m_asks;
        /// Last, so destroyed first: its hooks are removed (and a running one waited for) while
        /// everything a hook may use is still alive.
        CancelToken m_token;
    };

    /// A job with a typed result (T may be void): the body returns T, value() gives it back, and a
    /// result whose jobFailure() is set fails the job with that error (its value() still there).
    template <class T>
    class TypedJob final : public Job
    {
    public:
        using TypedBody = std::function<T(JobContext &)>;

        TypedJob(QString title, TypedBody body, QObject *parent = nullptr)
            : Job(std::move(title), wrap(std::move(body)), parent)
        {
            if constexpr (!std::is_void_v<T>)
                setFailureCheck([](const QVariant &v) { return jobFailure(v.value<T>()); });
        }

        /// The result, once the body returned one (succeeded, or failed by its result's failure).
        std::optional<T> value() const requires(!std::is_void_v<T>)
        {
            const QVariant v = result();
            if (!v.isValid())
                return std::nullopt;
            return v.value<T>();
        }

    private:
        static Body wrap(TypedBody body)
        {
            return [body = std::move(body)](JobContext &jc) -> QVariant {
                if constexpr (std::is_void_v<T>)
                {
                    body(jc);
                    return QVariant(true); // valid: the body returned
                }
                else
                    return QVariant::fromValue(body(jc));
            };
        }
    };

    /// makeJob<T>(title, body): a TypedJob<T>, its type spelled once.
    template <class T, class F>
    TypedJob<T> *makeJob(QString title, F &&body, QObject *parent = nullptr)
    {
        return new TypedJob<T>(std::move(title), typename TypedJob<T>::TypedBody(std::forward<F>(body)), parent);
    }
}

Q_DECLARE_METATYPE(dbops::JobState)
Q_DECLARE_METATYPE(dbops::JobRecord)
