#include "app/cli/commands.h"

#include "core/connect/connector.h"
#include "core/db/pgconnection.h"
#include "core/db/secretstore.h"
#include "core/db/serverinfo.h"
#include "core/jobs/job.h"
#include "core/store/profilestore.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    namespace
    {
        Output list(Invocation &in)
        {
            auto profiles = in.ctx.profiles->list();
            if (!profiles)
                return Output::failure(profiles.error());
            QJsonArray arr;
            for (const auto &p : *profiles)
                arr.append(p.toJson());
            QString text;
            if (profiles->isEmpty())
                text = u"No profiles. Add one with: dbops profiles add NAME --env ENV --url URL\n"_s;
            for (Environment env : {Environment::Production, Environment::Staging, Environment::Development, Environment::Other})
            {
                bool header = false;
                for (const auto &p : *profiles)
                {
                    if (p.environment != env)
                        continue;
                    if (!header)
                        text += toString(env).toUpper() + u"\n"_s;
                    header = true;
                    text += u"  "_s + p.name.leftJustified(24) + u' ' + p.targetDescription();
                    if (!p.project.isEmpty())
                        text += u"  ["_s + p.project + u']';
                    text += u'\n';
                }
            }
            return Output::document(QJsonObject{{u"profiles"_s, arr}}, text);
        }

        QString readStdinLine()
        {
            char buf[1024] = {};
            if (!std::fgets(buf, sizeof buf, stdin))
                return {};
            QString s = QString::fromLocal8Bit(buf);
            std::fill(std::begin(buf), std::end(buf), '\0');
            while (s.endsWith(u'\n') || s.endsWith(u'\r'))
                s.chop(1);
            return s;
        }

        /// The profile the options describe (a URL, then the single fields over it).
        Expected<ConnectionProfile> profileFromOptions(const Values &v, const QString &name, QString *urlPassword)
        {
            QString url = v.text(u"url"_s);
            if (v.isSet(u"from-env"_s))
            {
                url = qEnvironmentVariable("DATABASE_URL");
                if (url.isEmpty())
                    return fail(ErrorCode::BadInput, u"--from-env: DATABASE_URL is not set"_s);
            }
            if (v.isSet(u"sqlite"_s))
                url = u"sqlite:"_s + v.text(u"sqlite"_s);
            ConnectionProfile profile;
            if (!url.isEmpty())
            {
                auto parsed = ConnectionProfile::fromUrl(name, url, urlPassword);
                if (!parsed)
                    return parsed;
                profile = *parsed;
            }
            profile.name = name;
            for (auto [option, field] : {std::pair{u"host"_s, &profile.host}, std::pair{u"dbname"_s, &profile.database},
                                         std::pair{u"user"_s, &profile.user}, std::pair{u"sslmode"_s, &profile.sslMode},
                                         std::pair{u"sslrootcert"_s, &profile.sslRootCert}, std::pair{u"sslcert"_s, &profile.sslCert},
                                         std::pair{u"sslkey"_s, &profile.sslKey}, std::pair{u"service"_s, &profile.service},
                                         std::pair{u"project"_s, &profile.project}, std::pair{u"migrations"_s, &profile.migrationsDir}})
                if (v.isSet(option))
                    *field = v.text(option);
            if (v.isSet(u"port"_s))
                profile.port = int(v.integer(u"port"_s));
            if (v.isSet(u"env"_s))
            {
                auto env = parseEnvironment(v.text(u"env"_s));
                if (!env)
                    return std::unexpected(env.error());
                profile.environment = *env;
            }
            return profile;
        }

        Output add(Invocation &in)
        {
            const Values &v = in.values;
            const QString name = v.arg(u"NAME"_s);
            QString urlPassword;
            auto profile = profileFromOptions(v, name, &urlPassword);
            if (!profile)
                return Output::failure(profile.error());
            QString password = urlPassword;
            if (v.isSet(u"save-password"_s) && password.isEmpty())
                password = v.isSet(u"password-stdin"_s) ? readStdinLine() : promptPassword(u"Password for profile '%1': "_s.arg(name));
            if (!password.isEmpty())
            {
                if (!SecretStore::isAvailable())
                    return Output::failure(Error::make(ErrorCode::BadInput,
                                                       u"a password was given but no OS keychain is available, and dbops never writes "
                                                       u"passwords to its own files. Remove it from the URL and put it in ~/.pgpass, or "
                                                       u"let dbops ask when it connects. Nothing was saved."_s));
                profile->savePassword = true;
            }
            if (auto ok = profile->validate(); !ok)
                return Output::failure(ok.error());
            auto saved = in.ctx.profiles->save(*profile);
            if (!saved)
                return Output::failure(saved.error());
            if (!password.isEmpty())
            {
                if (auto stored = SecretStore::writePassword(saved->secretKey(), password); !stored)
                {
                    (void)in.ctx.profiles->remove(saved->name); // nothing half-done
                    return Output::failure(stored.error());
                }
            }
            return Output::document(saved->toJson(), u"Added profile '%1' (%2): %3\n"_s.arg(saved->name, toString(saved->environment),
                                                                                            saved->targetDescription()));
        }

        Output remove(Invocation &in)
        {
            auto profile = in.ctx.profiles->get(in.values.arg(u"NAME"_s));
            if (!profile)
                return Output::failure(profile.error());
            if (profile->savePassword)
                (void)SecretStore::deletePassword(profile->secretKey());
            if (auto removed = in.ctx.profiles->remove(profile->name); !removed)
                return Output::failure(removed.error());
            return Output::document(QJsonObject{{u"removed"_s, profile->name}}, u"Removed profile '%1'.\n"_s.arg(profile->name));
        }

        QString testText(const QJsonObject &info)
        {
            const QJsonObject answered = info[u"answered_by"_s].toObject();
            const QStringList lines{
                u"Connected to "_s + info[u"target"_s].toString(),
                u"  answered by "_s + answered[u"host"_s].toString() + u':' + answered[u"port"_s].toString(),
                u"  server      PostgreSQL "_s + info[u"server_version"_s].toString(),
                u"  round trip  "_s + QString::number(info[u"latency_ms"_s].toDouble(), 'f', 2) + u" ms"_s,
                u"  ssl         "_s + (info[u"ssl"_s].toBool() ? u"yes ("_s + info[u"ssl_protocol"_s].toString() + u')' : u"no"_s),
                u"  user        "_s + info[u"current_user"_s].toString() + (info[u"superuser"_s].toBool() ? u" (superuser)"_s : QString()),
                u"  database    "_s + info[u"database"_s].toString(),
            };
            return lines.join(u'\n') + u'\n';
        }

        Output test(Invocation &in)
        {
            Expected<ConnectionProfile> profile =
                in.values.hasArg(u"name"_s) ? in.ctx.profiles->get(in.values.arg(u"name"_s)) : resolveTarget(in.values, in.ctx);
            if (!profile)
                return Output::failure(profile.error());
            if (profile->isSqlite())
                return Output::failure(
                    Error::make(ErrorCode::BadInput, u"profile '%1' is a SQLite file; nothing to connect to"_s.arg(profile->name)));
            Context &ctx = in.ctx;
            const ConnectionProfile target = *profile;
            auto result = runWithPassword<QJsonObject>(
                ctx, target, u"Test "_s + target.name, [&ctx, target](const QString &password, JobContext &jc) {
                    jc.progress(0, 0, u"connecting to "_s + target.targetDescription());
                    auto conn = Connector(ctx.profiles).open(target, password, jc.token());
                    jc.progress(0, 0, u"measuring"_s);
                    QJsonObject o = probeServer(*conn, jc.token()).toJson();
                    // With several hosts (h1:5433,h2:5434), the one that answered.
                    o[u"answered_by"_s] = QJsonObject{{u"host"_s, conn->host()}, {u"port"_s, conn->port()}};
                    return o;
                });
            if (!result.ok())
                return Output::failure(*result.error);
            return Output::document(*result.value, testText(*result.value));
        }

        CommandSpec listSpec()
        {
            return {u"profiles list"_s,
                    u"List connection profiles"_s,
                    u"List connection profiles, grouped by environment."_s,
                    {},
                    {jsonOption(u"Print JSON."_s)},
                    {},
                    {},
                    {},
                    &list};
        }

        CommandSpec addSpec()
        {
            const auto text = [](const QString &name, const QString &value, const QString &help) {
                return OptionSpec{name, ValueType::String, value, help};
            };
            const auto path = [](const QString &name, const QString &value, const QString &help) {
                return OptionSpec{name, ValueType::Path, value, help};
            };
            OptionSpec port{u"port"_s, ValueType::Integer, u"port"_s, u"Server port."_s};
            port.min = 1;
            port.max = 65535;
            OptionSpec sslmode{u"sslmode"_s, ValueType::Choice, u"mode"_s, u"disable, allow, prefer, require, verify-ca or verify-full."_s};
            sslmode.choices = {u"disable"_s, u"allow"_s, u"prefer"_s, u"require"_s, u"verify-ca"_s, u"verify-full"_s};
            return {u"profiles add"_s,
                    u"Add a connection profile"_s,
                    u"Add a connection profile. The password is never stored in a file of ours: it goes to the OS keychain "
                    u"(--save-password), or libpq reads ~/.pgpass, or dbops asks."_s,
                    {{u"NAME"_s, ValueType::String, u"The profile's name."_s}},
                    {
                        text(u"env"_s, u"env"_s, u"development, staging, production or other (default development)."_s),
                        text(u"url"_s, u"url"_s, u"A libpq URI or keyword string, or sqlite:PATH."_s),
                        {u"from-env"_s, ValueType::Flag, {}, u"Import $DATABASE_URL."_s},
                        text(u"host"_s, u"host"_s, u"Server host or socket folder."_s),
                        port,
                        text(u"dbname"_s, u"db"_s, u"Database name."_s),
                        text(u"user"_s, u"user"_s, u"User name."_s),
                        sslmode,
                        path(u"sslrootcert"_s, u"file"_s, u"Root certificate file."_s),
                        path(u"sslcert"_s, u"file"_s, u"Client certificate file."_s),
                        path(u"sslkey"_s, u"file"_s, u"Client key file."_s),
                        text(u"service"_s, u"name"_s, u"A pg_service.conf service name."_s),
                        path(u"sqlite"_s, u"path"_s, u"A SQLite database file."_s),
                        text(u"project"_s, u"name"_s, u"Group profiles of one application (dev/staging/production)."_s),
                        path(u"migrations"_s, u"dir"_s, u"The migrations folder of this database's project."_s),
                        {u"save-password"_s, ValueType::Flag, {}, u"Ask for the password and keep it in the OS keychain."_s},
                        {u"password-stdin"_s, ValueType::Flag, {}, u"With --save-password: read the password from stdin."_s},
                    },
                    {{u"url"_s, u"from-env"_s, u"sqlite"_s}},
                    {{u"password-stdin"_s, u"save-password"_s}},
                    {},
                    &add};
        }
    }

    CommandGroup profilesCommands()
    {
        CommandSpec testSpec{u"profiles test"_s,
                             u"Connect and show the server"_s,
                             u"Connect and show the server version, round-trip latency, SSL, the user and whether it is a superuser."_s,
                             {{u"name"_s, ValueType::String, u"The profile to test (or use --db/--profile)."_s, Arity::Optional}},
                             targetOptions() + QList{jsonOption(u"Print JSON."_s)},
                             {targetExclusion()},
                             {},
                             {},
                             &test};
        CommandSpec removeSpec{u"profiles remove"_s,
                               u"Remove a profile"_s,
                               u"Remove a connection profile and its keychain password."_s,
                               {{u"NAME"_s, ValueType::String, u"The profile to remove (its name)."_s}},
                               {},
                               {},
                               {},
                               {u"rm"_s},
                               &remove};
        return {u"profiles"_s, u"Connection profiles: list, add, remove, test"_s, {}, {listSpec(), addSpec(), removeSpec, testSpec}};
    }
}
