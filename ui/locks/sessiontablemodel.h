#pragma once

#include "core/locks/locksettings.h"
#include "core/locks/locksnapshot.h"

#include <QAbstractTableModel>
#include <QHash>

namespace dbops
{
    /// Every session of a LockSnapshot as a table row, keyed by pid. update() removes the rows of
    /// sessions that ended, refreshes the others in place and appends new ones: no reset, so
    /// selection and scroll position survive refreshes (STYLE M1).
    class SessionTableModel final : public QAbstractTableModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(SessionTableModel)

    public:
        enum Column
        {
            Pid,
            User,
            Database,
            Application,
            Client,
            State,
            WaitEvent,
            Waiting,
            Locks,
            TransactionAge,
            Query,
            NB_COLUMNS
        };
        enum Role
        {
            PidRole = Qt::UserRole, ///< int
            SortRole,               ///< numbers for numeric columns, text otherwise
            WaitMsRole              ///< qint64
        };

        explicit SessionTableModel(QObject *parent = nullptr);

        void update(const LockSnapshot &snapshot);
        void setSettings(const LockSettings &settings) { m_settings = settings; }
        const LockSnapshot &snapshot() const { return m_snapshot; }
        const BackendSession *sessionAt(int row) const;
        int rowOfPid(int pid) const;

        int rowCount(const QModelIndex &parent = {}) const override;
        int columnCount(const QModelIndex &parent = {}) const override;
        QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
        QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    private:
        QList<int> m_pids; ///< row -> pid
        QHash<int, int> m_rows;
        LockSnapshot m_snapshot;
        LockSettings m_settings;
    };
}
