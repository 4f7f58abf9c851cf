#pragma once

#include "core/db/connectparams.h"
#include "core/error.h"

#include <QString>
#include <QStringList>

#include <functional>

namespace dbops
{
    class CancelToken;

    /// One run of a PostgreSQL client tool (pg_dump, pg_restore) (STYLE C4).
    struct PgProcessSpec
    {
        QString program;
        QStringList args;           ///< never a password: the connection goes in as --dbname=<keywords>
        ConnectParams connection;   ///< keywords become --dbname; the password a 0600 PGPASSFILE
        QString dbnameOption = QStringLiteral("--dbname"); ///< empty: no connection (e.g. --list of a file)
        int timeoutMs = 0;          ///< 0: none
        std::function<void(const QString &)> onStderrLine;
        /// When set, stdout is read as it arrives (e.g. pg_dump -Fc to stdout, hashed as it goes).
        std::function<void(const char *, qint64)> onStdout;
    };

    /// Runs the tool as an async QProcess driven by a local event loop on the calling (job)
    /// thread: stderr is split into lines with carry-over, stdout streamed to onStdout, a QTimer
    /// enforces the timeout, and a cancelled token kills the process within 100 ms.
    /// The password, if any, is written to a temporary passfile (mode 0600) that PGPASSFILE names
    /// and that is removed when the tool ends; it never appears in argv.
    /// Throws: Cancelled, Io (cannot start, timeout), OperationFailed (non-zero exit, with the
    /// last stderr lines). Returns the stderr lines.
    QStringList runPgProcess(const PgProcessSpec &spec, CancelToken *token);

    /// The connection keywords as a libpq keyword string (no password), for --dbname.
    QString keywordString(const ConnectParams &params);
}
