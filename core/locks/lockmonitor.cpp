#include "core/locks/lockmonitor.h"

#include "core/connect/connector.h"
#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/jobs/jobmanager.h"
#include "core/jobs/jobpool.h"

#include <QDateTime>
#include <QMutex>
#include <QStringList>

#include <utility>

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

    /// What is paused (by restores, from their workers) and the lease of the current target,
    /// behind one mutex: pauseFor() runs on a worker while the GUI thread retargets.
    struct LockMonitor::Pauses
    {
        mutable QMutex mutex;
        QStringList keys; ///< "host|port|database", once per pauseFor()
        std::shared_ptr<Lease> lease;
        QString leaseKey;

        static QString keyOf(const ConnectionProfile &server, const QString &database)
        {
            // The managed sandbox's host and port are its own business (it may have restarted).
            if (server.managedSandbox)
                return u"sandbox||"_s + database;
            return u"%1|%2|"_s.arg(server.host).arg(server.port) + database;
        }
        bool paused(const QString &key) const
        {
            QMutexLocker locked(&mutex);
            return keys.contains(key);
        }
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
        , m_pauses(std::make_shared<Pauses>())
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
        QMutexLocker locked(&m_pauses->mutex);
        m_pauses->lease = m_lease;
        m_pauses->leaseKey = Pauses::keyOf(profile, profile.database);
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
        QMutexLocker locked(&m_pauses->mutex);
        m_pauses->lease.reset();
        m_pauses->leaseKey.clear();
    }

    bool LockMonitor::PauseHandle::pauseFor(const ConnectionProfile &server, const QString &database) const
    {
        const QString key = Pauses::keyOf(server, database);
        std::shared_ptr<Lease> lease;
        {
            QMutexLocker locked(&m_pauses->mutex);
            m_pauses->keys.append(key);
            if (m_pauses->leaseKey == key)
                lease = m_pauses->lease;
        }
        if (!lease)
            return false;
        // After a refresh in flight (its job holds the lease); the next ones see the pause.
        QMutexLocker locked(&lease->mutex);
        lease->conn.reset();
        return true;
    }

    void LockMonitor::PauseHandle::resumeFor(const ConnectionProfile &server, const QString &database) const
    {
        QMutexLocker locked(&m_pauses->mutex);
        m_pauses->keys.removeOne(Pauses::keyOf(server, database));
    }

    LockMonitor::PauseHandle LockMonitor::pauseHandle() const
    {
        PauseHandle h;
        h.m_pauses = m_pauses;
        return h;
    }

    bool LockMonitor::pauseFor(const ConnectionProfile &server, const QString &database)
    {
        return pauseHandle().pauseFor(server, database);
    }

    void LockMonitor::resumeFor(const ConnectionProfile &server, const QString &database)
    {
        pauseHandle().resumeFor(server, database);
    }

    bool LockMonitor::isPaused() const
    {
        QMutexLocker locked(&m_pauses->mutex);
        return !m_pauses->leaseKey.isEmpty() && m_pauses->keys.contains(m_pauses->leaseKey);
    }

    qint64 LockMonitor::refreshRunningMs() const
    {
        return m_refreshJob ? QDateTime::currentMSecsSinceEpoch() - m_refreshStartedMs : 0;
    }

    void LockMonitor::refreshRequested()
    {
        if (!refresh() && m_refreshJob)
            m_refreshAgain = true;
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
        const std::shared_ptr<Pauses> pauses = m_pauses;
        const QString key = Pauses::keyOf(profile, profile.database);
        auto *job = new Job(u"Lock snapshot of "_s + profile.name, [=](JobContext &jc) {
            QMutexLocker locked(&lease->mutex);
            if (pauses->paused(key))
            {
                lease->conn.reset();
                throw Exception(ErrorCode::OperationFailed,
                                u"the lock monitor is paused: dbops is replacing the database %1 (a restore) and has closed its own "
                                u"sessions to it; monitoring resumes when the restore ends"_s.arg(profile.database));
            }
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
            if (m_refreshJob != job)
                return;
            m_refreshJob.clear();
            if (std::exchange(m_refreshAgain, false))
                refresh();
        });
        m_refreshJob = job;
        m_refreshStartedMs = QDateTime::currentMSecsSinceEpoch();
        emit refreshStarted();
        m_pool->start(job); // the pool deletes it after `finished`
        return true;
    }
}
