#include "ui/files/migrationfilesmodel.h"

#include <QLocale>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    MigrationFilesModel::MigrationFilesModel(QObject *parent)
        : QAbstractTableModel(parent)
    {
    }

    void MigrationFilesModel::setFiles(const QList<MigrationFile> &files)
    {
        beginResetModel();
        m_files = files;
        endResetModel();
    }

    int MigrationFilesModel::rowCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : int(m_files.size());
    }

    int MigrationFilesModel::columnCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : NB_COLUMNS;
    }

    QVariant MigrationFilesModel::data(const QModelIndex &index, int role) const
    {
        if (!index.isValid() || index.row() >= m_files.size())
            return {};
        const MigrationFile &f = m_files.at(index.row());
        switch (role)
        {
        case Qt::DisplayRole:
            switch (index.column())
            {
            case Name:
                return f.name;
            case Size:
                return QLocale().formattedDataSize(f.size, 1, QLocale::DataSizeTraditionalFormat);
            case Modified:
                return QLocale().toString(f.modified, u"yyyy-MM-dd HH:mm"_s);
            default:
                return {};
            }
        case Qt::TextAlignmentRole:
            return index.column() == Size ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
        case Qt::ToolTipRole:
            return u"%1\n%2 bytes"_s.arg(f.path).arg(f.size);
        case PathRole:
            return f.path;
        case SortRole:
            switch (index.column())
            {
            case Name:
                return f.name;
            case Size:
                return f.size;
            case Modified:
                return f.modified;
            default:
                return {};
            }
        default:
            return {};
        }
    }

    QVariant MigrationFilesModel::headerData(int section, Qt::Orientation orientation, int role) const
    {
        if (orientation != Qt::Horizontal)
            return {};
        if (role == Qt::TextAlignmentRole && section == Size)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        if (role != Qt::DisplayRole)
            return {};
        switch (section)
        {
        case Name:
            return u"File"_s;
        case Size:
            return u"Size"_s;
        case Modified:
            return u"Modified"_s;
        default:
            return {};
        }
    }
}
