#include "app/cli/common.h"

#include "core/db/pgconnection.h"
#include "core/db/secretstore.h"
#include "core/db/serverinfo.h"
#include "core/jobs/job.h"
#include "core/store/profilestore.h"

#include <QJsonArray>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    namespace
    {
        int list(Context &ctx)
        {
            QCommandLineParser parser;
            parser.addOption({u"json"_s, u"Print JSON."_s});
            int code = 0;
            if (!parse(parser, ctx, u"List connection profiles, grouped by environment."_s, &code))
                return code;
            auto profiles = ctx.profiles->list();
            if (!profiles)
                return report(profiles.error());
            if (parser.isSet(u"json"_s))
            {
                QJsonArray arr;
                for (const auto &p : *profiles)
                    arr.append(p.toJson());
                printJson(QJsonDocument(QJsonObject{{u"profiles"_s, arr}}));
                return 0;
            }
            if (profiles->isEmpty())
            {
                out() << "No profiles. Add one with: dbops profiles add NAME --env ENV --url URL" << Qt::endl;
                return 0;
            }
            for (Environment env : {Environment::Production, Environment::Staging, Environment::Development, Environment::Other})
            {
                bool header = false;
                for (const auto &p : *profiles)
                {
                    if (p.environment != env)
                        continue;
                    if (!header)
                        out() << toString(env).toUpper() << "\n";
                    header = true;
                    out() << "  " << p.name.leftJustified(24) << " " << p.targetDescription();
                    if (!p.project.isEmpty())
                        out() << "  [" << p.project << "]";
                    out() << "\n";
                }
            }
            out().flush();
            return 0;
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

        int add(Context &ctx)
        {
            QCommandLineParser parser;
            parser.addPositionalArgument(u"name"_s, u"The profile's name."_s);
            parser.addOptions({
                {u"env"_s, u"development, staging, production or other (default development)."_s, u"env"_s},
                {u"url"_s, u"A libpq URI or keyword string, or sqlite:PATH."_s, u"url"_s},
                {u"from-env"_s, u"Import $DATABASE_URL."_s},
                {u"host"_s, u"Server host or socket folder."_s, u"host"_s},
                {u"port"_s, u"Server port."_s, u"port"_s},
                {u"dbname"_s, u"Database name."_s, u"db"_s},
                {u"user"_s, u"User name."_s, u"user"_s},
                {u"sslmode"_s, u"disable, allow, prefer, require, verify-ca or verify-full."_s, u"mode"_s},
                {u"sslrootcert"_s, u"Root certificate file."_s, u"file"_s},
                {u"sslcert"_s, u"Client certificate file."_s, u"file"_s},
                {u"sslkey"_s, u"Client key file."_s, u"file"_s},
                {u"service"_s, u"A pg_service.conf service name."_s, u"name"_s},
                {u"sqlite"_s, u"A SQLite database file."_s, u"path"_s},
                {u"project"_s, u"Group profiles of one application (dev/staging/production)."_s, u"name"_s},
                {u"migrations"_s, u"The migrations folder of this database's project."_s, u"dir"_s},
                {u"save-password"_s, u"Ask for the password and keep it in the OS keychain."_s},
                {u"password-stdin"_s, u"With --save-password: read the password from stdin."_s},
            });
            int code = 0;
            if (!parse(parser, ctx, u"Add a connection profile. The password is never stored in a file of ours: "
                                    u"it goes to the OS keychain (--save-password), or libpq reads ~/.pgpass, or dbops asks."_s,
                       &code, 1))
                return code;
            if (parser.positionalArguments().size() != 1)
                return report(Error::make(ErrorCode::Usage, u"profiles add needs exactly one NAME"_s));

            const QString name = parser.positionalArguments().first();
            QString url = parser.value(u"url"_s);
            if (parser.isSet(u"from-env"_s))
            {
                url = qEnvironmentVariable("DATABASE_URL");
                if (url.isEmpty())
                    return report(Error::make(ErrorCode::BadInput, u"--from-env: DATABASE_URL is not set"_s));
            }
            if (parser.isSet(u"sqlite"_s))
                url = u"sqlite:"_s + parser.value(u"sqlite"_s);

            QString urlPassword;
            ConnectionProfile profile;
            if (!url.isEmpty())
            {
                auto parsed = ConnectionProfile::fromUrl(name, url, &urlPassword);
                if (!parsed)
                    return report(parsed.error());
                profile = *parsed;
            }
            profile.name = name;
            const auto field = [&](const QString &opt, QString &target) {
                if (parser.isSet(opt))
                    target = parser.value(opt);
            };
            field(u"host"_s, profile.host);
            field(u"dbname"_s, profile.database);
            field(u"user"_s, profile.user);
            field(u"sslmode"_s, profile.sslMode);
            field(u"sslrootcert"_s, profile.sslRootCert);
            field(u"sslcert"_s, profile.sslCert);
            field(u"sslkey"_s, profile.sslKey);
            field(u"service"_s, profile.service);
            field(u"project"_s, profile.project);
            field(u"migrations"_s, profile.migrationsDir);
            if (parser.isSet(u"port"_s))
            {
                bool ok = false;
                profile.port = parser.value(u"port"_s).toInt(&ok);
                if (!ok)
                    return report(Error::make(ErrorCode::BadInput, u"--port '%1' is not a number"_s.arg(parser.value(u"port"_s))));
            }
            if (parser.isSet(u"env"_s))
            {
                auto env = parseEnvironment(parser.value(u"env"_s));
                if (!env)
                    return report(env.error());
                profile.environment = *env;
            }

            QString password = urlPassword;
            if (parser.isSet(u"save-password"_s) && password.isEmpty())
                password = parser.isSet(u"password-stdin"_s) ? readStdinLine() : promptPassword(u"Password for profile '%1': "_s.arg(name));
            if (!password.isEmpty())
            {
                if (!SecretStore::isAvailable())
                    return report(Error::make(ErrorCode::BadInput,
                                              u"a password was given but no OS keychain is available, and dbops never writes passwords "
                                              u"to its own files. Remove it from the URL and put it in ~/.pgpass, or let dbops ask "
                                              u"when it connects. Nothing was saved."_s));
                profile.savePassword = true;
            }
            if (auto ok = profile.validate(); !ok)
                return report(ok.error());
            auto saved = ctx.profiles->save(profile);
            if (!saved)
                return report(saved.error());
            if (!password.isEmpty())
            {
                if (auto stored = SecretStore::writePassword(saved->secretKey(), password); !stored)
                {
                    (void)ctx.profiles->remove(saved->name); // nothing half-done
                    return report(stored.error());
                }
            }
            out() << "Added profile '" << saved->name << "' (" << toString(saved->environment) << "): "
                  << saved->targetDescription() << Qt::endl;
            return 0;
        }

        int remove(Context &ctx)
        {
            QCommandLineParser parser;
            parser.addPositionalArgument(u"name"_s, u"The profile to remove."_s);
            int code = 0;
            if (!parse(parser, ctx, u"Remove a connection profile and its keychain password."_s, &code, 1))
                return code;
            if (parser.positionalArguments().size() != 1)
                return report(Error::make(ErrorCode::Usage, u"profiles remove needs exactly one NAME"_s));
            auto profile = ctx.profiles->get(parser.positionalArguments().first());
            if (!profile)
                return report(profile.error());
            if (profile->savePassword)
                (void)SecretStore::deletePassword(profile->secretKey());
            if (auto removed = ctx.profiles->remove(profile->name); !removed)
                return report(removed.error());
            out() << "Removed profile '" << profile->name << "'." << Qt::endl;
            return 0;
        }

        int test(Context &ctx)
        {
            QCommandLineParser parser;
            parser.addPositionalArgument(u"name"_s, u"The profile to test (or use --db/--profile)."_s, u"[name]"_s);
            addTargetOptions(parser);
            parser.addOption({u"json"_s, u"Print JSON."_s});
            int code = 0;
            if (!parse(parser, ctx, u"Connect and show the server version, round-trip latency, SSL, the user and "
                                    u"whether it is a superuser."_s,
                       &code, 1))
                return code;
            Expected<ConnectionProfile> profile = parser.positionalArguments().size() == 1
                                                      ? ctx.profiles->get(parser.positionalArguments().first())
                                                      : resolveTarget(parser, ctx);
            if (!profile)
                return report(profile.error());
            if (profile->isSqlite())
                return report(Error::make(ErrorCode::BadInput, u"profile '%1' is a SQLite file; nothing to connect to"_s.arg(profile->name)));
            auto result = withConnection(ctx, *profile, u"Test "_s + profile->name, [](PgConnection &conn, JobContext &jc) {
                jc.progress(0, 0, u"measuring"_s);
                QJsonObject o = probeServer(conn, jc.token()).toJson();
                // With several hosts (h1:5433,h2:5434), the one that answered.
                o[u"answered_by"_s] = QJsonObject{{u"host"_s, conn.host()}, {u"port"_s, conn.port()}};
                return QVariant::fromValue(o);
            });
            if (!result)
                return report(result.error());
            const QJsonObject info = result->toJsonObject();
            if (parser.isSet(u"json"_s))
            {
                printJson(QJsonDocument(info));
                return 0;
            }
            const QJsonObject answered = info[u"answered_by"_s].toObject();
            out() << "Connected to " << info[u"target"_s].toString() << "\n"
                  << "  answered by " << answered[u"host"_s].toString() << ":" << answered[u"port"_s].toString() << "\n"
                  << "  server      PostgreSQL " << info[u"server_version"_s].toString() << "\n"
                  << "  round trip  " << QString::number(info[u"latency_ms"_s].toDouble(), 'f', 2) << " ms\n"
                  << "  ssl         " << (info[u"ssl"_s].toBool() ? u"yes ("_s + info[u"ssl_protocol"_s].toString() + u')' : u"no"_s) << "\n"
                  << "  user        " << info[u"current_user"_s].toString()
                  << (info[u"superuser"_s].toBool() ? " (superuser)" : "") << "\n"
                  << "  database    " << info[u"database"_s].toString() << Qt::endl;
            return 0;
        }
    }

    int cmdProfiles(Context &ctx)
    {
        const QString sub = ctx.args.value(1);
        Context subCtx = ctx;
        subCtx.args = ctx.args.mid(1);
        if (!subCtx.args.isEmpty())
            subCtx.args[0] = u"profiles "_s + sub;
        if (sub == u"list"_s)
            return list(subCtx);
        if (sub == u"add"_s)
            return add(subCtx);
        if (sub == u"remove"_s || sub == u"rm"_s)
            return remove(subCtx);
        if (sub == u"test"_s)
            return test(subCtx);
        const bool help = sub.isEmpty() || sub == u"--help"_s || sub == u"-h"_s;
        QTextStream &stream = help ? out() : err();
        if (!help)
            stream << "dbops profiles: unknown subcommand '" << sub << "'\n";
        stream
                               << "Usage: dbops profiles list [--json]\n"
                               << "       dbops profiles add NAME [--env ENV] (--url URL | --from-env | --host H ... | --service S | --sqlite PATH)\n"
                               << "       dbops profiles remove NAME\n"
                               << "       dbops profiles test NAME [--json]\n"
                               << "Each subcommand takes --help." << Qt::endl;
        return help ? 0 : 2;
    }
}
