#include "core/db/threadguard.h"

#include "core/logging/log.h"

#include <QThread>

#include <atomic>

namespace dbops
{
    namespace
    {
        std::atomic<QThread *> g_guiThread{nullptr};
        std::atomic<quint64> g_guiCalls{0};
    }

    void setGuiThread(QThread *thread)
    {
        g_guiThread.store(thread);
    }

    void noteDatabaseCall(const char *what)
    {
        QThread *gui = g_guiThread.load(std::memory_order_relaxed);
        if (!gui || QThread::currentThread() != gui)
            return;
        g_guiCalls.fetch_add(1);
        spdlog::error("database call on the GUI thread: PgConnection::{} (it belongs in a job)", what);
    }

    quint64 guiThreadDatabaseCalls()
    {
        return g_guiCalls.load();
    }
}
