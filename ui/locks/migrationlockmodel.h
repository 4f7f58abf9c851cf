#pragma once

#include "core/locks/locksnapshot.h"

#include <QAbstractTableModel>

namespace dbops
{
    /// The recognised migration locks: who holds each, since when, who waits. Rows are keyed by
    /// (database, key) and updated in place.
    class MigrationLockModel final : public QAbstractTableModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(MigrationLockModel)

    public:
        enum Column
        {
            Lock,
            Holder,
            Since,
            Waiting,
            NB_COLUMNS
        };
        enum Role
        {
            HolderPidRole = Qt::UserRole ///< int, 0 when not held
        };

        explicit MigrationLockModel(QObject *parent = nullptr);

        void update(const LockSnapshot &snapshot);

        int rowCount(const QModelIndex &parent = {}) const override;
        int columnCount(const QModelIndex &parent = {}) const override;
        QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
        QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    private:
        static QString keyOf(const MigrationLockState &state);
        QList<MigrationLockState> m_rows;
        LockSnapshot m_snapshot;
    };
}
