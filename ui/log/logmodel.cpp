#include "ui/log/logmodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    LogModel::LogModel(LogBuffer *buffer, QObject *parent)
        : QAbstractTableModel(parent)
        , m_capacity(buffer->capacity())
    {
        qRegisterMetaType<dbops::LogRecord>();
        // Connect first, then read the backlog: a record logged in between arrives twice and the
        // id check drops the second copy.
        connect(buffer, &LogBuffer::recordAdded, this, &LogModel::append);
        for (const LogRecord &r : buffer->records())
            append(r);
    }

    int LogModel::rowCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : int(m_records.size());
    }

    int LogModel::columnCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : NB_COLUMNS;
    }

    const LogRecord &LogModel::record(int row) const
    {
        return m_records.at(row);
    }

    void LogModel::append(const LogRecord &record)
    {
        if (record.id != 0 && record.id <= m_lastId)
            return;
        m_lastId = qMax(m_lastId, record.id);
        if (m_records.size() >= m_capacity)
        {
            const int excess = int(m_records.size()) - m_capacity + 1;
            beginRemoveRows({}, 0, excess - 1);
            m_records.remove(0, excess);
            endRemoveRows();
        }
        const int row = int(m_records.size());
        beginInsertRows({}, row, row);
        m_records.append(record);
        endInsertRows();
    }

    QVariant LogModel::data(const QModelIndex &index, int role) const
    {
        if (!index.isValid() || index.row() >= m_records.size())
            return {};
        const LogRecord &r = m_records.at(index.row());
        switch (role)
        {
        case Qt::DisplayRole:
            switch (index.column())
            {
            case Time:
                return r.time.toLocalTime().toString(u"HH:mm:ss.zzz"_s);
            case Level:
                return toString(r.level);
            case Message:
                return r.message;
            default:
                return {};
            }
        case Qt::ToolTipRole:
            if (index.column() == Message)
                return r.message;
            if (index.column() == Time)
                return r.time.toLocalTime().toString(Qt::ISODateWithMs);
            return {};
        case Qt::ForegroundRole:
            if (r.level >= LogLevel::Error)
                return QBrush(QColor(u"#b71c1c"_s));
            if (r.level == LogLevel::Warning)
                return QBrush(QColor(u"#9a6700"_s));
            if (r.level <= LogLevel::Debug)
                return QBrush(QColor(u"#6b7280"_s));
            return {};
        case Qt::FontRole:
            if (index.column() == Level && r.level >= LogLevel::Warning)
            {
                QFont f;
                f.setBold(true);
                return f;
            }
            return {};
        case LevelRole:
            return int(r.level);
        case IdRole:
            return r.id;
        default:
            return {};
        }
    }

    QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        switch (section)
        {
        case Time:
            return u"Time"_s;
        case Level:
            return u"Level"_s;
        case Message:
            return u"Message"_s;
        default:
            return {};
        }
    }
}
