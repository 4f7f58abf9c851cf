#include "core/db/profile.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString toString(Environment env)
    {
        switch (env)
        {
        case Environment::Development:
            return u"development"_s;
        case Environment::Staging:
            return u"staging"_s;
        case Environment::Production:
            return u"production"_s;
        case Environment::Other:
            return u"other"_s;
        }
        return {};
    }

    Expected<Environment> parseEnvironment(const QString &text)
    {
        const QString t = text.trimmed().toLower();
        if (t == u"development"_s || t == u"dev"_s)
            return Environment::Development;
        if (t == u"staging"_s || t == u"stage"_s)
            return Environment::Staging;
        if (t == u"production"_s || t == u"prod"_s)
            return Environment::Production;
        if (t == u"other"_s)
            return Environment::Other;
        return fail(ErrorCode::BadInput, u"unknown environment '%1' (expected development, staging, production or other)"_s.arg(text));
    }

    QString environmentColor(Environment env)
    {
        switch (env)
        {
        case Environment::Development:
            return u"#2e7d32"_s;
        case Environment::Staging:
            return u"#c77800"_s;
        case Environment::Production:
            return u"#c62828"_s;
        case Environment::Other:
            return u"#546e7a"_s;
        }
        return u"#546e7a"_s;
    }

    Expected<ConnectParams> ConnectionProfile::toConnectParams() const
    {
        if (isSqlite())
            return fail(ErrorCode::BadInput, u"profile '%1' is a SQLite file, not a PostgreSQL server"_s.arg(name));
        ConnectParams p;
        if (!conninfo.isEmpty())
        {
            auto parsed = ConnectParams::parse(conninfo);
            if (!parsed)
                return std::unexpected(parsed.error());
            p = *parsed;
            p.password.clear();
        }
        if (!service.isEmpty())
            p.set(u"service"_s, service);
        if (!host.isEmpty())
            p.set(u"host"_s, host);
        if (port > 0)
            p.set(u"port"_s, QString::number(port));
        if (!database.isEmpty())
            p.set(u"dbname"_s, database);
        if (!user.isEmpty())
            p.set(u"user"_s, user);
        if (!sslMode.isEmpty())
            p.set(u"sslmode"_s, sslMode);
        if (!sslRootCert.isEmpty())
            p.set(u"sslrootcert"_s, sslRootCert);
        if (!sslCert.isEmpty())
            p.set(u"sslcert"_s, sslCert);
        if (!sslKey.isEmpty())
            p.set(u"sslkey"_s, sslKey);
        return p;
    }

    QString ConnectionProfile::targetDescription() const
    {
        if (isSqlite())
            return u"sqlite:"_s + sqlitePath;
        auto p = toConnectParams();
        return p ? p->shortName() : u"(invalid connection string)"_s;
    }

    Expected<ConnectionProfile> ConnectionProfile::fromUrl(const QString &name, const QString &url, QString *password)
    {
        ConnectionProfile profile;
        profile.name = name;
        const QString text = url.trimmed();
        if (text.startsWith(u"sqlite:"_s))
        {
            profile.kind = Kind::Sqlite;
            profile.sqlitePath = text.mid(7);
            if (profile.sqlitePath.startsWith(u"//"_s))
                profile.sqlitePath = profile.sqlitePath.mid(2);
            if (profile.sqlitePath.isEmpty())
                return fail(ErrorCode::BadInput, u"sqlite: needs a file path, e.g. sqlite:/path/app.db"_s);
            return profile;
        }
        auto parsed = ConnectParams::parse(text);
        if (!parsed)
            return std::unexpected(parsed.error());
        if (password)
            *password = parsed->password;
        // Keep the structured fields; anything else stays in a keyword string without the password.
        ConnectParams rest = *parsed;
        rest.password.clear();
        const auto take = [&](const QString &key) {
            const QString v = rest.value(key);
            rest.remove(key);
            return v;
        };
        // Several hosts or ports (libpq tries "h1:5433,h2:5434" in order, one port for all or one
        // per host) do not fit the single host and port fields: they stay in the keyword string
        // exactly as libpq parsed them, so no port is lost to 5432.
        const bool multiHost =
            rest.value(u"host"_s).contains(u',') || rest.value(u"port"_s).contains(u',') || rest.value(u"hostaddr"_s).contains(u',');
        if (!multiHost)
        {
            profile.host = take(u"host"_s);
            profile.port = take(u"port"_s).toInt();
        }
        profile.database = take(u"dbname"_s);
        profile.user = take(u"user"_s);
        profile.sslMode = take(u"sslmode"_s);
        profile.sslRootCert = take(u"sslrootcert"_s);
        profile.sslCert = take(u"sslcert"_s);
        profile.sslKey = take(u"sslkey"_s);
        profile.service = take(u"service"_s);
        if (!rest.keywords.isEmpty())
            profile.conninfo = rest.toDisplayString();
        return profile;
    }

    QJsonObject ConnectionProfile::toJson() const
    {
        QJsonObject o{
            {u"name"_s, name},
            {u"environment"_s, toString(environment)},
            {u"kind"_s, isSqlite() ? u"sqlite"_s : u"postgres"_s},
            {u"target"_s, targetDescription()},
        };
        if (!project.isEmpty())
            o[u"project"_s] = project;
        if (!migrationsDir.isEmpty())
            o[u"migrations"_s] = migrationsDir;
        if (managedSandbox)
            o[u"sandbox"_s] = true;
        o[u"password_in_keychain"_s] = savePassword;
        return o;
    }

    Expected<void> ConnectionProfile::validate() const
    {
        static const QRegularExpression nameRe(u"^[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,62}$"_s);
        if (!nameRe.match(name).hasMatch())
            return fail(ErrorCode::BadInput,
                        u"profile name '%1' is not valid: use letters, digits, spaces, '.', '_' or '-' (at most 63)"_s.arg(name));
        if (isSqlite())
        {
            if (sqlitePath.isEmpty())
                return fail(ErrorCode::BadInput, u"a SQLite profile needs a file path"_s);
            return {};
        }
        if (port < 0 || port > 65535)
            return fail(ErrorCode::BadInput, u"port %1 is out of range (1-65535)"_s.arg(port));
        static const QStringList sslModes = {u"disable"_s, u"allow"_s, u"prefer"_s, u"require"_s, u"verify-ca"_s, u"verify-full"_s};
        if (!sslMode.isEmpty() && !sslModes.contains(sslMode))
            return fail(ErrorCode::BadInput, u"sslmode '%1' is not one of %2"_s.arg(sslMode, sslModes.join(u", "_s)));
        auto params = toConnectParams();
        if (!params)
            return std::unexpected(params.error());
        if (conninfo.isEmpty() && host.isEmpty() && service.isEmpty() && database.isEmpty() && !managedSandbox)
            return fail(ErrorCode::BadInput, u"profile '%1' names no server: give a host, a service or a connection string"_s.arg(name));
        return {};
    }
}
