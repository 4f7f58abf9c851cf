#pragma once

#include <QtGlobal>

class QThread;

namespace dbops
{
    /// The GUI thread never waits on a database (DESIGN.md, Threads). The GUI registers its
    /// thread here; PgConnection::open/exec/execPipeline call noteDatabaseCall(), which counts
    /// (and logs as an error) every call made on that thread. Tests assert the count stays 0.
    /// Thread-safe; one atomic load per call when no GUI thread is registered.
    void setGuiThread(QThread *thread);
    /// Called by PgConnection on entry; `what` names the call for the log.
    void noteDatabaseCall(const char *what);
    /// How many database calls ran on the registered GUI thread since the process started.
    quint64 guiThreadDatabaseCalls();
}
