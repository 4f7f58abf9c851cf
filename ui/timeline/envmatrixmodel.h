#pragma once

#include "core/db/profile.h"
#include "core/error.h"
#include "core/migrate/timeline.h"

#include <QAbstractTableModel>
#include <QList>

namespace dbops
{
    /// "Which migration is where": rows are the union of the versions every environment knows,
    /// columns are the profiles of one project (dev, staging, production...), each cell is the
    /// state of that migration there. A column loads on its own; one that failed holds its error.
    class EnvMatrixModel final : public QAbstractTableModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(EnvMatrixModel)

    public:
        enum Column
        {
            Version,
            Description,
            FirstEnvironment ///< one column per profile from here on
        };
        enum Role
        {
            StateRole = Qt::UserRole, ///< int(MigrationState), -1 when the environment lacks the migration or is not loaded
            BehindRole,               ///< applied somewhere else, still pending here
            ColumnStatusRole,         ///< header: "loading", "ok", "error"
            PasswordNeededRole,       ///< header and cells: the server wants a password nobody gave (Enter password…)
            DriftRole                 ///< the drift row's cells: true when the schema differs from its applied migrations
        };
        enum class ColumnStatus
        {
            Loading,
            Loaded,
            Failed
        };

        explicit EnvMatrixModel(QObject *parent = nullptr);

        /// Profiles in column order (sorted by environment: development, staging, production, other).
        void setProfiles(QList<ConnectionProfile> profiles);
        const QList<ConnectionProfile> &profiles() const { return m_profiles; }
        void setTimeline(int profileIndex, const Timeline &timeline);
        void setError(int profileIndex, const Error &error);
        /// The server refused for want of a (the right) password: the column offers Enter password….
        void setPasswordNeeded(int profileIndex, const Error &error);
        /// The column is being loaded again (after a password was entered).
        void setLoading(int profileIndex);
        bool passwordNeeded(int profileIndex) const { return m_columns.at(profileIndex).passwordNeeded; }
        ColumnStatus status(int profileIndex) const { return m_columns.at(profileIndex).status; }
        Error error(int profileIndex) const { return m_columns.at(profileIndex).error; }
        int profileIndex(const QString &name) const;
        /// The last row, "drift": each environment's schema versus what its applied migrations say
        /// (ops::driftCheck). `text` is the cell, `detail` its tooltip.
        void setDrift(int profileIndex, const QString &text, const QString &detail, bool drift);
        int driftRow() const { return int(m_versions.size()); }
        /// The versions applied in some environment but not in this one ("production is missing 0011").
        QStringList missingIn(int profileIndex) const;
        /// One line per environment that is behind.
        QStringList summary() const;

        int rowCount(const QModelIndex &parent = {}) const override;
        int columnCount(const QModelIndex &parent = {}) const override;
        QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
        QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    private:
        struct Cell
        {
            MigrationState state;
            MismatchKind mismatch;
        };
        struct ColumnData
        {
            ColumnStatus status = ColumnStatus::Loading;
            Error error;
            bool passwordNeeded = false;
            QString currentVersion;
            QHash<QString, Cell> cells; ///< version -> state
            QString drift = QStringLiteral("—");
            QString driftDetail;
            bool drifted = false;
        };
        void rebuildRows();
        const Cell *cell(int row, int profileIndex) const;
        bool appliedAnywhereElse(const QString &version, int profileIndex) const;

        QList<ConnectionProfile> m_profiles;
        QList<ColumnData> m_columns;
        QStringList m_versions; ///< rows, in version order
        QHash<QString, QString> m_descriptions;
    };
}
