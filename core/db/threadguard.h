#pragma once

#include <QtGlobal>

class QThread;

namespace dbops
{
    /// The GUI thread never waits on a database (DESIGN.md, Threads), neither the server's nor the
    /// app's own SQLite store. The GUI registers its thread here; PgConnection::open/exec/
    /// execPipeline call noteDatabaseCall(), and Store::database() / SqliteSession::open/exec call
    /// noteStoreCall(): each counts (and logs as an error) every call made on that thread. The UI
    /// suites assert both counts stay 0. Thread-safe; one atomic load per call.
    void setGuiThread(QThread *thread);
    /// The registered GUI thread, or null.
    QThread *guiThread();
    /// Called by PgConnection on entry; `what` names the call for the log.
    void noteDatabaseCall(const char *what);
    /// Called by Store and SqliteSession on entry; `what` names the call for the log.
    void noteStoreCall(const char *what);
    /// How many libpq calls ran on the registered GUI thread since the process started.
    quint64 guiThreadDatabaseCalls();
    /// How many SQLite calls (the store, a SQLite session) ran on it since the process started.
    quint64 guiThreadStoreCalls();
}
