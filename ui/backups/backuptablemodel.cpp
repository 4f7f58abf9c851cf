#include "ui/backups/backuptablemodel.h"

#include "core/backup/backupservice.h"

#include <QBrush>
#include <QColor>
#include <QSet>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QString ageText(const QDateTime &from, const QDateTime &now)
        {
            const qint64 s = from.secsTo(now);
            if (s < 60)
                return u"just now"_s;
            if (s < 3600)
                return u"%1 min ago"_s.arg(s / 60);
            if (s < 2 * 86400)
                return u"%1 h ago"_s.arg(s / 3600);
            return u"%1 days ago"_s.arg(s / 86400);
        }
    }

    BackupTableModel::BackupTableModel(QObject *parent)
        : QAbstractTableModel(parent)
    {
    }

    void BackupTableModel::setEntries(const QList<BackupEntry> &entries, const QDateTime &now)
    {
        m_now = now;
        QSet<qint64> incoming;
        for (const BackupEntry &e : entries)
            incoming.insert(e.id);
        // Rows whose backup is gone leave (bottom up, so the rows above keep their numbers).
        for (int row = int(m_entries.size()) - 1; row >= 0; --row)
            if (!incoming.contains(m_entries.at(row).id))
            {
                beginRemoveRows({}, row, row);
                m_entries.removeAt(row);
                endRemoveRows();
            }
        // New backups come in where the catalog's order puts them; the rows that stay keep
        // their identity (and a selection on them).
        for (int row = 0; row < entries.size(); ++row)
        {
            if (row < m_entries.size() && m_entries.at(row).id == entries.at(row).id)
            {
                m_entries[row] = entries.at(row); // verification, test restore: may have changed
                continue;
            }
            if (rowOf(entries.at(row).id) >= 0)
            {
                // The order of the rows that stay changed (it never should): start over.
                beginResetModel();
                m_entries = entries;
                endResetModel();
                return;
            }
            beginInsertRows({}, row, row);
            m_entries.insert(row, entries.at(row));
            endInsertRows();
        }
        if (!m_entries.isEmpty())
            emit dataChanged(index(0, 0), index(int(m_entries.size()) - 1, NB_COLUMNS - 1));
    }

    int BackupTableModel::rowOf(qint64 id) const
    {
        for (int row = 0; row < m_entries.size(); ++row)
            if (m_entries.at(row).id == id)
                return row;
        return -1;
    }

    int BackupTableModel::rowCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : int(m_entries.size());
    }

    int BackupTableModel::columnCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : NB_COLUMNS;
    }

    QVariant BackupTableModel::data(const QModelIndex &index, int role) const
    {
        if (!index.isValid() || index.row() >= m_entries.size())
            return {};
        const BackupEntry &e = m_entries.at(index.row());
        if (role == IdRole)
            return e.id;
        if (role == VerificationRole)
            return int(e.verification);
        if (role == Qt::ToolTipRole)
            return u"%1\nSHA-256 %2\nserver %3, pg_dump %4, %5 format\n%6%7"_s.arg(
                e.path, e.sha256, e.serverVersion, e.pgDumpVersion, e.format, e.verifyDetail,
                e.testRestore.isEmpty() ? QString() : u"\ntest restore: "_s + e.testRestore);
        if (role == Qt::ForegroundRole && index.column() == VerificationColumn)
            return QBrush(e.verification == VerifyState::Verified ? QColor(u"#1e7d32"_s)
                          : e.verification == VerifyState::Failed ? QColor(u"#c62828"_s)
                                                                  : QColor(u"#8d6e00"_s));
        if (role == Qt::TextAlignmentRole && (index.column() == SizeColumn || index.column() == IdColumn))
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        if (role != Qt::DisplayRole)
            return {};
        switch (Column(index.column()))
        {
        case IdColumn:
            return e.id;
        case DatabaseColumn:
            return e.database;
        case SizeColumn:
            return formatBytes(e.size);
        case AgeColumn:
            return ageText(e.startedAt, m_now);
        case SchemaColumn:
            return e.schemaVersion.isEmpty() ? u"—"_s : e.schemaVersion;
        case VerificationColumn: {
            QString s = toString(e.verification);
            if (e.testRestore.startsWith(u"ok"_s))
                s += u" · test-restored"_s;
            return s;
        }
        case LabelColumn:
            return e.label.isEmpty() ? e.kind : e.label;
        case NB_COLUMNS:
            break;
        }
        return {};
    }

    QVariant BackupTableModel::headerData(int section, Qt::Orientation orientation, int role) const
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        switch (Column(section))
        {
        case IdColumn:
            return u"#"_s;
        case DatabaseColumn:
            return u"Database"_s;
        case SizeColumn:
            return u"Size"_s;
        case AgeColumn:
            return u"Age"_s;
        case SchemaColumn:
            return u"Schema version"_s;
        case VerificationColumn:
            return u"Verification"_s;
        case LabelColumn:
            return u"Label"_s;
        case NB_COLUMNS:
            break;
        }
        return {};
    }
}
