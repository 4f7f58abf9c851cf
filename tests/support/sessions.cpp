#include "tests/support/sessions.h"

#include "core/db/pgconnection.h"
#include "tests/support/pgfixture.h"
#include "tests/support/wait.h"

#include <QDeadlineTimer>

using namespace Qt::Literals::StringLiterals;

namespace dbops::test
{
    SessionThread::SessionThread(const ConnectParams &params, QString applicationName, QStringList statements)
        : m_params(params)
    {
        m_thread = std::thread([this, applicationName, statements] {
            try
            {
                auto conn = PgFixture::connect(m_params);
                conn->exec(u"SELECT set_config('application_name', $1, false)"_s, {applicationName});
                m_pid = conn->backendPid();
                try
                {
                    for (const QString &sql : statements)
                        conn->exec(sql);
                }
                catch (const Exception &e)
                {
                    m_error = e.error();
                    m_failed = true;
                }
                m_finished = true;
                // The session stays open (and keeps its locks) until the destructor asks it to end.
                std::unique_lock lock(m_mutex);
                m_stopRequested.wait(lock, [this] { return m_stop; });
                return;
            }
            catch (const Exception &e)
            {
                m_error = e.error();
                m_failed = true;
                if (m_pid == 0)
                    m_pid = -1;
            }
            m_finished = true;
        });
    }

    SessionThread::~SessionThread()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_stopRequested.notify_all();
        if (!m_finished && m_pid > 0)
        {
            try
            {
                auto admin = PgFixture::connect(m_params);
                admin->exec(u"SELECT pg_terminate_backend($1::int)"_s, {int(m_pid)});
            }
            catch (const Exception &)
            {
            }
        }
        if (m_thread.joinable())
            m_thread.join();
    }

    int SessionThread::pid()
    {
        waitUntil([this] { return m_pid != 0; }, 60000);
        return m_pid;
    }

    bool SessionThread::waitUntilBlocked(int ms)
    {
        const QDeadlineTimer deadline(ms);
        const int backend = pid();
        if (backend <= 0)
            return false;
        auto admin = PgFixture::connect(m_params);
        bool blocked = false;
        waitUntil(
            [&] {
                blocked = admin->exec(u"SELECT cardinality(pg_blocking_pids($1::int)) > 0"_s, {backend}).value(0, 0).toBool();
                return blocked || m_finished; // it may end without waiting
            },
            int(deadline.remainingTime()));
        return blocked;
    }

    bool SessionThread::wait(int ms)
    {
        return waitUntil([this] { return m_finished.load(); }, ms);
    }

    int waitForBackend(PgConnection &observer, const QString &pattern, const QString &waitEventType, int timeoutMs)
    {
        int pid = 0;
        waitUntil(
            [&] {
                const QueryResult r = observer.exec(u"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
                                                    u"pg_backend_pid() AND query LIKE $1 AND ($2 = '' OR wait_event_type = $2)"_s,
                                                    {pattern, waitEventType});
                if (r.rowCount() > 0)
                    pid = r.value(0, 0).toInt();
                return pid != 0;
            },
            timeoutMs);
        return pid;
    }

    void startPsql(QProcess &process, const QString &dbname, const QString &applicationName, const QString &user)
    {
        process.start(PgFixture::sandbox().binDir() + u"/psql"_s,
                      {u"-X"_s, u"-q"_s,
                       u"dbname=%1 host=%2 port=%3 user=%4 application_name=%5"_s.arg(
                           dbname, PgFixture::sandbox().socketDir(), QString::number(PgFixture::sandbox().port()), user, applicationName)});
    }
}
