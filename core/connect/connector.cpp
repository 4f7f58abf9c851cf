#include "core/connect/connector.h"

#include "core/connect/connectionhold.h"
#include "core/db/secretstore.h"
#include "core/logging/log.h"
#include "core/sandbox/localsandbox.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    Connector::Connector(ProfileStore *profiles)
        : m_profiles(profiles)
    {
    }

    ConnectParams Connector::resolve(const ConnectionProfile &profile, const QString &password, CancelToken *token)
    {
        ConnectionProfile effective = profile;
        if (profile.managedSandbox && m_profiles)
        {
            auto started = LocalSandbox::start(*m_profiles, token);
            if (!started)
                throw Exception(started.error());
            effective.host = started->host;
            effective.port = started->port;
        }
        auto params = effective.toConnectParams();
        if (!params)
            throw Exception(params.error());
        if (!password.isEmpty())
            params->password = password;
        else if (profile.savePassword)
        {
            auto stored = SecretStore::readPassword(profile.secretKey());
            if (stored)
                params->password = *stored;
            else if (stored.error().code != ErrorCode::NotFound)
                spdlog::warn("keychain: {}; falling back to ~/.pgpass", stored.error().message);
        }
        // While a restore swaps this database in, a new session of ours would make it refuse.
        ConnectionHold::waitWhileHeld(*params, token);
        return *params;
    }

    std::unique_ptr<PgConnection> Connector::open(const ConnectionProfile &profile, const QString &password, CancelToken *token,
                                                  const ConnectOptions &options)
    {
        return PgConnection::open(resolve(profile, password, token), options, token);
    }
}
