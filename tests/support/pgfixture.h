#pragma once

#include "core/db/connectparams.h"
#include "core/db/pgconnection.h"
#include "core/db/profile.h"
#include "core/sandbox/sandbox.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace dbops::test
{
    /// The live-PostgreSQL fixture: the product's own Sandbox (STYLE T4). One cluster per test
    /// executable, a fresh database per test case. When no server can be started the test fails
    /// with the reason; it never skips.
    class PgFixture final
    {
    public:
        /// Starts the shared cluster (once). Returns false and sets `why` when it cannot.
        static bool ensureStarted(QString *why);
        static Sandbox &sandbox();

        /// A new, empty database with a unique name; returns its parameters.
        static ConnectParams newDatabase(const QString &prefix = QStringLiteral("t"));
        static std::unique_ptr<PgConnection> connect(const ConnectParams &params);
        /// The dbops CLI built beside the tests ($DBOPS_CLI).
        static QString cliPath();
        /// A private DBOPS_HOME for processes the test starts, created once per executable.
        static QString home();
    };

    /// This test process (and what it starts) as a user with no password anywhere: no PGPASSWORD,
    /// and a PGPASSFILE that does not exist.
    void forgetPasswords();
    /// This test process (and what it starts) uses `home` as DBOPS_HOME, without the keychain, and
    /// logs to neither stderr nor a file.
    /// The application log off (no stderr, no file): for suites that start dbops' own services.
    void quietLogging();
    void usePrivateHome(const QString &home);

    /// The table (or any relation) `name` exists, as to_regclass sees it from `conn`.
    bool tableExists(PgConnection &conn, const QString &name);
    /// A database of that name exists in the fixture's cluster.
    bool databaseExists(const QString &name);
    /// A new LOGIN role with a password, named `prefix_<pid>_<n>` (the sandbox requires scram for
    /// every role but postgres); returns its name.
    QString newRole(PgConnection &admin, const QString &prefix, const QString &password);
    /// A connection profile for the database of `params` (host, port, user, database).
    ConnectionProfile profileFor(const QString &name, Environment env, const ConnectParams &params, const QString &migrationsDir = {});
}

/// Use in initTestCase(): fails the suite with the reason when PostgreSQL cannot start.
#define DBOPS_REQUIRE_PG()                                                                                                                 \
    do                                                                                                                                     \
    {                                                                                                                                      \
        QString why_;                                                                                                                      \
        if (!dbops::test::PgFixture::ensureStarted(&why_))                                                                                 \
            QFAIL(qPrintable(QStringLiteral("cannot start the test PostgreSQL: ") + why_));                                                \
    } while (false)
