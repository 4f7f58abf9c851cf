#include "core/connect/connectionhold.h"

#include "core/error.h"
#include "core/jobs/canceltoken.h"

#include <QMutex>
#include <QStringList>
#include <QWaitCondition>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        struct Holds
        {
            QMutex mutex;
            QWaitCondition released;
            QStringList keys; ///< one per hold; a key held twice is listed twice
        };

        Holds &holds()
        {
            static Holds h;
            return h;
        }

        /// "host|port|database": the same strings whenever one profile was resolved twice.
        QString keyOf(const ConnectParams &server, const QString &database)
        {
            return server.value(u"host"_s) + u'|' + server.value(u"port"_s) + u'|' + database;
        }
    }

    std::shared_ptr<void> ConnectionHold::hold(const ConnectParams &server, const QString &database)
    {
        const QString key = keyOf(server, database);
        {
            QMutexLocker locked(&holds().mutex);
            holds().keys.append(key);
        }
        return std::shared_ptr<void>(nullptr, [key](void *) {
            QMutexLocker locked(&holds().mutex);
            holds().keys.removeOne(key);
            holds().released.wakeAll();
        });
    }

    bool ConnectionHold::isHeld(const ConnectParams &params)
    {
        QMutexLocker locked(&holds().mutex);
        return holds().keys.contains(keyOf(params, params.value(u"dbname"_s)));
    }

    void ConnectionHold::waitWhileHeld(const ConnectParams &params, CancelToken *token)
    {
        const QString key = keyOf(params, params.value(u"dbname"_s));
        QMutexLocker locked(&holds().mutex);
        while (holds().keys.contains(key))
        {
            if (token && token->isCancelled())
                throw Exception(ErrorCode::Cancelled, u"cancelled while %1 was held for a restore"_s.arg(params.value(u"dbname"_s)));
            holds().released.wait(&holds().mutex, 200); // the token has no wake-up of its own
        }
    }
}
