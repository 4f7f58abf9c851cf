#pragma once

#include "core/backup/backupcatalog.h"

#include <QAbstractTableModel>
#include <QDateTime>

namespace dbops
{
    /// The backup catalog of one profile as a table (STYLE M1), newest first. Rows have an
    /// identity, the backup id: a new catalog read removes the rows whose id is gone and inserts
    /// the new ones (it does not reset), so a view's selection stays on the same backup, and is
    /// dropped when that backup left the catalog.
    class BackupTableModel final : public QAbstractTableModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(BackupTableModel)

    public:
        enum Column
        {
            IdColumn,
            DatabaseColumn,
            SizeColumn,
            AgeColumn,
            SchemaColumn,
            VerificationColumn,
            LabelColumn,
            NB_COLUMNS
        };
        enum Role
        {
            IdRole = Qt::UserRole,
            VerificationRole ///< int(VerifyState)
        };

        explicit BackupTableModel(QObject *parent = nullptr);

        void setEntries(const QList<BackupEntry> &entries, const QDateTime &now = QDateTime::currentDateTimeUtc());
        const BackupEntry &entry(int row) const { return m_entries.at(row); }
        /// The row of backup `id`, or -1.
        int rowOf(qint64 id) const;

        int rowCount(const QModelIndex &parent = {}) const override;
        int columnCount(const QModelIndex &parent = {}) const override;
        QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
        QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    private:
        QList<BackupEntry> m_entries;
        QDateTime m_now;
    };
}
