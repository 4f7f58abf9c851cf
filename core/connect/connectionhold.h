#pragma once

#include "core/db/connectparams.h"

#include <QString>

#include <memory>

namespace dbops
{
    class CancelToken;

    /// New connections this process holds back: while a restore swaps a database in (renames),
    /// no view, monitor or probe of this dbops may open a session to it, or the swap would find
    /// dbops itself "accessing" it. Connector::resolve waits while its database is held, so a
    /// view's poll during the swap is delayed by seconds, not failed. Process-wide and thread-safe.
    class ConnectionHold final
    {
    public:
        /// Holds new connections to `database` on the server of `server` (its host and port) until
        /// the returned guard is destroyed (on any thread). Holds nest.
        [[nodiscard]] static std::shared_ptr<void> hold(const ConnectParams &server, const QString &database);
        /// Returns at once when the database of `params` is not held; else waits until it is not,
        /// throwing Cancelled when `token` is cancelled meanwhile.
        static void waitWhileHeld(const ConnectParams &params, CancelToken *token);
        /// Whether the database of `params` is held now.
        static bool isHeld(const ConnectParams &params);
    };
}
