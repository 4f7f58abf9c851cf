#pragma once

#include "ui/files/migrationfile.h"

#include <QAbstractTableModel>

namespace dbops
{
    /// The files of a migrations folder: name, size, last modified.
    class MigrationFilesModel final : public QAbstractTableModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(MigrationFilesModel)

    public:
        enum Column
        {
            Name,
            Size,
            Modified,
            NB_COLUMNS
        };
        enum Role
        {
            PathRole = Qt::UserRole,
            SortRole ///< the raw value: name, bytes, time
        };

        explicit MigrationFilesModel(QObject *parent = nullptr);

        void setFiles(const QList<MigrationFile> &files);
        const QList<MigrationFile> &files() const { return m_files; }

        int rowCount(const QModelIndex &parent = {}) const override;
        int columnCount(const QModelIndex &parent = {}) const override;
        QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
        QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    private:
        QList<MigrationFile> m_files;
    };
}
