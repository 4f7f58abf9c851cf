#include "ui/jobs/jobmodel.h"

#include "core/jobs/jobmanager.h"
#include "core/remedy.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        bool isActive(JobState s)
        {
            return s == JobState::Queued || s == JobState::Running;
        }

        QString duration(const JobRecord &r)
        {
            if (!r.startedAt.isValid() || !r.finishedAt.isValid())
                return {};
            const qint64 ms = r.startedAt.msecsTo(r.finishedAt);
            return ms < 1000 ? u"%1 ms"_s.arg(ms) : u"%1 s"_s.arg(double(ms) / 1000.0, 0, 'f', 1);
        }
    }

    JobModel::JobModel(JobManager *jobs, QObject *parent)
        : QAbstractTableModel(parent)
    {
        QList<JobRecord> all = jobs->records();
        std::sort(all.begin(), all.end(), [](const JobRecord &a, const JobRecord &b) { return a.id > b.id; });
        m_records = all;
        connect(jobs, &JobManager::jobAdded, this, &JobModel::add);
        connect(jobs, &JobManager::jobChanged, this, &JobModel::update);
    }

    int JobModel::rowCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : int(m_records.size());
    }

    int JobModel::columnCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : NB_COLUMNS;
    }

    const JobRecord &JobModel::record(int row) const
    {
        return m_records.at(row);
    }

    int JobModel::rowOf(quint64 id) const
    {
        for (int i = 0; i < m_records.size(); ++i)
            if (m_records.at(i).id == id)
                return i;
        return -1;
    }

    void JobModel::add(const JobRecord &record)
    {
        if (rowOf(record.id) >= 0)
            return update(record);
        beginInsertRows({}, 0, 0);
        m_records.prepend(record);
        endInsertRows();
    }

    void JobModel::update(const JobRecord &record)
    {
        const int row = rowOf(record.id);
        if (row < 0)
            return add(record);
        // Updates are queued; a late progress report must not undo a final state.
        if (!isActive(m_records.at(row).state) && isActive(record.state))
            return;
        m_records[row] = record;
        emit dataChanged(index(row, 0), index(row, NB_COLUMNS - 1));
    }

    void JobModel::clearFinished()
    {
        for (int row = int(m_records.size()) - 1; row >= 0; --row)
        {
            if (isActive(m_records.at(row).state))
                continue;
            beginRemoveRows({}, row, row);
            m_records.removeAt(row);
            endRemoveRows();
        }
    }

    QVariant JobModel::data(const QModelIndex &index, int role) const
    {
        if (!index.isValid() || index.row() >= m_records.size())
            return {};
        const JobRecord &r = m_records.at(index.row());
        const int percent = r.total > 0 ? int(std::clamp<qint64>(r.done * 100 / r.total, 0, 100)) : -1;
        switch (role)
        {
        case Qt::DisplayRole:
            switch (index.column())
            {
            case Title:
                return r.title;
            case State:
                return r.state == JobState::Failed && r.asksForInput ? u"needs input"_s : toString(r.state);
            case Progress:
                if (r.state == JobState::Succeeded)
                    return u"100%"_s;
                return percent >= 0 ? u"%1%"_s.arg(percent) : QString();
            case Message:
                // A finished job's message is its outcome (Job::finish): the summary, the error, "cancelled".
                if (r.state == JobState::Failed)
                    return consoleText(r.message.isEmpty() ? r.error.message : r.message);
                if (r.state == JobState::Succeeded && (r.message.isEmpty() || r.message == u"done"_s))
                    return u"done in %1"_s.arg(duration(r));
                return r.message;
            case Action:
                return isActive(r.state) ? u"Cancel"_s : QString();
            default:
                return {};
            }
        case Qt::ToolTipRole: {
            QString tip = u"%1\nqueued %2"_s.arg(r.title, QLocale().toString(r.queuedAt.toLocalTime(), QLocale::ShortFormat));
            if (r.startedAt.isValid())
                tip += u"\nstarted %1"_s.arg(QLocale().toString(r.startedAt.toLocalTime(), QLocale::ShortFormat));
            if (!duration(r).isEmpty())
                tip += u"\ntook %1"_s.arg(duration(r));
            if (r.state == JobState::Failed)
                tip += u"\n\n"_s + consoleText(r.error.toString()); // the console's controls, not CLI flags
            return tip;
        }
        case Qt::ForegroundRole:
            if (index.column() == State || index.column() == Message)
            {
                switch (r.state)
                {
                case JobState::Failed:
                    return QBrush(QColor(r.asksForInput ? u"#a05a00"_s : u"#b71c1c"_s));
                case JobState::Cancelled:
                    return QBrush(QColor(u"#6b7280"_s));
                case JobState::Succeeded:
                    return index.column() == State ? QBrush(QColor(u"#2e7d32"_s)) : QVariant();
                case JobState::Running:
                    return index.column() == State ? QBrush(QColor(u"#1f4ea8"_s)) : QVariant();
                default:
                    return {};
                }
            }
            return {};
        case IdRole:
            return r.id;
        case StateRole:
            return int(r.state);
        case PercentRole:
            return r.state == JobState::Succeeded ? 100 : percent;
        case CancellableRole:
            return isActive(r.state);
        default:
            return {};
        }
    }

    QVariant JobModel::headerData(int section, Qt::Orientation orientation, int role) const
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        switch (section)
        {
        case Title:
            return u"Job"_s;
        case State:
            return u"State"_s;
        case Progress:
            return u"Progress"_s;
        case Message:
            return u"Message"_s;
        case Action:
            return QString();
        default:
            return {};
        }
    }
}
