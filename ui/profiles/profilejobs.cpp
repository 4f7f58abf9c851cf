#include "ui/profiles/profilejobs.h"

#include "core/connect/connector.h"
#include "core/db/pgconnection.h"
#include "core/db/secretstore.h"
#include "core/db/sqlitesession.h"
#include "core/sandbox/localsandbox.h"
#include "core/store/profilestore.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops::profilejobs
{
    namespace
    {
        template <class T>
        T orThrow(Expected<T> r)
        {
            if (!r)
                throw Exception(r.error());
            return std::move(*r);
        }

        ProbeResult probeSqlite(const ConnectionProfile &profile, JobContext &ctx)
        {
            ProbeResult result;
            result.profileName = profile.name;
            ctx.progress(0, 2, u"opening %1"_s.arg(profile.sqlitePath));
            auto session = SqliteSession::open(profile.sqlitePath, true);
            result.sqlite = true;
            result.sqliteVersion = session->sqliteVersion();
            result.server.target = u"sqlite:"_s + profile.sqlitePath;
            ctx.progress(2, 2, u"SQLite %1"_s.arg(result.sqliteVersion));
            return result;
        }
    }

    Body<ProbeResult> probe(ProfileStore *profiles, ConnectionProfile profile, QString password)
    {
        return [profiles, profile = std::move(profile), password = std::move(password)](JobContext &ctx) {
            if (profile.isSqlite())
                return probeSqlite(profile, ctx);
            ProbeResult result;
            result.profileName = profile.name;
            if (profile.managedSandbox && !LocalSandbox::isRunning())
                ctx.progress(0, 3, u"starting the local sandbox cluster…"_s);
            else
                ctx.progress(0, 3, u"connecting…"_s);
            Connector connector(profiles);
            std::unique_ptr<PgConnection> conn;
            try
            {
                conn = connector.open(profile, password, ctx.token());
            }
            catch (const Exception &e)
            {
                // No password was given and none was found (keychain, ~/.pgpass, PGPASSWORD): the
                // server asking for one is a question for the DBA, not a failed job.
                if (e.error().code != ErrorCode::Auth || !password.isEmpty())
                    throw;
                result.passwordNeeded = e.error();
                ctx.progress(3, 3, u"the server asks for a password"_s);
                return result;
            }
            ctx.throwIfCancelled();
            ctx.progress(1, 3, u"connected to %1; measuring round trips"_s.arg(conn->params().shortName()));
            result.server = probeServer(*conn, ctx.token());
            ctx.progress(3, 3, u"PostgreSQL %1, %2 ms"_s.arg(result.server.serverVersion).arg(result.server.latencyMs, 0, 'f', 2));
            return result;
        };
    }

    Body<QList<ConnectionProfile>> list(ProfileStore *profiles)
    {
        return [profiles](JobContext &) { return orThrow(profiles->list()); };
    }

    Body<SessionProfiles> startSession(ProfileStore *profiles)
    {
        return [profiles](JobContext &) {
            SessionProfiles out;
            if (auto created = LocalSandbox::ensureDefaultProfile(*profiles); !created)
                out.defaultProfileError = created.error();
            out.profiles = orThrow(profiles->list());
            return out;
        };
    }

    Body<ConnectionProfile> get(ProfileStore *profiles, QString name)
    {
        return [profiles, name = std::move(name)](JobContext &) { return orThrow(profiles->get(name)); };
    }

    Body<ConnectionProfile> save(ProfileStore *profiles, ConnectionProfile profile)
    {
        return [profiles, profile = std::move(profile)](JobContext &) { return orThrow(profiles->save(profile)); };
    }

    Body<ConnectionProfile> remove(ProfileStore *profiles, QString name)
    {
        return [profiles, name = std::move(name)](JobContext &) {
            ConnectionProfile removed = orThrow(profiles->get(name));
            if (auto r = profiles->remove(name); !r)
                throw Exception(r.error());
            return removed;
        };
    }

    Body<void> writePassword(QString key, QString password)
    {
        return [key = std::move(key), password = std::move(password)](JobContext &ctx) {
            ctx.progress(0, 1, u"writing to the OS keychain"_s);
            if (auto r = SecretStore::writePassword(key, password); !r)
                throw Exception(r.error());
            ctx.progress(1, 1, u"password saved in the OS keychain"_s);
        };
    }

    Body<void> deletePassword(QString key)
    {
        return [key = std::move(key)](JobContext &ctx) {
            ctx.progress(0, 1, u"removing from the OS keychain"_s);
            if (auto r = SecretStore::deletePassword(key); !r && r.error().code != ErrorCode::NotFound)
                throw Exception(r.error());
            ctx.progress(1, 1, u"keychain entry removed"_s);
        };
    }

    Body<void> movePassword(QString fromKey, QString toKey)
    {
        return [fromKey = std::move(fromKey), toKey = std::move(toKey)](JobContext &ctx) {
            auto stored = SecretStore::readPassword(fromKey);
            if (!stored)
            {
                if (stored.error().code == ErrorCode::NotFound)
                    return;
                throw Exception(stored.error());
            }
            if (auto r = SecretStore::writePassword(toKey, *stored); !r)
                throw Exception(r.error());
            (void)SecretStore::deletePassword(fromKey);
            ctx.progress(1, 1, u"keychain entry renamed"_s);
        };
    }
}
