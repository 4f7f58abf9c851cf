#include "ui/timeline/envmatrixmodel.h"

#include "core/migrate/version.h"
#include "ui/timeline/statestyle.h"

#include <QFont>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        bool applied(MigrationState s)
        {
            return s == MigrationState::Applied || s == MigrationState::Baseline || s == MigrationState::ChecksumMismatch
                   || s == MigrationState::MissingFile;
        }
    }

    EnvMatrixModel::EnvMatrixModel(QObject *parent)
        : QAbstractTableModel(parent)
    {
    }

    void EnvMatrixModel::setProfiles(QList<ConnectionProfile> profiles)
    {
        std::stable_sort(profiles.begin(), profiles.end(), [](const ConnectionProfile &a, const ConnectionProfile &b) {
            if (a.environment != b.environment)
                return int(a.environment) < int(b.environment);
            return a.name < b.name;
        });
        beginResetModel();
        m_profiles = std::move(profiles);
        m_columns = QList<ColumnData>(m_profiles.size());
        m_versions.clear();
        m_descriptions.clear();
        endResetModel();
    }

    int EnvMatrixModel::profileIndex(const QString &name) const
    {
        for (int i = 0; i < m_profiles.size(); ++i)
            if (m_profiles.at(i).name == name)
                return i;
        return -1;
    }

    void EnvMatrixModel::setTimeline(int profileIndex, const Timeline &timeline)
    {
        if (profileIndex < 0 || profileIndex >= m_columns.size())
            return;
        ColumnData &c = m_columns[profileIndex];
        c.status = ColumnStatus::Loaded;
        c.error = {};
        c.passwordNeeded = false;
        c.currentVersion = timeline.currentVersion;
        c.cells.clear();
        for (const TimelineEntry &e : timeline.entries)
        {
            if (e.repeatable)
                continue;
            c.cells.insert(e.version, {e.state, e.mismatch});
            if (!m_descriptions.contains(e.version) || m_descriptions.value(e.version).isEmpty())
                m_descriptions.insert(e.version, e.description);
        }
        rebuildRows();
    }

    void EnvMatrixModel::setError(int profileIndex, const Error &error)
    {
        if (profileIndex < 0 || profileIndex >= m_columns.size())
            return;
        ColumnData &c = m_columns[profileIndex];
        c.status = ColumnStatus::Failed;
        c.error = error;
        c.passwordNeeded = false;
        c.cells.clear();
        rebuildRows();
    }

    void EnvMatrixModel::setPasswordNeeded(int profileIndex, const Error &error)
    {
        if (profileIndex < 0 || profileIndex >= m_columns.size())
            return;
        setError(profileIndex, error);
        m_columns[profileIndex].passwordNeeded = true;
        const int column = FirstEnvironment + profileIndex;
        emit headerDataChanged(Qt::Horizontal, column, column);
        if (!m_versions.isEmpty())
            emit dataChanged(index(0, column), index(int(m_versions.size()) - 1, column));
    }

    void EnvMatrixModel::setLoading(int profileIndex)
    {
        if (profileIndex < 0 || profileIndex >= m_columns.size())
            return;
        ColumnData &c = m_columns[profileIndex];
        c.status = ColumnStatus::Loading;
        c.error = {};
        c.passwordNeeded = false;
        c.cells.clear();
        rebuildRows();
    }

    void EnvMatrixModel::rebuildRows()
    {
        QStringList versions;
        for (const ColumnData &c : m_columns)
            for (auto it = c.cells.cbegin(); it != c.cells.cend(); ++it)
                if (!versions.contains(it.key()))
                    versions << it.key();
        std::sort(versions.begin(), versions.end(),
                  [](const QString &a, const QString &b) { return dbops::Version(a) < dbops::Version(b); });
        beginResetModel();
        m_versions = versions;
        endResetModel();
    }

    const EnvMatrixModel::Cell *EnvMatrixModel::cell(int row, int profileIndex) const
    {
        if (row < 0 || row >= m_versions.size() || profileIndex < 0 || profileIndex >= m_columns.size())
            return nullptr;
        auto it = m_columns.at(profileIndex).cells.constFind(m_versions.at(row));
        return it == m_columns.at(profileIndex).cells.constEnd() ? nullptr : &*it;
    }

    bool EnvMatrixModel::appliedAnywhereElse(const QString &version, int profileIndex) const
    {
        for (int i = 0; i < m_columns.size(); ++i)
        {
            if (i == profileIndex)
                continue;
            auto it = m_columns.at(i).cells.constFind(version);
            if (it != m_columns.at(i).cells.constEnd() && applied(it->state))
                return true;
        }
        return false;
    }

    QStringList EnvMatrixModel::missingIn(int profileIndex) const
    {
        QStringList out;
        if (profileIndex < 0 || profileIndex >= m_columns.size() || m_columns.at(profileIndex).status != ColumnStatus::Loaded)
            return out;
        for (const QString &v : m_versions)
        {
            auto it = m_columns.at(profileIndex).cells.constFind(v);
            const bool here = it != m_columns.at(profileIndex).cells.constEnd() && applied(it->state);
            if (!here && appliedAnywhereElse(v, profileIndex))
                out << v;
        }
        return out;
    }

    QStringList EnvMatrixModel::summary() const
    {
        QStringList lines;
        for (int i = 0; i < m_profiles.size(); ++i)
        {
            const QStringList missing = missingIn(i);
            if (!missing.isEmpty())
                lines << u"%1 is missing %2"_s.arg(
                    m_profiles.at(i).name, missing.size() > 6 ? missing.mid(0, 6).join(u", "_s) + u" and %1 more"_s.arg(missing.size() - 6)
                                                              : missing.join(u", "_s));
        }
        return lines;
    }

    int EnvMatrixModel::rowCount(const QModelIndex &parent) const
    {
        return parent.isValid() || m_profiles.isEmpty() ? 0 : int(m_versions.size()) + 1; // + the drift row
    }

    void EnvMatrixModel::setDrift(int profileIndex, const QString &text, const QString &detail, bool drift)
    {
        if (profileIndex < 0 || profileIndex >= m_columns.size())
            return;
        ColumnData &c = m_columns[profileIndex];
        c.drift = text;
        c.driftDetail = detail;
        c.drifted = drift;
        const QModelIndex i = index(driftRow(), FirstEnvironment + profileIndex);
        emit dataChanged(i, i);
    }

    int EnvMatrixModel::columnCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : FirstEnvironment + int(m_profiles.size());
    }

    QVariant EnvMatrixModel::data(const QModelIndex &index, int role) const
    {
        if (!index.isValid())
            return {};
        if (index.row() == driftRow())
        {
            if (index.column() < FirstEnvironment)
            {
                if (role == Qt::DisplayRole)
                    return index.column() == Version ? u"drift"_s : u"the schema versus what its applied migrations make"_s;
                if (role == Qt::FontRole)
                {
                    QFont f;
                    f.setItalic(true);
                    return f;
                }
                return {};
            }
            const ColumnData &col = m_columns.at(index.column() - FirstEnvironment);
            switch (role)
            {
            case Qt::DisplayRole:
                return col.drift;
            case Qt::ToolTipRole:
                return col.driftDetail;
            case Qt::ForegroundRole:
                return col.drifted ? QVariant(QColor(0xcf, 0x22, 0x2e)) : QVariant();
            case Qt::FontRole:
                if (col.drifted)
                {
                    QFont f;
                    f.setBold(true);
                    return f;
                }
                return {};
            case StateRole:
                return -1;
            case DriftRole:
                return col.drifted;
            default:
                return {};
            }
        }
        if (index.row() >= m_versions.size())
            return {};
        const QString &version = m_versions.at(index.row());
        if (index.column() < FirstEnvironment)
        {
            if (role == Qt::DisplayRole)
                return index.column() == Version ? version : m_descriptions.value(version);
            return {};
        }
        const int p = index.column() - FirstEnvironment;
        const ColumnData &col = m_columns.at(p);
        const Cell *c = cell(index.row(), p);
        const bool behind = col.status == ColumnStatus::Loaded && (!c || !applied(c->state)) && appliedAnywhereElse(version, p);
        switch (role)
        {
        case Qt::DisplayRole:
            if (col.status == ColumnStatus::Failed && col.passwordNeeded)
                return index.row() == 0 ? QVariant(u"🔒 %1 — Enter password… (double-click)"_s.arg(col.error.message.simplified()))
                                        : QVariant();
            if (col.status == ColumnStatus::Failed)
                return index.row() == 0 ? QVariant(u"✕ unreachable: "_s + col.error.message.simplified()) : QVariant();
            if (col.status == ColumnStatus::Loading)
                return index.row() == 0 ? QVariant(u"loading…"_s) : QVariant();
            if (!c)
                return u"— no file"_s;
            {
                const QString text = c->state == MigrationState::ChecksumMismatch && c->mismatch != MismatchKind::None
                                         ? u"Mismatch (%1)"_s.arg(toString(c->mismatch))
                                         : statestyle::label(c->state);
                return QString(text + (version == col.currentVersion ? u"  ◀ current"_s : QString()));
            }
        case Qt::DecorationRole:
            return c && col.status == ColumnStatus::Loaded ? QVariant(statestyle::icon(c->state)) : QVariant();
        case Qt::ForegroundRole:
            if (col.status == ColumnStatus::Failed)
                return statestyle::color(MigrationState::Failed);
            if (behind)
                return QColor(0xcf, 0x22, 0x2e);
            return c ? QVariant(statestyle::color(c->state)) : QVariant(QColor(0x8c, 0x95, 0x9f));
        case Qt::BackgroundRole:
            if (behind)
                return QColor(0xff, 0xf1, 0xe5);
            return {};
        case Qt::FontRole:
            if (behind || (c && version == col.currentVersion))
            {
                QFont f;
                f.setBold(true);
                return f;
            }
            return {};
        case Qt::ToolTipRole:
            if (col.status == ColumnStatus::Failed && col.passwordNeeded)
                return u"%1\n\nDouble-click (or right-click: Enter password…) to give the password for %2; it is kept in memory "
                       u"for this session only."_s.arg(col.error.toString(), m_profiles.at(p).name);
            if (col.status == ColumnStatus::Failed)
                return col.error.toString();
            if (behind)
                return u"Applied in another environment, not yet in %1"_s.arg(m_profiles.at(p).name);
            return c ? QVariant(statestyle::describe(c->state, c->mismatch)) : QVariant();
        case StateRole:
            return c && col.status == ColumnStatus::Loaded ? int(c->state) : -1;
        case BehindRole:
            return behind;
        case PasswordNeededRole:
            return col.status == ColumnStatus::Failed && col.passwordNeeded;
        default:
            return {};
        }
    }

    QVariant EnvMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
    {
        if (orientation != Qt::Horizontal)
            return {};
        if (section < FirstEnvironment)
            return role == Qt::DisplayRole ? QVariant(section == Version ? u"Version"_s : u"Description"_s) : QVariant();
        const int p = section - FirstEnvironment;
        if (p >= m_profiles.size())
            return {};
        const ConnectionProfile &profile = m_profiles.at(p);
        const ColumnData &col = m_columns.at(p);
        switch (role)
        {
        case Qt::DisplayRole: {
            QString text = u"%1\n%2"_s.arg(profile.name, toString(profile.environment));
            if (col.status == ColumnStatus::Loaded)
                text += u" · at "_s + (col.currentVersion.isEmpty() ? u"none"_s : col.currentVersion);
            else if (col.status == ColumnStatus::Failed && col.passwordNeeded)
                text += u" · Enter password…"_s;
            else if (col.status == ColumnStatus::Failed)
                text += u" · unreachable"_s;
            return text;
        }
        case Qt::ForegroundRole:
            return QColor(environmentColor(profile.environment));
        case Qt::ToolTipRole:
            if (col.status == ColumnStatus::Failed && col.passwordNeeded)
                return u"%1\n\nClick to enter the password for %2 (kept in memory for this session only)."_s.arg(col.error.toString(),
                                                                                                                 profile.name);
            return col.status == ColumnStatus::Failed ? col.error.toString() : profile.targetDescription();
        case PasswordNeededRole:
            return col.status == ColumnStatus::Failed && col.passwordNeeded;
        case ColumnStatusRole:
            return col.status == ColumnStatus::Loading ? u"loading"_s : col.status == ColumnStatus::Loaded ? u"ok"_s : u"error"_s;
        default:
            return {};
        }
    }
}
