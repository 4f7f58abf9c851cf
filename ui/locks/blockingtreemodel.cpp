#include "ui/locks/blockingtreemodel.h"

#include "ui/locks/lockstyle.h"

#include <QFont>

#include <functional>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    BlockingTreeModel::BlockingTreeModel(QObject *parent)
        : QAbstractItemModel(parent)
        , m_root(std::make_unique<Node>())
    {
    }

    BlockingTreeModel::~BlockingTreeModel() = default;

    QList<int> BlockingTreeModel::childrenOf(int pid) const
    {
        if (pid == 0)
            return m_snapshot.tree.roots;
        const BlockingNode *n = m_snapshot.tree.node(pid);
        return n ? n->children : QList<int>{};
    }

    void BlockingTreeModel::update(const LockSnapshot &snapshot)
    {
        m_snapshot = snapshot;
        sync(m_root.get(), m_snapshot.tree.roots);
    }

    void BlockingTreeModel::clear()
    {
        update(LockSnapshot{});
    }

    void BlockingTreeModel::build(Node *node)
    {
        for (int pid : childrenOf(node->pid))
        {
            auto child = std::make_unique<Node>();
            child->pid = pid;
            child->parent = node;
            build(child.get());
            node->children.push_back(std::move(child));
        }
    }

    void BlockingTreeModel::sync(Node *node, const QList<int> &wanted)
    {
        const QModelIndex parentIndex = node == m_root.get() ? QModelIndex() : indexOf(node);
        // Rows that ended go, from the back so row numbers stay valid.
        for (int row = int(node->children.size()) - 1; row >= 0; --row)
        {
            if (wanted.contains(node->children[size_t(row)]->pid))
                continue;
            beginRemoveRows(parentIndex, row, row);
            node->children.erase(node->children.begin() + row);
            endRemoveRows();
        }
        // Rows that stayed are refreshed in place, their subtrees synced.
        QList<int> present;
        for (auto &child : node->children)
        {
            present << child->pid;
            sync(child.get(), childrenOf(child->pid));
        }
        if (!node->children.empty())
            emit dataChanged(index(0, 0, parentIndex), index(int(node->children.size()) - 1, NB_COLUMNS - 1, parentIndex));
        // New rows are appended, whole subtrees at once.
        QList<int> added;
        for (int pid : wanted)
            if (!present.contains(pid))
                added << pid;
        if (added.isEmpty())
            return;
        const int first = int(node->children.size());
        beginInsertRows(parentIndex, first, first + int(added.size()) - 1);
        for (int pid : added)
        {
            auto child = std::make_unique<Node>();
            child->pid = pid;
            child->parent = node;
            build(child.get());
            node->children.push_back(std::move(child));
        }
        endInsertRows();
    }

    BlockingTreeModel::Node *BlockingTreeModel::nodeOf(const QModelIndex &index) const
    {
        return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
    }

    QModelIndex BlockingTreeModel::indexOf(Node *node, int column) const
    {
        if (!node || node == m_root.get())
            return {};
        const auto &siblings = node->parent->children;
        for (size_t row = 0; row < siblings.size(); ++row)
            if (siblings[row].get() == node)
                return createIndex(int(row), column, node);
        return {};
    }

    QModelIndex BlockingTreeModel::indexOfPid(int pid) const
    {
        std::function<Node *(Node *)> find = [&](Node *n) -> Node * {
            for (auto &c : n->children)
            {
                if (c->pid == pid)
                    return c.get();
                if (Node *f = find(c.get()))
                    return f;
            }
            return nullptr;
        };
        return indexOf(find(m_root.get()));
    }

    QModelIndex BlockingTreeModel::index(int row, int column, const QModelIndex &parent) const
    {
        Node *p = nodeOf(parent);
        if (row < 0 || column < 0 || column >= NB_COLUMNS || size_t(row) >= p->children.size())
            return {};
        return createIndex(row, column, p->children[size_t(row)].get());
    }

    QModelIndex BlockingTreeModel::parent(const QModelIndex &child) const
    {
        if (!child.isValid())
            return {};
        return indexOf(nodeOf(child)->parent);
    }

    int BlockingTreeModel::rowCount(const QModelIndex &parent) const
    {
        if (parent.isValid() && parent.column() != 0)
            return 0;
        return int(nodeOf(parent)->children.size());
    }

    int BlockingTreeModel::columnCount(const QModelIndex &) const
    {
        return NB_COLUMNS;
    }

    QVariant BlockingTreeModel::data(const QModelIndex &index, int role) const
    {
        if (!index.isValid())
            return {};
        const Node *node = nodeOf(index);
        const BackendSession *s = m_snapshot.session(node->pid);
        const BlockingNode *bn = m_snapshot.tree.node(node->pid);
        const HeldLock *awaited = m_snapshot.awaitedLock(node->pid);
        const qint64 waitMs = s ? s->waitMs(m_snapshot.capturedAt) : 0;
        const bool isRoot = node->parent == m_root.get();
        switch (role)
        {
        case PidRole:
            return node->pid;
        case WaitMsRole:
            return waitMs;
        case InCycleRole:
            return bn && bn->inCycle;
        case IdleInTransactionRole:
            return s && s->isIdleInTransactionHoldingLocks();
        case Qt::BackgroundRole:
            return s ? lockstyle::sessionBackground(*s, m_snapshot, m_settings) : QVariant();
        case Qt::FontRole:
            if (isRoot && index.column() == Pid)
            {
                QFont f;
                f.setBold(true);
                return f;
            }
            return {};
        case Qt::ToolTipRole:
            return s ? s->toText(m_snapshot.capturedAt) : QVariant();
        case Qt::DisplayRole:
            break;
        default:
            return {};
        }
        switch (Column(index.column()))
        {
        case Pid:
            if (isRoot && bn)
                return (bn->inCycle ? u"⟲ %1"_s : u"%1"_s).arg(node->pid);
            return node->pid;
        case User:
            return s ? s->user : QString();
        case Application:
            return s ? s->application : QString();
        case State:
            if (!s)
                return u"(gone)"_s;
            if (isRoot && bn)
                return QString(lockstyle::stateText(*s) + u" · blocks %1"_s.arg(bn->blockedCount));
            return lockstyle::stateText(*s);
        case Wait:
            if (isRoot && bn && !waitMs)
                return bn->longestWaitMs ? u"max %1"_s.arg(lockstyle::duration(bn->longestWaitMs)) : QString();
            return lockstyle::duration(waitMs);
        case Mode:
            return awaited ? awaited->mode : QString();
        case Target:
            if (awaited)
            {
                QString t = awaited->target();
                if (bn && !bn->otherBlockers.isEmpty())
                {
                    QStringList others;
                    for (int o : bn->otherBlockers)
                        others << QString::number(o);
                    t += u"  (also blocked by %1)"_s.arg(others.join(u", "_s));
                }
                return t;
            }
            return {};
        case Query:
            return s ? lockstyle::oneLine(s->query) : QString();
        case NB_COLUMNS:
            break;
        }
        return {};
    }

    QVariant BlockingTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        static const QStringList titles{u"PID"_s,     u"User"_s,      u"Application"_s, u"State"_s,
                                        u"Waiting"_s, u"Lock mode"_s, u"Waits for"_s,   u"Query"_s};
        return titles.value(section);
    }
}
