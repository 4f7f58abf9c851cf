#pragma once

#include "core/db/connectparams.h"
#include "core/error.h"

#include <QJsonObject>
#include <QString>

namespace dbops
{
    enum class Environment
    {
        Development,
        Staging,
        Production,
        Other
    };
    QString toString(Environment env);
    /// "development", "dev", "staging", "stage", "production", "prod", "other" -> Environment.
    Expected<Environment> parseEnvironment(const QString &text);
    /// The environment's colour as #rrggbb (core has no QColor): green, amber, red, slate.
    QString environmentColor(Environment env);

    /// A saved connection: name, environment, how to connect, and never a password (the password
    /// lives in the OS keychain, .pgpass, or a prompt).
    struct ConnectionProfile
    {
        enum class Kind
        {
            Postgres,
            Sqlite
        };

        qint64 id = 0;
        QString name;
        Environment environment = Environment::Development;
        QString project; ///< groups dev/staging/production of one application
        Kind kind = Kind::Postgres;

        // One of: fields, a conninfo (URI or keyword string, password removed), or a service.
        QString host;
        int port = 0;
        QString database;
        QString user;
        QString sslMode;
        QString sslRootCert;
        QString sslCert;
        QString sslKey;
        QString service;
        QString conninfo;

        QString sqlitePath;
        QString migrationsDir;
        bool managedSandbox = false; ///< the built-in "Local sandbox": started on demand
        bool savePassword = false;   ///< a password for it is kept in the OS keychain

        bool isProduction() const { return environment == Environment::Production; }
        bool isSqlite() const { return kind == Kind::Sqlite; }

        /// The libpq parameters (no password). BadInput when the conninfo does not parse.
        Expected<ConnectParams> toConnectParams() const;
        /// "user@host:port/db" or the SQLite path, for titles and the status bar.
        QString targetDescription() const;
        /// The key under which the keychain stores this profile's password.
        QString secretKey() const { return QStringLiteral("profile/") + name; }

        /// Builds a profile from a libpq URI/keyword string (e.g. DATABASE_URL) or "sqlite:PATH".
        /// The password, if any, is returned in `password` and NOT kept in the profile.
        static Expected<ConnectionProfile> fromUrl(const QString &name, const QString &url, QString *password = nullptr);

        QJsonObject toJson() const;
        /// Checks the fields a profile needs; BadInput naming the first wrong field.
        Expected<void> validate() const;
    };
}
