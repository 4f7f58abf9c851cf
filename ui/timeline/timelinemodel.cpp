#include "ui/timeline/timelinemodel.h"

#include "core/migrate/migrator.h"
#include "core/remedy.h"
#include "ui/timeline/statestyle.h"

#include <QFont>
#include <QLocale>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QString keyOf(const TimelineEntry &e)
        {
            return e.repeatable ? e.description : e.version;
        }

        /// Still to run: no history row and not counted as applied by the history either (a
        /// baseline covers the versions below it; golang-migrate keeps only the current version).
        bool isPendingLike(const TimelineEntry &e)
        {
            return !e.row.has_value() && !e.isApplied();
        }
    }

    TimelineModel::TimelineModel(QObject *parent)
        : QAbstractTableModel(parent)
    {
    }

    void TimelineModel::setSnapshot(TimelineSnapshot snapshot)
    {
        beginResetModel();
        m_snapshot = std::move(snapshot);
        m_order.clear();
        m_order.reserve(m_snapshot.rows.size());
        for (int i = 0; i < m_snapshot.rows.size(); ++i)
            m_order.append(i);
        // Everything the history knows first, then what is still to run (stable: version order inside).
        std::stable_partition(m_order.begin(), m_order.end(), [this](int i) { return !isPendingLike(m_snapshot.rows.at(i).entry); });
        m_validated = false;
        m_problems.clear();
        m_diffs.clear();
        endResetModel();
    }

    const TimelineRow *TimelineModel::rowAt(int row) const
    {
        if (row < 0 || row >= m_order.size())
            return nullptr;
        return &m_snapshot.rows.at(m_order.at(row));
    }

    int TimelineModel::rowOf(const QString &version) const
    {
        for (int r = 0; r < m_order.size(); ++r)
            if (keyOf(m_snapshot.rows.at(m_order.at(r)).entry) == version)
                return r;
        return -1;
    }

    void TimelineModel::setValidation(const ValidateResult &result)
    {
        m_validated = true;
        m_problems.clear();
        for (const TimelineProblem &p : result.problems)
        {
            QString &text = m_problems[p.version];
            text += (text.isEmpty() ? QString() : u"; "_s) + p.message;
        }
        m_diffs.clear();
        for (auto it = result.diffs.cbegin(); it != result.diffs.cend(); ++it)
            m_diffs.insert(it.key(), it.value());
        if (!m_order.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, NB_COLUMNS - 1));
    }

    void TimelineModel::clearValidation()
    {
        m_validated = false;
        m_problems.clear();
        if (!m_order.isEmpty())
            emit dataChanged(index(0, Check), index(rowCount() - 1, Check));
    }

    int TimelineModel::rowCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : int(m_order.size());
    }

    int TimelineModel::columnCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : NB_COLUMNS;
    }

    QString TimelineModel::formatDuration(qint64 ms)
    {
        if (ms < 0)
            return u"—"_s; // the history does not know (foreign and adopted rows)
        if (ms < 1000)
            return u"%1 ms"_s.arg(ms);
        if (ms < 60'000)
            return u"%1 s"_s.arg(QLocale().toString(ms / 1000.0, 'f', 1));
        return u"%1 min %2 s"_s.arg(ms / 60'000).arg((ms % 60'000) / 1000);
    }

    QString TimelineModel::searchText(const TimelineRow &row) const
    {
        const TimelineEntry &e = row.entry;
        QString s = e.version + u' ' + e.description + u' ' + e.script + u' ' + statestyle::describe(e.state, e.mismatch) + u' '
                    + toString(e.state);
        if (e.row)
            s += u' ' + e.row->installedBy + u' ' + e.row->osUser;
        return s;
    }

    QVariant TimelineModel::display(const TimelineRow &row, int column) const
    {
        const TimelineEntry &e = row.entry;
        switch (column)
        {
        case Version:
            if (e.repeatable)
                return u"R"_s;
            return !e.version.isEmpty() && e.version == m_snapshot.currentVersion ? u"▶ "_s + e.version : e.version;
        case Description: {
            QString d = e.description;
            if (e.noTransaction)
                d += u"  [no transaction]"_s;
            return d;
        }
        case State:
            return statestyle::describe(e.state, e.mismatch);
        // A history row that does not know a value shows "—"; a row-less (pending) entry shows nothing.
        case AppliedAt:
            if (!e.row)
                return QString();
            return e.row->installedOn.isValid() ? e.row->installedOn.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) : u"—"_s;
        case AppliedBy:
            if (!e.row)
                return QString();
            return e.row->installedBy.isEmpty() ? u"—"_s : e.row->installedBy;
        case Duration:
            return e.row ? formatDuration(e.row->executionMs) : QString();
        case History:
            return row.historyFormat;
        case Check: {
            if (!m_validated)
                return {};
            const QString problem = m_problems.value(keyOf(e));
            return problem.isEmpty() ? u"✓ valid"_s : u"✕ "_s + problem;
        }
        default:
            return {};
        }
    }

    QVariant TimelineModel::data(const QModelIndex &index, int role) const
    {
        const TimelineRow *row = index.isValid() ? rowAt(index.row()) : nullptr;
        if (!row)
            return {};
        const TimelineEntry &e = row->entry;
        const bool current = !e.version.isEmpty() && e.version == m_snapshot.currentVersion;
        switch (role)
        {
        case Qt::DisplayRole:
            return display(*row, index.column());
        case Qt::DecorationRole:
            if (index.column() == State)
                return statestyle::icon(e.state);
            return {};
        case Qt::ToolTipRole:
            switch (index.column())
            {
            case Version:
                return current ? u"The database's current version"_s : QVariant();
            case State:
                return e.note.isEmpty() ? statestyle::describe(e.state, e.mismatch)
                                        : statestyle::describe(e.state, e.mismatch) + u"\n"_s + consoleText(e.note);
            case AppliedAt:
                return e.row && e.row->installedOn.isValid()
                           ? QVariant(u"%1 UTC"_s.arg(e.row->installedOn.toUTC().toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s)))
                           : QVariant();
            case AppliedBy:
                return e.row && !e.row->osUser.isEmpty()
                           ? QVariant(u"%1 (%2@%3)"_s.arg(e.row->installedBy, e.row->osUser, e.row->clientHost))
                           : QVariant();
            case History:
                return e.row ? QVariant(m_snapshot.historyTable) : QVariant();
            case Check:
                return display(*row, Check);
            default:
                return {};
            }
        case Qt::ForegroundRole:
            if (index.column() == State)
                return statestyle::color(e.state);
            if (index.column() == Check && m_validated)
                return m_problems.contains(keyOf(e)) ? statestyle::color(MigrationState::Failed)
                                                     : statestyle::color(MigrationState::Applied);
            if (isPendingLike(e) && index.column() != Version)
                return QColor(0x57, 0x60, 0x6a);
            return {};
        case Qt::FontRole:
            if ((index.column() == Version && current) || (index.column() == State && statestyle::isProblem(e.state)))
            {
                QFont f;
                f.setBold(true);
                return f;
            }
            return {};
        case Qt::TextAlignmentRole:
            if (index.column() == Duration)
                return int(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case StateRole:
            return int(e.state);
        case VersionRole:
            return keyOf(e);
        case OrderRole:
            return index.row();
        case AppliedAtRole:
            return e.row && e.row->installedOn.isValid() ? e.row->installedOn.toMSecsSinceEpoch() : std::numeric_limits<qint64>::max();
        case IsCurrentRole:
            return current;
        case IsPendingRole:
            return isPendingLike(e);
        case SearchTextRole:
            return searchText(*row);
        case RowIndexRole:
            return m_order.at(index.row());
        default:
            return {};
        }
    }

    QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        switch (section)
        {
        case Version:
            return u"Version"_s;
        case Description:
            return u"Description"_s;
        case State:
            return u"State"_s;
        case AppliedAt:
            return u"Applied at"_s;
        case AppliedBy:
            return u"Applied by"_s;
        case Duration:
            return u"Duration"_s;
        case History:
            return u"History"_s;
        case Check:
            return u"Validation"_s;
        default:
            return {};
        }
    }
}
