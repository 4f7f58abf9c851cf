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
        std::atomic<quint64> g_guiStoreCalls{0};

        bool onGuiThread()
        {
            QThread *gui = g_guiThread.load(std::memory_order_relaxed);
            return gui && QThread::currentThread() == gui;
        }
    }

    void setGuiThread(QThread *thread)
    {
        g_guiThread.store(thread);
    }

    QThread *guiThread()
    {
        return g_guiThread.load();
    }

    void noteDatabaseCall(const char *what)
    {
        if (!onGuiThread())
            return;
        g_guiCalls.fetch_add(1);
        spdlog::error("database call on the GUI thread: PgConnection::{} (it belongs in a job)", what);
    }

    void noteStoreCall(const char *what)
    {
        if (!onGuiThread())
            return;
        g_guiStoreCalls.fetch_add(1);
        spdlog::error("SQLite call on the GUI thread: {} (it belongs in a job)", what);
    }

    quint64 guiThreadDatabaseCalls()
    {
        return g_guiCalls.load();
    }

    quint64 guiThreadStoreCalls()
    {
        return g_guiStoreCalls.load();
    }
}
