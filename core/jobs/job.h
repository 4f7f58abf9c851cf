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
        QString message;
        QDateTime queuedAt;
        QDateTime startedAt;
        QDateTime finishedAt;
        Error error;
    };

    /// A unit of long work: a QObject (signals) and a QRunnable (runs on a QThreadPool worker).
    /// The body throws freely; the job turns exceptions into failed(Error) (STYLE E2).
    /// Signals are emitted from the worker thread; receivers with a context object on the GUI
    /// thread get them queued. Exactly one of succeeded/failed/cancelled is emitted, then finished.
    /// Not auto-deleted by the pool: its owner (usually JobManager) deletes it after finished.
    class Job final : public QObject, public QRunnable
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
        QVariant result() const;
        Error error() const;
        bool isFinished() const;

        /// Thread-safe. Stops the body at its next checkpoint and runs the cancel hooks (e.g. a
        /// libpq cancel request for the query in flight) on the calling thread.
        void cancel();
        CancelToken *token() { return &m_token; }

        void run() override;

    signals:
        void progressChanged(qint64 done, qint64 total, const QString &message);
        void logLine(const QString &line);
        void stateChanged(dbops::JobState state);
        void succeeded(const QVariant &result);
        void failed(const dbops::Error &error);
        void cancelled();
        void finished();

    private:
        friend class JobContext;
        void setState(JobState state);
        void setProgress(qint64 done, qint64 total, const QString &message);

        const quint64 m_id;
        const QString m_title;
        Body m_body;
        CancelToken m_token;
        mutable QMutex m_mutex;
        JobRecord m_record;
        QVariant m_result;
    };
}

Q_DECLARE_METATYPE(dbops::JobState)
Q_DECLARE_METATYPE(dbops::JobRecord)
