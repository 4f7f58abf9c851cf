#include "core/locks/lockmonitor.h"

#include "core/connect/connector.h"
#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/jobs/jobmanager.h"
#include "core/jobs/jobpool.h"

#include <QDateTime>
#include <QMutex>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    /// The monitor's connection, used by one job at a time (the mutex), never mid-use by two
    /// threads (STYLE P5). Replaced, not reused, when the target changes.
    struct LockMonitor::Lease
    {
        QMutex mutex;
        std::unique_ptr<PgConnection> conn;
    };

    ConnectOptions LockMonitor::connectOptions()
    {
        ConnectOptions o;
        o.applicationName = u"dbops lock monitor"_s;
        o.retry.maxRetries = 1;
        return o;
    }

    LockMonitor::LockMonitor(JobManager &jobs, ProfileStore *profiles, Store *store, QObject *parent)
        : QObject(parent)
        , m_jobs(jobs)
        , m_profiles(profiles)
        , m_store(store)
        , m_pool(new JobPool(1))
    {
        qRegisterMetaType<LockSnapshot>();
        qRegisterMetaType<SignalResult>();
    }

    LockMonitor::~LockMonitor()
    {
        // Never a wait on the GUI thread (a refresh may be stuck on an unreachable server): the
        // refresh is cancelled and its pool deletes itself once the job has ended.
        m_pool->release();
    }

    void LockMonitor::setTarget(const ConnectionProfile &profile, const QString &password)
    {
        ++m_generation;
        if (m_refreshJob)
            m_refreshJob->cancel();
        m_refreshJob.clear();
        m_profile = profile;
        m_password = password;
        m_hasTarget = true;
        m_lease = std::make_shared<Lease>();
        m_last = {};
    }

    void LockMonitor::clearTarget()
    {
        ++m_generation;
        if (m_refreshJob)
            m_refreshJob->cancel();
        m_refreshJob.clear();
        m_hasTarget = false;
        m_profile = {};
        m_password.clear();
        m_lease.reset();
        m_last = {};
    }

    qint64 LockMonitor::refreshRunningMs() const
    {
        return m_refreshJob ? QDateTime::currentMSecsSinceEpoch() - m_refreshStartedMs : 0;
    }

    bool LockMonitor::refresh()
    {
        if (!m_hasTarget || m_refreshJob)
            return false;
        const quint64 generation = m_generation;
        auto lease = m_lease;
        const ConnectionProfile profile = m_profile;
        const QString password = m_password;
        const SnapshotOptions options = m_options;
        ProfileStore *profiles = m_profiles;
        auto *job = new Job(u"Lock snapshot of "_s + profile.name, [=](JobContext &jc) {
            QMutexLocker locked(&lease->mutex);
            try
            {
                if (!lease->conn || !lease->conn->isOk())
                {
                    lease->conn.reset();
                    lease->conn = Connector(profiles).open(profile, password, jc.token(), connectOptions());
                }
                return QVariant::fromValue(LockQueries::snapshot(*lease->conn, jc.token(), options));
            }
            catch (const Exception &e)
            {
                if (e.error().code != ErrorCode::Cancelled)
                    lease->conn.reset(); // reconnect next time: the session may be gone
                throw;
            }
        });
        job->setPollKey(u"lock monitor: "_s + profile.name); // the same failure every 2 s is logged once
        connect(job, &Job::succeeded, this, [this, generation](const QVariant &v) {
            if (generation != m_generation)
                return; // a reply for a previous target
            m_last = v.value<LockSnapshot>();
            emit snapshotReady(m_last);
        });
        connect(job, &Job::failed, this, [this, generation](const Error &e) {
            if (generation == m_generation)
                emit refreshFailed(e);
        });
        connect(job, &Job::finished, this, [this, job] {
            if (m_refreshJob == job)
                m_refreshJob.clear();
        });
        m_refreshJob = job;
        m_refreshStartedMs = QDateTime::currentMSecsSinceEpoch();
        emit refreshStarted();
        m_pool->start(job); // the pool deletes it after `finished`
        return true;
    }
}
