#include "core/db/retry.h"

#include "core/jobs/canceltoken.h"
#include "core/logging/log.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <limits>

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
        if (s.startsWith(u"08"_s) || s == u"57P01"_s || s == u"57P02"_s || s == u"57P03"_s || s == u"40001"_s || s == u"40P01"_s
            || s == u"55P03"_s || s == u"53300"_s)
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
        if (m.contains(u"password authentication failed"_s) || m.contains(u"no password supplied"_s) || m.contains(u"does not exist"_s))
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

    RetryBudget::RetryBudget(int maxRetries, qint64 maxWaitMs, QString setting)
        : m_maxRetries(std::max(0, maxRetries))
        , m_maxWaitMs(maxWaitMs)
        , m_setting(std::move(setting))
    {
    }

    qint64 RetryBudget::remainingMs() const
    {
        if (m_maxWaitMs < 0)
            return std::numeric_limits<qint64>::max();
        return std::max<qint64>(0, m_maxWaitMs - m_spentMs);
    }

    void RetryBudget::spend(qint64 ms)
    {
        m_spentMs += std::max<qint64>(0, ms);
    }

    void RetryBudget::noteFailure(const QString &what, const Error &)
    {
        ++m_attempts;
        m_lastWhat = what;
    }

    bool RetryBudget::retry(const RetryPolicy &policy, CancelToken *token)
    {
        const int delay = policy.delayMs(m_retries + 1);
        if (m_retries >= m_maxRetries || remainingMs() <= 0)
        {
            m_gaveUp = true;
            return false;
        }
        // The last delay is cut to what is left, so the final attempt still happens in time.
        const int wait = int(std::min<qint64>(delay, remainingMs()));
        ++m_retries;
        spdlog::warn("{} failed; retry {}/{} in {} ms ({} ms of the {} wait budget left)", m_lastWhat, m_retries, m_maxRetries, wait,
                     remainingMs() == std::numeric_limits<qint64>::max() ? -1 : remainingMs(),
                     m_maxWaitMs < 0 ? u"unlimited"_s : u"%1 ms"_s.arg(m_maxWaitMs));
        QElapsedTimer slept;
        slept.start();
        interruptibleSleep(wait, token);
        spend(slept.elapsed());
        return true;
    }

    Error RetryBudget::exhausted(const Error &last) const
    {
        Error e = last;
        const QString bound = m_maxWaitMs < 0 ? u"no time limit"_s : u"a wait budget of %1 s"_s.arg(m_maxWaitMs / 1000.0, 0, 'f', 1);
        // One multi-argument arg(): a '%' inside the target's name or the reason stays as it is.
        e.message = u"%1: gave up after %2 attempt(s) in %3 s (%4%5, at most %6 retries in all); last error: %7"_s.arg(
            m_lastWhat.isEmpty() ? u"connecting"_s : m_lastWhat, QString::number(m_attempts), QString::number(m_spentMs / 1000.0, 'f', 1),
            bound, m_setting.isEmpty() ? QString() : u" from "_s + m_setting, QString::number(m_maxRetries), last.message.trimmed());
        return e;
    }

    void logRetry(const QString &what, int retry, int maxRetries, int delayMs, const Error &error)
    {
        spdlog::warn("{} failed ({}); retry {}/{} in {} ms", what, error.message.trimmed(), retry, maxRetries, delayMs);
    }
}
