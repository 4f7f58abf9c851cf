#pragma once

#include "core/logging/logbuffer.h"

#include <QAbstractTableModel>
#include <QList>

namespace dbops
{
    /// The application log as a table, fed by LogBuffer: the buffered records at construction,
    /// then every recordAdded (queued to the GUI thread). Keeps at most `capacity` rows.
    class LogModel final : public QAbstractTableModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(LogModel)

    public:
        enum Column
        {
            Time,
            Level,
            Message,
            NB_COLUMNS
        };
        enum Role
        {
            LevelRole = Qt::UserRole, ///< int(LogLevel)
            IdRole
        };

        explicit LogModel(LogBuffer *buffer, QObject *parent = nullptr);

        int rowCount(const QModelIndex &parent = {}) const override;
        int columnCount(const QModelIndex &parent = {}) const override;
        QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
        QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

        const LogRecord &record(int row) const;
        void append(const LogRecord &record);

    private:
        QList<LogRecord> m_records;
        qint64 m_lastId = 0;
        int m_capacity;
    };
}
