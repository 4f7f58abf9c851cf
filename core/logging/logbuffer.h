#pragma once

#include <QDateTime>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>

namespace dbops
{
    enum class LogLevel
    {
        Trace,
        Debug,
        Info,
        Warning,
        Error,
        Critical
    };

    struct LogRecord
    {
        qint64 id = 0;
        QDateTime time;
        LogLevel level = LogLevel::Info;
        QString logger;
        QString message; ///< already redacted
    };

    QString toString(LogLevel level);

    /// The in-app log: a locked ring buffer fed by an spdlog sink. The only singleton besides the
    /// spdlog registry itself (STYLE L7). recordAdded is emitted from whichever thread logged;
    /// connect with a context object on the GUI thread to receive it queued.
    class LogBuffer final : public QObject
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(LogBuffer)

    public:
        static LogBuffer *instance();

        void append(LogRecord record);
        /// Records with id > afterId, oldest first.
        QList<LogRecord> records(qint64 afterId = 0) const;
        int capacity() const { return m_capacity; }

    signals:
        void recordAdded(const dbops::LogRecord &record);

    private:
        LogBuffer() = default;

        mutable QMutex m_mutex;
        QList<LogRecord> m_records;
        qint64 m_nextId = 1;
        int m_capacity = 5000;
    };
}

Q_DECLARE_METATYPE(dbops::LogRecord)
