#pragma once

#include "core/db/profile.h"
#include "core/error.h"

#include <QList>

namespace dbops
{
    class Store;

    /// Connection profiles in the store. Plain calls on the caller's thread (the store is a small
    /// local file); it never holds a password.
    class ProfileStore final
    {
    public:
        explicit ProfileStore(Store &store);

        Expected<QList<ConnectionProfile>> list();
        /// NotFound naming the profile and the ones that exist.
        Expected<ConnectionProfile> get(const QString &name);
        /// Inserts or updates by id (0 = new). BadInput for an invalid profile or a duplicate name.
        Expected<ConnectionProfile> save(ConnectionProfile profile);
        Expected<void> remove(const QString &name);

    private:
        Store &m_store;
    };
}
