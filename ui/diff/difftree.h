#pragma once

#include "core/ops/schemaops.h"

#include <QAbstractItemModel>
#include <QIcon>
#include <QList>
#include <QSet>
#include <QSortFilterProxyModel>

namespace dbops
{
    /// The drift view's tree as plain data, built off the GUI thread (a 2,000-table diff fills the
    /// model in one reset): schema, then object kind, then one row per change; objects that did
    /// not change are rows too (hidden by "only different"), and possible renames a group of their own.
    struct DiffTree
    {
        struct Node
        {
            enum class Type
            {
                Schema,
                Kind,
                Change,
                Same,
                RenameGroup,
                Rename,
            };
            Type type = Type::Schema;
            int parent = -1;
            int row = 0; ///< the position among the parent's children
            QList<int> children;
            QString text;    ///< the object column
            QString word;    ///< "added", "removed", "altered", "renamed", "same", "possible rename"
            QString hazards; ///< the hazards in words, "; "-joined
            int change = -1; ///< Change, Rename: the index into the diff's changes / possibleRenames
            schema::Change::Type changeType = schema::Change::Type::Altered;
            bool hazardous = false;
        };
        QList<Node> nodes;
        QList<int> roots;
        int changes = 0;
    };

    /// Builds the tree of a comparison. Pure; any thread.
    DiffTree buildDiffTree(const ops::Comparison &comparison);

    /// How each change type reads without colour: a shape with a glyph (+ − ~ →), and a word.
    namespace diffstyle
    {
        QString glyph(schema::Change::Type type);
        QIcon icon(schema::Change::Type type);
        QIcon sameIcon();
    }

    class DiffTreeModel final : public QAbstractItemModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(DiffTreeModel)

    public:
        enum Column
        {
            ObjectColumn,
            ChangeColumn,
            HazardColumn,
            NB_COLUMNS
        };
        enum Role
        {
            ChangeIndexRole = Qt::UserRole, ///< int: the change's index (-1: not a change row)
            RenameIndexRole,                ///< int: the possible rename's index (-1: none)
            HazardousRole,                  ///< bool
            DifferentRole,                  ///< bool: a change or a possible rename
            NodeTypeRole,                   ///< int: DiffTree::Node::Type
        };

        explicit DiffTreeModel(QObject *parent = nullptr);

        /// Replaces the tree (one reset) and which changes are checked.
        void setTree(DiffTree tree, const QSet<int> &checked);
        /// Sets which changes are checked (rows whose state changes are signalled).
        void setChecked(const QSet<int> &checked);
        const QSet<int> &checked() const { return m_checked; }
        const DiffTree &tree() const { return m_tree; }
        QModelIndex indexOfChange(int change) const;

        QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
        QModelIndex parent(const QModelIndex &child) const override;
        int rowCount(const QModelIndex &parent = {}) const override;
        int columnCount(const QModelIndex &parent = {}) const override;
        QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
        bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
        Qt::ItemFlags flags(const QModelIndex &index) const override;
        QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    signals:
        /// The person clicked a change's check box; the view decides (what it needs, what needs it).
        void checkRequested(int change, bool checked);

    private:
        const DiffTree::Node *node(const QModelIndex &index) const;

        DiffTree m_tree;
        QSet<int> m_checked;
        QHash<int, int> m_nodeOfChange;
    };

    /// The filters: only different (hides unchanged objects), only hazardous, and a text.
    class DiffFilterModel final : public QSortFilterProxyModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(DiffFilterModel)

    public:
        explicit DiffFilterModel(QObject *parent = nullptr);
        void setOnlyDifferent(bool on);
        void setOnlyHazardous(bool on);
        void setText(const QString &text);
        bool onlyDifferent() const { return m_onlyDifferent; }

    protected:
        bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

    private:
        bool m_onlyDifferent = true;
        bool m_onlyHazardous = false;
        QString m_text;
    };
}
