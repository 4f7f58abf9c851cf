#include "core/locks/sessionfilter.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    bool SessionFilter::matches(const BackendSession &s, const LockSnapshot *snapshot) const
    {
        switch (category)
        {
        case Category::All:
            break;
        case Category::Active:
            if (s.state != u"active"_s)
                return false;
            break;
        case Category::IdleInTransaction:
            if (!s.isIdleInTransaction())
                return false;
            break;
        case Category::Waiting:
            if (!s.waiting)
                return false;
            break;
        case Category::Blocking:
            if (!snapshot || !snapshot->tree.node(s.pid))
                return false;
            break;
        case Category::ClientBackends:
            // A plain role sees no backend_type for other roles' sessions: unknown is not hidden.
            if (!s.backendType.isEmpty() && s.backendType != u"client backend"_s)
                return false;
            break;
        }
        if (text.isEmpty())
            return true;
        const auto has = [this](const QString &field) { return field.contains(text, Qt::CaseInsensitive); };
        return QString::number(s.pid) == text || has(s.user) || has(s.database) || has(s.application) || has(s.clientAddress)
               || has(s.query) || has(s.state);
    }
}
