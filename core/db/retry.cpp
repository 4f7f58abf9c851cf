#include "core/db/retry.h"

#include "core/jobs/canceltoken.h"
#include "core/logging/log.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QThread>

#include <algorithm>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    int RetryPolicy::delayMs(int retry) const
    {
        const double base = std::min<double>(maxBackoffMs, initialBackoffMs * std::pow(multiplier, std::max(0, retry - 1)));
        const double factor = 1.0 + jitter * (2.0 * QRandomGenerator::global()->generateDouble() - 1.0);
        return std::max(0, int(base * factor));
    }

    bool isTransient(const Error &error)
    {
        if (error.code == ErrorCode::Auth || error.code == ErrorCode::Cancelled || error.code == ErrorCode::BadInput)
            return false;
        const QString &s = error.sqlstate;
        if (s.startsWith(u"08"_s) || s == u"57P01"_s || s == u"57P02"_s || s == u"57P03"_s || s == u"40001"_s
            || s == u"40P01"_s || s == u"55P03"_s || s == u"53300"_s)
            return true;
        if (!s.isEmpty())
            return false;
        static const char *const patterns[] = {
            "server closed the connection unexpectedly",
            "could not connect",
            "connection refused",
            "timeout expired",
            "the database system is starting up",
            "the database system is shutting down",
            "no connection to the server",
            "ssl syscall error",
            "could not receive data from server",
            "could not send data to server",
            "connection to server",
            "terminating connection due to administrator command",
        };
        const QString m = error.message.toLower();
        if (m.contains(u"password authentication failed"_s) || m.contains(u"no password supplied"_s)
            || m.contains(u"does not exist"_s))
            return false;
        for (const char *p : patterns)
            if (m.contains(QLatin1StringView(p)))
                return true;
        return error.code == ErrorCode::Connect;
    }

    void interruptibleSleep(int ms, CancelToken *token)
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < ms)
        {
            if (token)
                token->throwIfCancelled();
            QThread::msleep(std::min<qint64>(20, ms - timer.elapsed()));
        }
        if (token)
            token->throwIfCancelled();
    }

    void logRetry(const QString &what, int retry, int maxRetries, int delayMs, const Error &error)
    {
        spdlog::warn("{} failed ({}); retry {}/{} in {} ms", what, error.message.trimmed(), retry, maxRetries, delayMs);
    }
}
