#pragma once

#include "ui/timeline/timelinesnapshot.h"

#include <QAbstractTableModel>
#include <QHash>

namespace dbops
{
    struct ValidateResult;

    /// The timeline of one profile, one row per migration (STYLE M1). Row order is the timeline
    /// order: migrations with a history row first (in version order), then pending ones, so that
    /// pending rows read "after" the applied ones; OrderRole carries it for the proxy.
    class TimelineModel final : public QAbstractTableModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(TimelineModel)

    public:
        enum Column
        {
            Version,
            Description,
            State,
            AppliedAt,
            AppliedBy,
            Duration,
            History,
            Check,
            NB_COLUMNS
        };
        enum Role
        {
            StateRole = Qt::UserRole, ///< int(MigrationState)
            VersionRole,
            OrderRole,      ///< timeline order (pending after applied)
            AppliedAtRole,  ///< UTC msecs since epoch; pending rows sort last
            IsCurrentRole,  ///< the database's current version
            IsPendingRole,  ///< not in the history yet (pending, out of order)
            SearchTextRole, ///< what the text filter matches
            RowIndexRole    ///< index into snapshot().rows
        };

        explicit TimelineModel(QObject *parent = nullptr);

        void setSnapshot(TimelineSnapshot snapshot);
        const TimelineSnapshot &snapshot() const { return m_snapshot; }
        const TimelineRow *rowAt(int row) const;
        /// The row of a version, -1 when absent.
        int rowOf(const QString &version) const;
        /// Shows a validate run inline: each row gets "ok" or its problem in the Check column.
        void setValidation(const ValidateResult &result);
        void clearValidation();
        bool isValidated() const { return m_validated; }
        QString diffOf(const QString &version) const { return m_diffs.value(version); }

        int rowCount(const QModelIndex &parent = {}) const override;
        int columnCount(const QModelIndex &parent = {}) const override;
        QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
        QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

        /// "1.2 s", "340 ms", "" for unknown.
        static QString formatDuration(qint64 ms);

    private:
        QVariant display(const TimelineRow &row, int column) const;
        QString searchText(const TimelineRow &row) const;

        TimelineSnapshot m_snapshot;
        QList<int> m_order; ///< m_order[row] = index into m_snapshot.rows
        bool m_validated = false;
        QHash<QString, QString> m_problems; ///< version (or description for repeatables) -> problem
        QHash<QString, QString> m_diffs;
    };
}
