#pragma once

#include "core/db/pgconnection.h"
#include "core/db/profile.h"
#include "core/error.h"

#include <memory>

namespace dbops
{
    class CancelToken;
    class ProfileStore;

    /// Opens a connection for a profile: the managed sandbox is started on demand, the password
    /// comes from `password` (a prompt) or the OS keychain when the profile saves one, else libpq
    /// uses ~/.pgpass / PGPASSWORD itself. Authentication failures are not retried and come back as
    /// ErrorCode::Auth so a face can prompt and try again. While a restore holds the profile's
    /// database (ConnectionHold: the seconds of a replace's swap) resolve() and open() wait.
    /// Blocking: call from a job or the CLI.
    class Connector final
    {
    public:
        explicit Connector(ProfileStore *profiles = nullptr);

        std::unique_ptr<PgConnection> open(const ConnectionProfile &profile, const QString &password = {}, CancelToken *token = nullptr,
                                           const ConnectOptions &options = {});
        /// The libpq parameters for the profile, password included (for child processes such as
        /// pg_dump, which get it through the environment, never argv).
        ConnectParams resolve(const ConnectionProfile &profile, const QString &password = {}, CancelToken *token = nullptr);

    private:
        ProfileStore *m_profiles;
    };
}
