#include "ui/locks/sessiontablemodel.h"

#include "ui/locks/lockstyle.h"

#include <QSet>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    SessionTableModel::SessionTableModel(QObject *parent)
        : QAbstractTableModel(parent)
    {
    }

    void SessionTableModel::update(const LockSnapshot &snapshot)
    {
        m_snapshot = snapshot;
        // Remove ended sessions in contiguous runs, from the back.
        for (int row = int(m_pids.size()) - 1; row >= 0;)
        {
            if (m_snapshot.session(m_pids[row]))
            {
                --row;
                continue;
            }
            int first = row;
            while (first > 0 && !m_snapshot.session(m_pids[first - 1]))
                --first;
            beginRemoveRows({}, first, row);
            m_pids.remove(first, row - first + 1);
            endRemoveRows();
            row = first - 1;
        }
        m_rows.clear();
        for (int row = 0; row < m_pids.size(); ++row)
            m_rows.insert(m_pids[row], row);
        if (!m_pids.isEmpty())
            emit dataChanged(index(0, 0), index(int(m_pids.size()) - 1, NB_COLUMNS - 1));
        QList<int> added;
        for (const BackendSession &s : m_snapshot.sessions)
            if (!m_rows.contains(s.pid))
                added << s.pid;
        if (added.isEmpty())
            return;
        const int first = int(m_pids.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (int pid : added)
        {
            m_rows.insert(pid, int(m_pids.size()));
            m_pids << pid;
        }
        endInsertRows();
    }

    const BackendSession *SessionTableModel::sessionAt(int row) const
    {
        return row >= 0 && row < m_pids.size() ? m_snapshot.session(m_pids[row]) : nullptr;
    }

    int SessionTableModel::rowOfPid(int pid) const
    {
        return m_rows.value(pid, -1);
    }

    int SessionTableModel::rowCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : int(m_pids.size());
    }

    int SessionTableModel::columnCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : NB_COLUMNS;
    }

    QVariant SessionTableModel::data(const QModelIndex &index, int role) const
    {
        const BackendSession *s = index.isValid() ? sessionAt(index.row()) : nullptr;
        if (!s)
            return {};
        const QDateTime &now = m_snapshot.capturedAt;
        const qint64 waitMs = s->waitMs(now);
        const qint64 xactMs = s->transactionStart.isValid() ? s->transactionStart.msecsTo(now) : 0;
        switch (role)
        {
        case PidRole:
            return s->pid;
        case WaitMsRole:
            return waitMs;
        case Qt::BackgroundRole:
            return lockstyle::sessionBackground(*s, m_snapshot, m_settings);
        case Qt::ToolTipRole:
            return s->toText(now);
        case Qt::TextAlignmentRole:
            if (index.column() == Pid || index.column() == Locks || index.column() == Waiting || index.column() == TransactionAge)
                return int(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case SortRole:
            switch (Column(index.column()))
            {
            case Pid:
                return s->pid;
            case Waiting:
                return waitMs;
            case Locks:
                return s->lockCount;
            case TransactionAge:
                return xactMs;
            default:
                return data(index, Qt::DisplayRole);
            }
        case Qt::DisplayRole:
            break;
        default:
            return {};
        }
        switch (Column(index.column()))
        {
        case Pid:
            return s->pid;
        case User:
            return s->user;
        case Database:
            return s->database;
        case Application:
            return s->application;
        case Client:
            return s->clientAddress;
        case State:
            return lockstyle::stateText(*s);
        case WaitEvent:
            return s->waitEventType.isEmpty() ? QString() : QString(s->waitEventType + u'/' + s->waitEvent);
        case Waiting:
            return lockstyle::duration(waitMs);
        case Locks:
            return s->lockCount ? QVariant(s->lockCount) : QVariant();
        case TransactionAge:
            return lockstyle::duration(xactMs);
        case Query:
            return lockstyle::oneLine(s->query);
        case NB_COLUMNS:
            break;
        }
        return {};
    }

    QVariant SessionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        static const QStringList titles{u"PID"_s,        u"User"_s,      u"Database"_s, u"Application"_s, u"Client"_s, u"State"_s,
                                        u"Wait event"_s, u"Lock wait"_s, u"Locks"_s,    u"Transaction"_s, u"Query"_s};
        return titles.value(section);
    }
}
