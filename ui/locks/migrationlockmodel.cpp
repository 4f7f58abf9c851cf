#include "ui/locks/migrationlockmodel.h"

#include "ui/locks/lockstyle.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    MigrationLockModel::MigrationLockModel(QObject *parent)
        : QAbstractTableModel(parent)
    {
    }

    QString MigrationLockModel::keyOf(const MigrationLockState &state)
    {
        return state.database + u'/' + QString::number(state.key);
    }

    void MigrationLockModel::update(const LockSnapshot &snapshot)
    {
        m_snapshot = snapshot;
        QHash<QString, MigrationLockState> incoming;
        for (const MigrationLockState &m : snapshot.migrationLocks)
            incoming.insert(keyOf(m), m);
        for (int row = int(m_rows.size()) - 1; row >= 0; --row)
            if (!incoming.contains(keyOf(m_rows[row])))
            {
                beginRemoveRows({}, row, row);
                m_rows.removeAt(row);
                endRemoveRows();
            }
        for (MigrationLockState &m : m_rows)
            m = incoming.take(keyOf(m));
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, NB_COLUMNS - 1));
        QList<MigrationLockState> added;
        for (const MigrationLockState &m : snapshot.migrationLocks)
            if (incoming.contains(keyOf(m)))
                added << m;
        if (added.isEmpty())
            return;
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size()) - 1);
        m_rows << added;
        endInsertRows();
    }

    int MigrationLockModel::rowCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

    int MigrationLockModel::columnCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : NB_COLUMNS;
    }

    QVariant MigrationLockModel::data(const QModelIndex &index, int role) const
    {
        if (!index.isValid() || index.row() >= m_rows.size())
            return {};
        const MigrationLockState &m = m_rows[index.row()];
        const BackendSession *holder = m_snapshot.session(m.holderPid);
        if (role == HolderPidRole)
            return m.holderPid;
        if (role == Qt::ToolTipRole)
            return u"advisory key %1 in %2"_s.arg(m.key).arg(m.database);
        if (role != Qt::DisplayRole)
            return {};
        switch (Column(index.column()))
        {
        case Lock:
            return m.name;
        case Holder:
            if (!m.holderPid)
                return u"—"_s;
            return holder ? u"%1 · %2 · %3"_s.arg(m.holderPid).arg(holder->user, holder->application) : QString::number(m.holderPid);
        case Since:
            return m.holderSince.isValid()
                       ? QString(m.holderSince.toLocalTime().toString(u"HH:mm:ss"_s)
                                 + u" (%1 ago)"_s.arg(lockstyle::duration(m.holderSince.msecsTo(m_snapshot.capturedAt))))
                       : QString();
        case Waiting: {
            QStringList w;
            for (int pid : m.waiters)
            {
                const BackendSession *s = m_snapshot.session(pid);
                w << (s ? u"%1 (%2, %3)"_s.arg(pid).arg(s->application, lockstyle::duration(s->waitMs(m_snapshot.capturedAt)))
                        : QString::number(pid));
            }
            return w.isEmpty() ? u"nobody"_s : w.join(u", "_s);
        }
        case NB_COLUMNS:
            break;
        }
        return {};
    }

    QVariant MigrationLockModel::headerData(int section, Qt::Orientation orientation, int role) const
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        static const QStringList titles{u"Migration lock"_s, u"Held by"_s, u"Holder connected"_s, u"Waiting"_s};
        return titles.value(section);
    }
}
