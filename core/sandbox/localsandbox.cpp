#include "core/sandbox/localsandbox.h"

#include "core/db/pgconnection.h"
#include "core/logging/log.h"
#include "core/paths.h"
#include "core/sandbox/sandbox.h"
#include "core/store/profilestore.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        SandboxOptions options()
        {
            SandboxOptions o;
            o.dataDir = LocalSandbox::dataDir();
            o.fast = false;
            o.maxConnections = 100;
            return o;
        }
    }

    QString LocalSandbox::profileName()
    {
        return u"Local sandbox"_s;
    }

    QString LocalSandbox::demoDatabase()
    {
        return u"dbops_demo"_s;
    }

    QString LocalSandbox::dataDir()
    {
        return Sandbox::defaultPersistentDir(paths::appDataDir());
    }

    Expected<bool> LocalSandbox::ensureDefaultProfile(ProfileStore &profiles)
    {
        auto all = profiles.list();
        if (!all)
            return std::unexpected(all.error());
        if (!all->isEmpty())
            return false;
        ConnectionProfile p;
        p.name = profileName();
        p.environment = Environment::Development;
        p.project = u"demo"_s;
        p.managedSandbox = true;
        p.database = demoDatabase();
        p.user = u"postgres"_s;
        p.migrationsDir = paths::demoMigrationsDir();
        auto saved = profiles.save(p);
        if (!saved)
            return std::unexpected(saved.error());
        spdlog::info("created the '{}' profile (cluster in {})", p.name, dataDir());
        return true;
    }

    Expected<ConnectionProfile> LocalSandbox::start(ProfileStore &profiles, CancelToken *token)
    {
        Sandbox sandbox(options());
        if (auto started = sandbox.start(token); !started)
            return std::unexpected(started.error());
        return catchErrors([&] {
            auto admin = PgConnection::open(sandbox.connectParams(), {}, token);
            const auto exists = admin->exec(u"SELECT 1 FROM pg_database WHERE datname = $1"_s, {demoDatabase()}, token);
            if (exists.isEmpty())
                admin->exec(u"CREATE DATABASE "_s + admin->escapeIdentifier(demoDatabase()), {}, token);
            auto all = profiles.list();
            if (!all)
                throw Exception(all.error());
            ConnectionProfile result;
            for (ConnectionProfile p : *all)
            {
                if (!p.managedSandbox)
                    continue;
                p.host = sandbox.socketDir();
                p.port = sandbox.port();
                if (p.user.isEmpty())
                    p.user = u"postgres"_s;
                auto saved = profiles.save(p);
                if (!saved)
                    throw Exception(saved.error());
                if (result.id == 0 || p.name == profileName())
                    result = *saved;
            }
            if (result.id == 0)
                throw Exception(ErrorCode::NotFound, u"no profile uses the local sandbox"_s);
            return result;
        });
    }

    Expected<void> LocalSandbox::stop()
    {
        Sandbox sandbox(options());
        return sandbox.stop();
    }

    bool LocalSandbox::isRunning()
    {
        return Sandbox(options()).isRunning();
    }

    Expected<QString> LocalSandbox::url()
    {
        Sandbox sandbox(options());
        if (!sandbox.isRunning())
            return fail(ErrorCode::Connect, u"the local sandbox is not running; start it with: dbops sandbox start"_s);
        return sandbox.url(demoDatabase());
    }
}
