#include "tests/locks/sessionthread.h"

#include "core/db/pgconnection.h"
#include "tests/support/pgfixture.h"

#include <QElapsedTimer>
#include <QThread>

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
                while (!m_stop)
                    QThread::msleep(10);
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
        m_stop = true;
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
        QElapsedTimer t;
        t.start();
        while (m_pid == 0 && t.elapsed() < 60000)
            QThread::msleep(5);
        return m_pid;
    }

    bool SessionThread::waitUntilBlocked(int ms)
    {
        QElapsedTimer t;
        t.start();
        const int backend = pid();
        if (backend <= 0)
            return false;
        auto admin = PgFixture::connect(m_params);
        while (t.elapsed() < ms)
        {
            if (admin->exec(u"SELECT cardinality(pg_blocking_pids($1::int)) > 0"_s, {backend}).value(0, 0).toBool())
                return true;
            if (m_finished)
                return false; // it ended without waiting
            QThread::msleep(10);
        }
        return false;
    }

    bool SessionThread::wait(int ms)
    {
        QElapsedTimer t;
        t.start();
        while (!m_finished && t.elapsed() < ms)
            QThread::msleep(5);
        return m_finished;
    }
}
