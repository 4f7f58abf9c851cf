#pragma once

#include "core/jobs/job.h"

#include <QAbstractTableModel>
#include <QList>

namespace dbops
{
    class JobManager;

    /// JobManager's records as a table, newest first: kept current from jobAdded/jobChanged.
    class JobModel final : public QAbstractTableModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(JobModel)

    public:
        enum Column
        {
            Title,
            State,
            Progress,
            Message,
            Action,
            NB_COLUMNS
        };
        enum Role
        {
            IdRole = Qt::UserRole, ///< quint64 job id
            StateRole,             ///< int(JobState)
            PercentRole,           ///< 0-100, or -1 when the total is unknown
            CancellableRole        ///< queued or running
        };

        explicit JobModel(JobManager *jobs, QObject *parent = nullptr);

        int rowCount(const QModelIndex &parent = {}) const override;
        int columnCount(const QModelIndex &parent = {}) const override;
        QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
        QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

        const JobRecord &record(int row) const;
        int rowOf(quint64 id) const;
        /// Drops finished jobs from the list (the manager keeps them).
        void clearFinished();

    private:
        void add(const JobRecord &record);
        void update(const JobRecord &record);

        QList<JobRecord> m_records;
    };
}
