#include "core/logging/logbuffer.h"

#include <QMutexLocker>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString toString(LogLevel level)
    {
        switch (level)
        {
        case LogLevel::Trace:
            return u"trace"_s;
        case LogLevel::Debug:
            return u"debug"_s;
        case LogLevel::Info:
            return u"info"_s;
        case LogLevel::Warning:
            return u"warning"_s;
        case LogLevel::Error:
            return u"error"_s;
        case LogLevel::Critical:
            return u"critical"_s;
        }
        return {};
    }

    LogBuffer *LogBuffer::instance()
    {
        static LogBuffer buffer;
        return &buffer;
    }

    void LogBuffer::append(LogRecord record)
    {
        {
            QMutexLocker lock(&m_mutex);
            record.id = m_nextId++;
            m_records.append(record);
            if (m_records.size() > m_capacity)
                m_records.remove(0, m_records.size() - m_capacity);
        }
        emit recordAdded(record);
    }

    QList<LogRecord> LogBuffer::records(qint64 afterId) const
    {
        QMutexLocker lock(&m_mutex);
        QList<LogRecord> out;
        for (const LogRecord &r : m_records)
            if (r.id > afterId)
                out.append(r);
        return out;
    }
}
