#include "core/migrate/migrationlock.h"

#include "core/db/pgconnection.h"
#include "core/db/retry.h"
#include "core/jobs/canceltoken.h"
#include "core/logging/log.h"
#include "core/sql/sqlresource.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QThread>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString LockHolder::toText() const
    {
        return u"pid %1 (application '%2', user %3, client %4, connected since %5, %6)"_s.arg(pid).arg(
            applicationName, user, client, since.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s), state);
    }

    QJsonObject LockHolder::toJson() const
    {
        return QJsonObject{{u"pid"_s, pid},
                           {u"application_name"_s, applicationName},
                           {u"user"_s, user},
                           {u"client"_s, client},
                           {u"since"_s, since.toUTC().toString(Qt::ISODateWithMs)},
                           {u"state"_s, state},
                           {u"query"_s, query}};
    }

    std::optional<LockHolder> MigrationLock::holder(PgConnection &conn, qint64 key, CancelToken *token)
    {
        const QueryResult r = conn.exec(sqlResource(u"migrate/lock_holder"), {QString::number(key)}, token);
        if (r.isEmpty())
            return std::nullopt;
        LockHolder h;
        h.pid = r.value(0, u"pid"_s).toInt();
        h.applicationName = r.text(0, u"application_name"_s);
        h.user = r.text(0, u"usename"_s);
        h.client = r.text(0, u"client"_s);
        h.since = QDateTime::fromString(r.text(0, u"since"_s), Qt::ISODateWithMs);
        h.state = r.text(0, u"state"_s);
        h.query = r.text(0, u"query"_s);
        return h;
    }

    MigrationLock::MigrationLock(PgConnection &conn, qint64 key, const MigrationSettings &settings, CancelToken *token,
                                 const WaitingCallback &onWaiting, Mode mode)
        : m_conn(conn)
        , m_key(key)
        , m_mode(mode)
    {
        QElapsedTimer total;
        total.start();
        const qint64 maxWaitMs = qint64(settings.maxWaitSec) * 1000;
        const RetryPolicy backoff{.maxRetries = settings.maxRetries,
                                  .initialBackoffMs = settings.retryBackoffMs,
                                  .multiplier = 2.0,
                                  .maxBackoffMs = 30000,
                                  .jitter = 0.25};
        const QString tryLock = sqlResource(mode == Mode::Shared ? u"migrate/lock_try_shared" : u"migrate/lock_try");
        const QVariantList params{QString::number(key)};

        for (int attempt = 0;; ++attempt)
        {
            QElapsedTimer thisAttempt;
            thisAttempt.start();
            const qint64 attemptMs = std::min<qint64>(qint64(settings.lockTimeoutSec) * 1000, maxWaitMs - total.elapsed());
            int pollMs = 5;
            qint64 lastHolderCheck = -1000000;
            for (;;)
            {
                if (m_conn.exec(tryLock, params, token).value(0, 0).toBool())
                {
                    m_waitedMs = int(total.elapsed());
                    if (m_waitedFor)
                        spdlog::info("migration lock acquired after waiting {} ms", m_waitedMs);
                    return;
                }
                // Who holds it? Asked at once, then about once a second, and reported when it changes.
                if (total.elapsed() - lastHolderCheck >= 1000)
                {
                    lastHolderCheck = total.elapsed();
                    auto h = holder(m_conn, key, token);
                    if (h && (!m_waitedFor || !(*m_waitedFor == *h)))
                    {
                        spdlog::warn("waiting for the migration lock held by {}", h->toText());
                        if (onWaiting)
                            onWaiting(*h, int(total.elapsed()));
                    }
                    if (h)
                        m_waitedFor = h;
                }
                if (thisAttempt.elapsed() >= attemptMs)
                    break;
                const int jittered = int(pollMs * (0.5 + QRandomGenerator::global()->generateDouble()));
                interruptibleSleep(std::max<int>(1, std::min<qint64>(jittered, attemptMs - thisAttempt.elapsed())), token);
                pollMs = std::min(50, pollMs * 2);
            }
            if (total.elapsed() >= maxWaitMs || attempt >= settings.maxRetries)
            {
                Error e = Error::make(ErrorCode::LockTimeout,
                                      u"the migration lock was not acquired within %1 s"_s.arg(total.elapsed() / 1000.0, 0, 'f', 1));
                e.detail = m_waitedFor ? u"held by "_s + m_waitedFor->toText() : u"the holder has gone; try again"_s;
                e.hint =
                    u"raise MIGRATION_MAX_WAIT_TIME, or end the holder with: dbops terminate %1"_s.arg(m_waitedFor ? m_waitedFor->pid : 0);
                throw Exception(e);
            }
            const int delay = int(std::min<qint64>(backoff.delayMs(attempt + 1), maxWaitMs - total.elapsed()));
            spdlog::warn("migration lock attempt {} timed out after {} s; retrying in {} ms", attempt + 1, settings.lockTimeoutSec, delay);
            interruptibleSleep(std::max(0, delay), token);
        }
    }

    bool MigrationLock::release()
    {
        if (m_released)
            return true;
        m_released = true;
        if (!m_conn.isOk())
        {
            spdlog::info("migration lock {} goes with its lost session (the server frees it)", m_key);
            return false;
        }
        try
        {
            const bool held = m_conn
                                  .exec(sqlResource(m_mode == Mode::Shared ? u"migrate/lock_release_shared" : u"migrate/lock_release"),
                                        {QString::number(m_key)})
                                  .value(0, 0)
                                  .toBool();
            spdlog::debug("migration lock {} released", m_key);
            return held;
        }
        catch (const Exception &e)
        {
            // The server frees a session lock when the session ends; closing the connection suffices.
            spdlog::info("could not release the migration lock {} explicitly ({}); it goes with its session", m_key, e.error().message);
            return false;
        }
    }

    MigrationLock::~MigrationLock()
    {
        release();
    }
}
