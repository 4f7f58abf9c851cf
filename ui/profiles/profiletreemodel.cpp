#include "ui/profiles/profiletreemodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QPainter>
#include <QPixmap>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        constexpr quintptr kGroupId = 0; ///< internalId of a group row; a profile's is group + 1

        QString groupTitle(Environment env)
        {
            return toString(env).toUpper();
        }
    }

    ProfileTreeModel::ProfileTreeModel(QObject *parent)
        : QAbstractItemModel(parent)
    {
    }

    void ProfileTreeModel::setProfiles(const QList<ConnectionProfile> &profiles)
    {
        beginResetModel();
        m_groups.clear();
        for (Environment env : {Environment::Development, Environment::Staging, Environment::Production, Environment::Other})
        {
            Group g{env, {}};
            for (const ConnectionProfile &p : profiles)
                if (p.environment == env)
                    g.profiles.append(p);
            std::sort(g.profiles.begin(), g.profiles.end(), [](const ConnectionProfile &a, const ConnectionProfile &b) {
                return QString::localeAwareCompare(a.name, b.name) < 0;
            });
            if (!g.profiles.isEmpty())
                m_groups.append(g);
        }
        endResetModel();
    }

    void ProfileTreeModel::setConnectedProfile(const QString &name)
    {
        if (name == m_connected)
            return;
        const QString previous = m_connected;
        m_connected = name;
        emitChanged(previous);
        emitChanged(name);
    }

    void ProfileTreeModel::emitChanged(const QString &name)
    {
        const QModelIndex i = indexOfProfile(name);
        if (i.isValid())
            emit dataChanged(i, i);
    }

    QList<Environment> ProfileTreeModel::groups() const
    {
        QList<Environment> out;
        for (const Group &g : m_groups)
            out.append(g.environment);
        return out;
    }

    QModelIndex ProfileTreeModel::index(int row, int column, const QModelIndex &parent) const
    {
        if (column < 0 || column >= NB_COLUMNS || row < 0)
            return {};
        if (!parent.isValid())
            return row < m_groups.size() ? createIndex(row, column, kGroupId) : QModelIndex();
        if (parent.internalId() != kGroupId || parent.row() >= m_groups.size())
            return {};
        if (row >= m_groups.at(parent.row()).profiles.size())
            return {};
        return createIndex(row, column, quintptr(parent.row()) + 1);
    }

    QModelIndex ProfileTreeModel::parent(const QModelIndex &child) const
    {
        if (!child.isValid() || child.internalId() == kGroupId)
            return {};
        return createIndex(int(child.internalId() - 1), 0, kGroupId);
    }

    int ProfileTreeModel::rowCount(const QModelIndex &parent) const
    {
        if (!parent.isValid())
            return int(m_groups.size());
        if (parent.internalId() == kGroupId && parent.column() == 0 && parent.row() < m_groups.size())
            return int(m_groups.at(parent.row()).profiles.size());
        return 0;
    }

    int ProfileTreeModel::columnCount(const QModelIndex &) const
    {
        return NB_COLUMNS;
    }

    Qt::ItemFlags ProfileTreeModel::flags(const QModelIndex &index) const
    {
        if (!index.isValid())
            return Qt::NoItemFlags;
        if (index.internalId() == kGroupId)
            return Qt::ItemIsEnabled;
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    }

    const ConnectionProfile *ProfileTreeModel::profile(const QModelIndex &index) const
    {
        if (!index.isValid() || index.internalId() == kGroupId)
            return nullptr;
        const int g = int(index.internalId() - 1);
        if (g >= m_groups.size() || index.row() >= m_groups.at(g).profiles.size())
            return nullptr;
        return &m_groups.at(g).profiles.at(index.row());
    }

    const ConnectionProfile *ProfileTreeModel::profile(const QString &name) const
    {
        return profile(indexOfProfile(name));
    }

    QModelIndex ProfileTreeModel::indexOfProfile(const QString &name) const
    {
        if (name.isEmpty())
            return {};
        for (int g = 0; g < m_groups.size(); ++g)
            for (int r = 0; r < m_groups.at(g).profiles.size(); ++r)
                if (m_groups.at(g).profiles.at(r).name == name)
                    return createIndex(r, 0, quintptr(g) + 1);
        return {};
    }

    QIcon ProfileTreeModel::icon(Environment env, bool group) const
    {
        const int size = 12;
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(environmentColor(env)));
        if (group)
            painter.drawRoundedRect(QRectF(1, 1, size - 2, size - 2), 2, 2);
        else
            painter.drawEllipse(QRectF(2, 2, size - 4, size - 4));
        return QIcon(pixmap);
    }

    QVariant ProfileTreeModel::data(const QModelIndex &index, int role) const
    {
        if (!index.isValid())
            return {};
        if (index.internalId() == kGroupId)
        {
            if (index.row() >= m_groups.size())
                return {};
            const Group &g = m_groups.at(index.row());
            switch (role)
            {
            case Qt::DisplayRole:
                return u"%1  (%2)"_s.arg(groupTitle(g.environment)).arg(g.profiles.size());
            case Qt::DecorationRole:
                return icon(g.environment, true);
            case Qt::ForegroundRole:
                return QBrush(QColor(environmentColor(g.environment)));
            case Qt::FontRole: {
                QFont f;
                f.setBold(true);
                f.setPointSizeF(f.pointSizeF() * 0.9);
                return f;
            }
            case EnvironmentRole:
                return int(g.environment);
            case IsGroupRole:
                return true;
            default:
                return {};
            }
        }
        const ConnectionProfile *p = profile(index);
        if (!p)
            return {};
        switch (role)
        {
        case Qt::DisplayRole:
            return p->name;
        case Qt::DecorationRole:
            return icon(p->environment, false);
        case Qt::ToolTipRole: {
            QString tip =
                u"<b>%1</b> — %2<br>%3"_s.arg(p->name.toHtmlEscaped(), toString(p->environment), p->targetDescription().toHtmlEscaped());
            if (!p->project.isEmpty())
                tip += u"<br>project: %1"_s.arg(p->project.toHtmlEscaped());
            if (p->managedSandbox)
                tip += u"<br>managed by dbops: started on demand"_s;
            return tip;
        }
        case Qt::FontRole:
            if (p->name == m_connected)
            {
                QFont f;
                f.setBold(true);
                return f;
            }
            return {};
        case ProfileNameRole:
            return p->name;
        case EnvironmentRole:
            return int(p->environment);
        case IsGroupRole:
            return false;
        case TargetRole:
            return p->targetDescription();
        case ConnectedRole:
            return p->name == m_connected;
        default:
            return {};
        }
    }
}
