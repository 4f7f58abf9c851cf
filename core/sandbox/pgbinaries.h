#pragma once

#include "core/error.h"

#include <QList>
#include <QString>

namespace dbops
{
    /// An installed set of PostgreSQL programs (one major version).
    struct PgInstallation
    {
        int major = 0;
        QString binDir;
    };

    /// Finds installed PostgreSQL versions: $DBOPS_PG_BINDIR, /usr/lib/postgresql/<N>/bin (Debian),
    /// /usr/pgsql-<N>/bin (RHEL), /opt/homebrew and /usr/local layouts, then PATH. Highest first.
    /// `program` is the program that must exist in the folder (initdb for a server, pg_dump for
    /// client tools).
    QList<PgInstallation> findPgInstallations(const QString &program);

    /// The major version a program reports with --version ("pg_dump (PostgreSQL) 15.18" -> 15), or 0.
    int programMajorVersion(const QString &programPath);
}
