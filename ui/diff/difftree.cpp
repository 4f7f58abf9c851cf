#include "ui/diff/difftree.h"

#include "core/schema/selection.h"

#include <QApplication>
#include <QHash>
#include <QMap>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        using Node = DiffTree::Node;
        using schema::Change;
        using schema::ObjectKind;

        using schema::isPart;

        QString schemaOf(const schema::SchemaObject *o)
        {
            if (!o)
                return u"(database)"_s;
            if (o->kind == ObjectKind::Schema)
                return o->name;
            return o->schema.isEmpty() ? u"(database)"_s : o->schema;
        }

        QString hazardText(const Change &c)
        {
            QStringList words;
            for (const schema::HazardNote &h : c.hazards)
                words << (h.detail.isEmpty() ? schema::toString(h.hazard) : schema::toString(h.hazard) + u": "_s + h.detail);
            return words.join(u"; "_s);
        }

        bool isHazardous(const Change &c)
        {
            // A lock alone is every DDL's: it does not make a change hazardous by itself.
            return std::any_of(c.hazards.cbegin(), c.hazards.cend(),
                               [](const schema::HazardNote &h) { return h.hazard != schema::Hazard::Lock; });
        }
    }

    DiffTree buildDiffTree(const ops::Comparison &comparison)
    {
        const schema::SchemaDiff &diff = comparison.outcome.diff;
        const schema::Snapshot &from = comparison.comparedFrom();
        const schema::Snapshot &to = comparison.comparedTo();
        DiffTree tree;
        tree.changes = int(diff.changes.size());
        const auto add = [&](Node n, int parent) {
            n.parent = parent;
            const int id = int(tree.nodes.size());
            QList<int> &siblings = parent < 0 ? tree.roots : tree.nodes[parent].children;
            n.row = int(siblings.size());
            siblings << id;
            tree.nodes << n;
            return id;
        };
        if (!diff.possibleRenames.isEmpty())
        {
            Node group;
            group.type = Node::Type::RenameGroup;
            group.text = u"Possible renames (%1): accept one, or keep it as a drop and an add"_s.arg(diff.possibleRenames.size());
            group.word = u"possible rename"_s;
            const int g = add(group, -1);
            for (int i = 0; i < diff.possibleRenames.size(); ++i)
            {
                const schema::RenameCandidate &r = diff.possibleRenames[i];
                Node n;
                n.type = Node::Type::Rename;
                n.change = i;
                n.text = u"%1 %2 → %3"_s.arg(schema::toString(r.kind), r.from, r.to);
                n.word = u"possible rename"_s;
                n.changeType = Change::Type::Renamed;
                n.hazards = u"taken as a drop and an add, the data of %1 is lost"_s.arg(r.from);
                n.hazardous = true;
                add(n, g);
            }
        }

        // schema -> kind -> leaves (changes first, in the diff's order, then what did not change).
        struct Leaf
        {
            ObjectKind kind;
            Node node;
        };
        QMap<QString, QList<Leaf>> bySchema;
        QSet<QString> changed;
        for (int i = 0; i < diff.changes.size(); ++i)
        {
            const Change &c = diff.changes[i];
            changed.insert(c.id);
            if (!c.fromId.isEmpty())
                changed.insert(c.fromId);
            const schema::SchemaObject *o = to.find(c.id);
            if (!o)
                o = from.find(c.fromId.isEmpty() ? c.id : c.fromId);
            Node n;
            n.type = Node::Type::Change;
            n.change = i;
            n.changeType = c.type;
            n.word = schema::toString(c.type);
            n.text = c.object;
            if (!c.caseOnlyLabels.isEmpty())
            {
                QStringList pairs;
                for (const auto &[a, b] : c.caseOnlyLabels)
                    pairs << a + u" → "_s + b;
                n.text += u" — labels differ only in case: "_s + pairs.join(u", "_s);
                n.word = u"altered (case only)"_s;
            }
            else if (c.type == Change::Type::Altered && !c.attributes.isEmpty())
                n.text += u" ("_s + c.attributes.join(u", "_s) + u')';
            n.hazards = hazardText(c);
            n.hazardous = isHazardous(c);
            bySchema[schemaOf(o)] << Leaf{c.kind, n};
        }
        for (const schema::SchemaObject &o : to.objects)
        {
            if (isPart(o.kind) || changed.contains(o.id()))
                continue;
            Node n;
            n.type = Node::Type::Same;
            n.text = o.displayName();
            n.word = u"same"_s;
            bySchema[schemaOf(&o)] << Leaf{o.kind, n};
        }
        for (auto s = bySchema.cbegin(); s != bySchema.cend(); ++s)
        {
            Node schemaNode;
            schemaNode.type = Node::Type::Schema;
            const int sn = add(schemaNode, -1);
            int changes = 0, hazardous = 0;
            for (ObjectKind kind : schema::allKinds())
            {
                int kn = -1, kindChanges = 0, kindHazardous = 0;
                for (const Leaf &leaf : s.value())
                {
                    if (leaf.kind != kind)
                        continue;
                    if (kn < 0)
                    {
                        Node kindNode;
                        kindNode.type = Node::Type::Kind;
                        kn = add(kindNode, sn);
                    }
                    add(leaf.node, kn);
                    if (leaf.node.type == Node::Type::Change)
                    {
                        ++kindChanges;
                        kindHazardous += leaf.node.hazardous ? 1 : 0;
                    }
                }
                if (kn < 0)
                    continue;
                Node &k = tree.nodes[kn];
                k.text = schema::toString(kind);
                k.word = kindChanges ? u"%1 changed"_s.arg(kindChanges) : u"same"_s;
                k.hazards = kindHazardous ? u"%1 hazardous"_s.arg(kindHazardous) : QString();
                k.hazardous = kindHazardous > 0;
                changes += kindChanges;
                hazardous += kindHazardous;
            }
            Node &sNode = tree.nodes[sn];
            sNode.text = s.key();
            sNode.word = changes ? u"%1 changed"_s.arg(changes) : u"same"_s;
            sNode.hazards = hazardous ? u"%1 hazardous"_s.arg(hazardous) : QString();
            sNode.hazardous = hazardous > 0;
        }
        return tree;
    }

    namespace diffstyle
    {
        QString glyph(Change::Type type)
        {
            switch (type)
            {
            case Change::Type::Added:
                return u"+"_s;
            case Change::Type::Removed:
                return u"−"_s;
            case Change::Type::Altered:
                return u"~"_s;
            case Change::Type::Renamed:
                return u"→"_s;
            }
            return {};
        }

        namespace
        {
            QColor accent(int which)
            {
                // Dark enough for white glyphs, distinct in both themes; the glyph and the shape carry
                // the meaning, the colour only helps.
                switch (which)
                {
                case 0:
                    return QColor(0x1a, 0x7f, 0x37); // added: green circle
                case 1:
                    return QColor(0xcf, 0x22, 0x2e); // removed: red square
                case 2:
                    return QColor(0xa0, 0x5a, 0x00); // altered: amber diamond
                case 3:
                    return QColor(0x09, 0x69, 0xda); // renamed: blue
                default:
                    return QColor(0x8c, 0x95, 0x9f); // same: grey ring
                }
            }

            QIcon paintIcon(int which, const QString &glyph)
            {
                QIcon icon;
                for (int size : {16, 20, 24})
                    for (qreal dpr : {1.0, 2.0})
                    {
                        QPixmap pm(QSize(size, size) * dpr);
                        pm.setDevicePixelRatio(dpr);
                        pm.fill(Qt::transparent);
                        QPainter p(&pm);
                        p.setRenderHint(QPainter::Antialiasing);
                        const QColor c = accent(which);
                        const QRectF r(1.5, 1.5, size - 3, size - 3);
                        QPainterPath shape;
                        if (which == 1)
                            shape.addRoundedRect(r, 2, 2);
                        else if (which == 2)
                        {
                            shape.moveTo(r.center().x(), r.top());
                            shape.lineTo(r.right(), r.center().y());
                            shape.lineTo(r.center().x(), r.bottom());
                            shape.lineTo(r.left(), r.center().y());
                            shape.closeSubpath();
                        }
                        else
                            shape.addEllipse(r);
                        p.setPen(QPen(c, 1.6));
                        p.setBrush(which == 4 ? QBrush(Qt::transparent) : QBrush(c));
                        p.drawPath(shape);
                        QFont f = p.font();
                        f.setBold(true);
                        f.setPixelSize(int(size * 0.7));
                        p.setFont(f);
                        p.setPen(which == 4 ? c : QColor(Qt::white));
                        p.drawText(r, Qt::AlignCenter, glyph);
                    }
                return icon;
            }
        }

        QIcon icon(Change::Type type)
        {
            static QHash<int, QIcon> cache;
            if (!cache.contains(int(type)))
                cache.insert(int(type), paintIcon(int(type), glyph(type)));
            return cache.value(int(type));
        }

        QIcon sameIcon()
        {
            static const QIcon same = paintIcon(4, u"="_s);
            return same;
        }
    }

    DiffTreeModel::DiffTreeModel(QObject *parent)
        : QAbstractItemModel(parent)
    {
    }

    void DiffTreeModel::setTree(DiffTree tree, const QSet<int> &checked)
    {
        beginResetModel();
        m_tree = std::move(tree);
        m_checked = checked;
        m_nodeOfChange.clear();
        for (int i = 0; i < m_tree.nodes.size(); ++i)
            if (m_tree.nodes[i].type == DiffTree::Node::Type::Change)
                m_nodeOfChange.insert(m_tree.nodes[i].change, i);
        endResetModel();
    }

    void DiffTreeModel::setChecked(const QSet<int> &checked)
    {
        const QSet<int> before = m_checked;
        m_checked = checked;
        for (auto it = m_nodeOfChange.cbegin(); it != m_nodeOfChange.cend(); ++it)
            if (before.contains(it.key()) != checked.contains(it.key()))
            {
                const QModelIndex i = createIndex(m_tree.nodes[it.value()].row, ObjectColumn, quintptr(it.value()));
                emit dataChanged(i, i, {Qt::CheckStateRole});
            }
    }

    QModelIndex DiffTreeModel::indexOfChange(int change) const
    {
        const auto it = m_nodeOfChange.constFind(change);
        if (it == m_nodeOfChange.cend())
            return {};
        return createIndex(m_tree.nodes[*it].row, ObjectColumn, quintptr(*it));
    }

    const DiffTree::Node *DiffTreeModel::node(const QModelIndex &index) const
    {
        if (!index.isValid() || index.internalId() >= quintptr(m_tree.nodes.size()))
            return nullptr;
        return &m_tree.nodes[int(index.internalId())];
    }

    QModelIndex DiffTreeModel::index(int row, int column, const QModelIndex &parent) const
    {
        if (column < 0 || column >= NB_COLUMNS || row < 0)
            return {};
        const QList<int> &children = parent.isValid() ? m_tree.nodes[int(parent.internalId())].children : m_tree.roots;
        if (row >= children.size())
            return {};
        return createIndex(row, column, quintptr(children[row]));
    }

    QModelIndex DiffTreeModel::parent(const QModelIndex &child) const
    {
        const DiffTree::Node *n = node(child);
        if (!n || n->parent < 0)
            return {};
        return createIndex(m_tree.nodes[n->parent].row, 0, quintptr(n->parent));
    }

    int DiffTreeModel::rowCount(const QModelIndex &parent) const
    {
        if (parent.column() > 0)
            return 0;
        if (!parent.isValid())
            return int(m_tree.roots.size());
        const DiffTree::Node *n = node(parent);
        return n ? int(n->children.size()) : 0;
    }

    int DiffTreeModel::columnCount(const QModelIndex &) const
    {
        return NB_COLUMNS;
    }

    QVariant DiffTreeModel::data(const QModelIndex &index, int role) const
    {
        const DiffTree::Node *n = node(index);
        if (!n)
            return {};
        using Type = DiffTree::Node::Type;
        switch (role)
        {
        case Qt::DisplayRole:
        case Qt::ToolTipRole:
            switch (index.column())
            {
            case ObjectColumn:
                return n->text;
            case ChangeColumn:
                return n->type == Type::Change ? diffstyle::glyph(n->changeType) + u' ' + n->word : n->word;
            case HazardColumn:
                return n->hazards;
            }
            return {};
        case Qt::DecorationRole:
            if (index.column() != ObjectColumn)
                return {};
            if (n->type == Type::Change || n->type == Type::Rename)
                return diffstyle::icon(n->changeType);
            if (n->type == Type::Same)
                return diffstyle::sameIcon();
            return {};
        case Qt::CheckStateRole:
            if (index.column() == ObjectColumn && n->type == Type::Change)
                return m_checked.contains(n->change) ? Qt::Checked : Qt::Unchecked;
            return {};
        case Qt::FontRole:
            if (n->type == Type::Schema || n->type == Type::RenameGroup)
            {
                QFont f;
                f.setBold(true);
                return f;
            }
            return {};
        case Qt::ForegroundRole:
            if (n->type == Type::Same)
                return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
            return {};
        case ChangeIndexRole:
            return n->type == Type::Change ? n->change : -1;
        case RenameIndexRole:
            return n->type == Type::Rename ? n->change : -1;
        case HazardousRole:
            return n->hazardous;
        case DifferentRole:
            return n->type == Type::Change || n->type == Type::Rename;
        case NodeTypeRole:
            return int(n->type);
        default:
            return {};
        }
    }

    bool DiffTreeModel::setData(const QModelIndex &index, const QVariant &value, int role)
    {
        const DiffTree::Node *n = node(index);
        if (!n || role != Qt::CheckStateRole || n->type != DiffTree::Node::Type::Change)
            return false;
        emit checkRequested(n->change, value.toInt() == Qt::Checked);
        return true;
    }

    Qt::ItemFlags DiffTreeModel::flags(const QModelIndex &index) const
    {
        const DiffTree::Node *n = node(index);
        if (!n)
            return Qt::NoItemFlags;
        Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
        if (n->type == DiffTree::Node::Type::Change && index.column() == ObjectColumn)
            f |= Qt::ItemIsUserCheckable;
        return f;
    }

    QVariant DiffTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        switch (section)
        {
        case ObjectColumn:
            return u"Object"_s;
        case ChangeColumn:
            return u"Change"_s;
        case HazardColumn:
            return u"Hazards"_s;
        }
        return {};
    }

    DiffFilterModel::DiffFilterModel(QObject *parent)
        : QSortFilterProxyModel(parent)
    {
        setRecursiveFilteringEnabled(true);
        setFilterCaseSensitivity(Qt::CaseInsensitive);
    }

    void DiffFilterModel::setOnlyDifferent(bool on)
    {
        m_onlyDifferent = on;
        invalidateFilter();
    }

    void DiffFilterModel::setOnlyHazardous(bool on)
    {
        m_onlyHazardous = on;
        invalidateFilter();
    }

    void DiffFilterModel::setText(const QString &text)
    {
        m_text = text.trimmed();
        invalidateFilter();
    }

    bool DiffFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
    {
        const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
        const auto type = DiffTree::Node::Type(i.data(DiffTreeModel::NodeTypeRole).toInt());
        using Type = DiffTree::Node::Type;
        if (type == Type::Schema || type == Type::Kind || type == Type::RenameGroup)
            return false; // shown when a row under it is (recursive filtering)
        if (m_onlyDifferent && !i.data(DiffTreeModel::DifferentRole).toBool())
            return false;
        if (m_onlyHazardous && !i.data(DiffTreeModel::HazardousRole).toBool())
            return false;
        if (!m_text.isEmpty())
        {
            const QString hay = i.data().toString() + u' '
                                + sourceModel()->index(sourceRow, DiffTreeModel::HazardColumn, sourceParent).data().toString() + u' '
                                + sourceModel()->index(sourceRow, DiffTreeModel::ChangeColumn, sourceParent).data().toString();
            if (!hay.contains(m_text, Qt::CaseInsensitive))
                return false;
        }
        return true;
    }
}
