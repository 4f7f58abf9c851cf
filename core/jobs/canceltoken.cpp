#include "core/jobs/canceltoken.h"

#include "core/error.h"

#include <QMutexLocker>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    void CancelToken::cancel()
    {
        QMutexLocker lock(&m_mutex);
        if (m_cancelled.exchange(true))
            return;
        const std::map<int, std::function<void()>> hooks = m_hooks;
        for (const auto &[id, hook] : hooks)
            hook();
    }

    void CancelToken::throwIfCancelled() const
    {
        if (isCancelled())
            throw Exception(ErrorCode::Cancelled, u"cancelled"_s);
    }

    int CancelToken::addHook(std::function<void()> hook)
    {
        QMutexLocker lock(&m_mutex);
        if (!m_cancelled)
        {
            const int id = m_nextId++;
            m_hooks.emplace(id, std::move(hook));
            return id;
        }
        hook();
        return 0;
    }

    void CancelToken::removeHook(int id)
    {
        QMutexLocker lock(&m_mutex);
        m_hooks.erase(id);
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
