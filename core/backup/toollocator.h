#pragma once

#include "core/error.h"

#include <QList>
#include <QString>

namespace dbops
{
    class Store;

    /// A matched pair of client tools (one installation, one major version).
    struct PgTools
    {
        int major = 0;
        QString pgDump;
        QString pgRestore;
        QString binDir;
    };

    /// Where the DBA pinned the tools, if anywhere: $DBOPS_PG_TOOLS_DIR, else the store setting
    /// "backup.pg_bindir" (dbops backups --set-tools-dir / the Backups view). Empty: not pinned.
    /// A pinned folder is the only place looked: a DBA who names a tool gets that tool or an error,
    /// never a silent substitute.
    QString configuredToolDir(Store *store);
    void setConfiguredToolDir(Store &store, const QString &dir);

    /// Finds pg_dump + pg_restore whose major version is at least `serverMajor` (what pg_dump
    /// itself requires; older ones stop with "server version mismatch"). Unpinned: the installed
    /// versions (/usr/lib/postgresql/<N>/bin, ...) and PATH, preferring the lowest major that is
    /// >= the server's (the closest match). None fits: NotFound naming the server's version, every
    /// version found and where, and the Debian package to install. Blocking (runs --version).
    Expected<PgTools> locatePgTools(int serverMajor, const QString &pinnedDir = {});
}
