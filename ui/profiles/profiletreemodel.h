#pragma once

#include "core/db/profile.h"

#include <QAbstractItemModel>
#include <QIcon>
#include <QList>

namespace dbops
{
    /// The sidebar's tree: one top-level row per environment that has profiles (development,
    /// staging, production, other, in that order), each holding its profiles sorted by name.
    class ProfileTreeModel final : public QAbstractItemModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(ProfileTreeModel)

    public:
        enum Column
        {
            Name,
            NB_COLUMNS
        };
        enum Role
        {
            ProfileNameRole = Qt::UserRole, ///< empty for a group row
            EnvironmentRole,                ///< int(Environment)
            IsGroupRole,
            TargetRole,
            ConnectedRole
        };

        explicit ProfileTreeModel(QObject *parent = nullptr);

        void setProfiles(const QList<ConnectionProfile> &profiles);
        void setConnectedProfile(const QString &name);

        QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
        QModelIndex parent(const QModelIndex &child) const override;
        int rowCount(const QModelIndex &parent = {}) const override;
        int columnCount(const QModelIndex &parent = {}) const override;
        QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
        Qt::ItemFlags flags(const QModelIndex &index) const override;

        /// The environments shown, in display order.
        QList<Environment> groups() const;
        QModelIndex indexOfProfile(const QString &name) const;
        /// The profile behind an index, or nullptr for a group row.
        const ConnectionProfile *profile(const QModelIndex &index) const;
        const ConnectionProfile *profile(const QString &name) const;

    private:
        struct Group
        {
            Environment environment;
            QList<ConnectionProfile> profiles;
        };
        QIcon icon(Environment env, bool group) const;
        void emitChanged(const QString &name);

        QList<Group> m_groups;
        QString m_connected;
    };
}
