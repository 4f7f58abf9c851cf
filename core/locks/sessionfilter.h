#pragma once

#include "core/locks/locksnapshot.h"

namespace dbops
{
    /// What the session table shows: a plain value the proxy model asks (STYLE M2), also usable
    /// by the CLI.
    struct SessionFilter
    {
        enum class Category
        {
            All,
            Active,
            IdleInTransaction,
            Waiting,
            Blocking,      ///< blocks someone, or waits and is blocked (part of a chain)
            ClientBackends ///< hides background processes
        };

        Category category = Category::All;
        QString text; ///< matched, case-insensitively, against pid, user, database, application, client and query

        bool matches(const BackendSession &session, const LockSnapshot *snapshot = nullptr) const;
        bool operator==(const SessionFilter &o) const { return category == o.category && text == o.text; }
    };
}
