#include "core/jobs/canceltoken.h"

#include "core/error.h"

#include <QMutexLocker>

#include <optional>
#include <thread>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        /// One registered hook. `running` is held while the hook runs, so that its removal waits
        /// for a run in progress (and only for its own, not for other hooks of the token).
        /// Recursive: a hook may remove itself.
        struct Hook
        {
            std::function<void()> fn;
            std::atomic_bool removed{false};
            QRecursiveMutex running;
        };

        QMutex s_dispatcherMutex;
        CancelToken::Dispatcher &dispatcher()
        {
            static CancelToken::Dispatcher d;
            return d;
        }

        void dispatch(std::function<void()> task)
        {
            CancelToken::Dispatcher d;
            {
                QMutexLocker lock(&s_dispatcherMutex);
                d = dispatcher();
            }
            if (d)
                d(std::move(task));
            else
                std::thread(std::move(task)).detach(); // holds only the shared state (no Qt object)
        }
    }

    /// What the token and the cancel workers share: the flag and the hooks.
    struct CancelToken::State
    {
        std::atomic_bool cancelled{false};
        QMutex mutex; ///< guards `hooks` and `nextId`; never held while a hook runs
        std::map<int, std::shared_ptr<Hook>> hooks;
        int nextId = 1;

        std::vector<std::shared_ptr<Hook>> snapshot()
        {
            QMutexLocker lock(&mutex);
            std::vector<std::shared_ptr<Hook>> out;
            for (const auto &[id, hook] : hooks)
                out.push_back(hook);
            return out;
        }

        /// Runs each hook still registered, one at a time.
        void runHooks()
        {
            for (const std::shared_ptr<Hook> &hook : snapshot())
            {
                QMutexLocker run(&hook->running);
                if (!hook->removed.exchange(true))
                    hook->fn();
            }
        }

        /// Marks the hooks as removed (they will not run) and returns them.
        std::vector<std::shared_ptr<Hook>> take(std::optional<int> id)
        {
            QMutexLocker lock(&mutex);
            std::vector<std::shared_ptr<Hook>> out;
            for (auto it = hooks.begin(); it != hooks.end();)
            {
                if (id && it->first != *id)
                {
                    ++it;
                    continue;
                }
                it->second->removed = true;
                out.push_back(it->second);
                it = hooks.erase(it);
            }
            return out;
        }

        static void waitUntilIdle(const std::vector<std::shared_ptr<Hook>> &hooks)
        {
            for (const std::shared_ptr<Hook> &hook : hooks)
                QMutexLocker waitForRun(&hook->running);
        }
    };

    CancelToken::CancelToken()
        : m_state(std::make_shared<State>())
    {
    }

    CancelToken::~CancelToken()
    {
        State::waitUntilIdle(m_state->take(std::nullopt));
    }

    void CancelToken::setDispatcher(Dispatcher d)
    {
        QMutexLocker lock(&s_dispatcherMutex);
        dispatcher() = std::move(d);
    }

    bool CancelToken::isCancelled() const
    {
        return m_state->cancelled.load(std::memory_order_acquire);
    }

    void CancelToken::cancel()
    {
        if (m_state->cancelled.exchange(true))
            return;
        m_state->runHooks();
    }

    void CancelToken::requestCancel()
    {
        if (m_state->cancelled.exchange(true))
            return;
        {
            QMutexLocker lock(&m_state->mutex);
            if (m_state->hooks.empty())
                return; // nothing to send: the flag stops the body at its next checkpoint
        }
        dispatch([state = m_state] { state->runHooks(); });
    }

    void CancelToken::throwIfCancelled() const
    {
        if (isCancelled())
            throw Exception(ErrorCode::Cancelled, u"cancelled"_s);
    }

    int CancelToken::addHook(std::function<void()> hook)
    {
        {
            QMutexLocker lock(&m_state->mutex);
            if (!m_state->cancelled)
            {
                const int id = m_state->nextId++;
                auto entry = std::make_shared<Hook>();
                entry->fn = std::move(hook);
                m_state->hooks.emplace(id, std::move(entry));
                return id;
            }
        }
        hook(); // cancelled already: at once, on this thread
        return 0;
    }

    void CancelToken::removeHook(int id)
    {
        State::waitUntilIdle(m_state->take(id));
    }

    CancelHookScope::CancelHookScope(CancelToken *token, std::function<void()> hook)
        : m_token(token)
    {
        if (m_token)
            m_id = m_token->addHook(std::move(hook));
    }

    CancelHookScope::~CancelHookScope()
    {
        if (m_token && m_id)
            m_token->removeHook(m_id);
    }
}
