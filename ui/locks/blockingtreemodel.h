#pragma once

#include "core/locks/locksettings.h"
#include "core/locks/locksnapshot.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace dbops
{
    /// The blocking forest of a LockSnapshot: root blockers, then whom they block. update() syncs
    /// the tree in place (removes what ended, refreshes what stayed, appends what is new) and
    /// never resets, so views keep their selection and expansion across refreshes (STYLE M1).
    class BlockingTreeModel final : public QAbstractItemModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(BlockingTreeModel)

    public:
        enum Column
        {
            Pid,
            User,
            Application,
            State,
            Wait,
            Mode,
            Target,
            Query,
            NB_COLUMNS
        };
        enum Role
        {
            PidRole = Qt::UserRole, ///< int
            WaitMsRole,             ///< qint64 lock wait, 0 when not waiting
            InCycleRole,            ///< bool: part of a wait cycle
            IdleInTransactionRole   ///< bool: idle in transaction holding locks
        };

        explicit BlockingTreeModel(QObject *parent = nullptr);
        ~BlockingTreeModel() override;

        void update(const LockSnapshot &snapshot);
        void clear();
        void setSettings(const LockSettings &settings) { m_settings = settings; }
        const LockSnapshot &snapshot() const { return m_snapshot; }
        /// The index of the first node for pid (column 0), invalid when absent.
        QModelIndex indexOfPid(int pid) const;

        QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
        QModelIndex parent(const QModelIndex &child) const override;
        int rowCount(const QModelIndex &parent = {}) const override;
        int columnCount(const QModelIndex &parent = {}) const override;
        QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
        QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    private:
        struct Node
        {
            int pid = 0;
            Node *parent = nullptr;
            std::vector<std::unique_ptr<Node>> children;
        };

        Node *nodeOf(const QModelIndex &index) const;
        QModelIndex indexOf(Node *node, int column = 0) const;
        void sync(Node *node, const QList<int> &children);
        void build(Node *node);
        QList<int> childrenOf(int pid) const;

        std::unique_ptr<Node> m_root;
        LockSnapshot m_snapshot;
        LockSettings m_settings;
    };
}
