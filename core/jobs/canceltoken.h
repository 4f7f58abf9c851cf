#pragma once

#include <QMutex>

#include <atomic>
#include <functional>
#include <map>

namespace dbops
{
    /// Cooperative cancellation shared by a job and the code it runs (STYLE C2).
    /// Thread-safe. Hooks run on the thread that calls cancel() (e.g. PQcancel from the GUI
    /// thread, STYLE P6); a hook added after cancel() runs at once.
    class CancelToken final
    {
    public:
        CancelToken() = default;
        CancelToken(const CancelToken &) = delete;
        CancelToken &operator=(const CancelToken &) = delete;

        void cancel();
        bool isCancelled() const { return m_cancelled.load(std::memory_order_acquire); }
        /// Throws dbops::Exception(Cancelled) when cancelled.
        void throwIfCancelled() const;

        int addHook(std::function<void()> hook);
        void removeHook(int id);

    private:
        std::atomic_bool m_cancelled{false};
        /// Held while hooks run, so removeHook() (e.g. a CancelHookScope ending as its connection
        /// goes away) waits for a running hook instead of letting it use freed state. Recursive:
        /// a hook may add or remove hooks.
        QRecursiveMutex m_mutex;
        std::map<int, std::function<void()>> m_hooks;
        int m_nextId = 1;
    };

    /// Registers a hook for the scope's lifetime.
    class CancelHookScope final
    {
    public:
        CancelHookScope(CancelToken *token, std::function<void()> hook);
        ~CancelHookScope();
        CancelHookScope(const CancelHookScope &) = delete;
        CancelHookScope &operator=(const CancelHookScope &) = delete;

    private:
        CancelToken *m_token;
        int m_id = 0;
    };
}
