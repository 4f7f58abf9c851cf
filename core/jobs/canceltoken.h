#pragma once

#include <QMutex>

#include <atomic>
#include <functional>
#include <map>
#include <memory>

namespace dbops
{
    /// Cooperative cancellation shared by a job and the code it runs (STYLE C2). Thread-safe.
    ///
    /// Two ways to cancel. requestCancel() (what Job::cancel() and so every Cancel button uses)
    /// sets the flag at once and returns; the hooks (e.g. PQcancel, blocking network I/O that can
    /// hang for minutes against an unreachable server) are sent from a cancel worker thread, never
    /// from the caller: STYLE P6's "from the requesting thread" would freeze the GUI thread, which
    /// never waits on the network. cancel() runs the hooks on the calling thread before it returns:
    /// only for threads that may block (a worker, a CLI).
    ///
    /// Safety: the hooks live in state shared with the cancel worker, which outlives the token. A
    /// hook removed (its CancelHookScope ended, its connection going away) or whose token was
    /// destroyed before the worker reached it never runs; removing a hook that is running waits
    /// until it has returned, so it never runs on freed state. A hook added after a cancel runs at
    /// once, on the adding thread. Each hook runs at most once.
    class CancelToken final
    {
    public:
        CancelToken();
        /// Removes every hook; waits only for one that is running right now.
        ~CancelToken();
        CancelToken(const CancelToken &) = delete;
        CancelToken &operator=(const CancelToken &) = delete;

        /// Sets the flag and runs the hooks on the calling thread (blocking). Idempotent.
        void cancel();
        /// Sets the flag at once and sends the hooks from a cancel worker; returns without waiting
        /// for them. Idempotent (also after cancel()).
        void requestCancel();
        bool isCancelled() const;
        /// Throws dbops::Exception(Cancelled) when cancelled.
        void throwIfCancelled() const;

        int addHook(std::function<void()> hook);
        /// The hook will not run from now on; returns once a run of it in progress has ended.
        void removeHook(int id);

        /// How requestCancel() sends the hooks: `task` must be run once, on some thread other than
        /// the caller's. The default starts one short-lived detached thread per request (requests
        /// are rare, and one PQcancel hanging on an unreachable server must not hold up the cancels
        /// of other jobs). Tests replace it to control when the worker runs; empty restores it.
        using Dispatcher = std::function<void(std::function<void()> task)>;
        static void setDispatcher(Dispatcher dispatcher);

        struct State;

    private:
        std::shared_ptr<State> m_state;
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
