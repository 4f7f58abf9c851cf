#pragma once

#include "core/db/pgconnection.h"
#include "core/db/profile.h"
#include "core/error.h"
#include "core/locks/lockqueries.h"
#include "core/locks/locksnapshot.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace dbops
{
    class Job;
    class JobManager;
    class JobPool;
    class ProfileStore;
    class Store;

    /// The lock monitor service (STYLE L5). Lives on the GUI thread. Refreshes run as Jobs on the
    /// monitor's own pool (periodic refreshes do not flood the Jobs panel), on one dedicated
    /// connection leased by one job at a time, so a slow server delays the next snapshot and never
    /// the caller: refresh() returns false while a refresh is still in flight. Every request
    /// carries the target's generation and replies for an older target are dropped (STYLE C7).
    /// Cancel and terminate are operations (core/ops/lockops.h), not the monitor's: a view runs
    /// them through its ViewJobs against the monitor's target.
    class LockMonitor final : public QObject
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(LockMonitor)

    public:
        LockMonitor(JobManager &jobs, ProfileStore *profiles, Store *store, QObject *parent = nullptr);
        /// Cancels a refresh in flight and returns without waiting for it: its pool goes away by
        /// itself once the job has ended (JobPool::release).
        ~LockMonitor() override;

        /// How the monitor and the signal operations connect: named "dbops lock monitor" (so the
        /// view can hide its own sessions), one retry.
        static ConnectOptions connectOptions();

        /// Monitors this server from now on (drops the previous connection and any reply in flight).
        void setTarget(const ConnectionProfile &profile, const QString &password = {});
        void clearTarget();
        bool hasTarget() const { return m_hasTarget; }
        const ConnectionProfile &profile() const { return m_profile; }
        void setOptions(const SnapshotOptions &options) { m_options = options; }

        /// Starts a refresh job; false when there is no target or one is still running.
        bool refresh();
        /// A read the user asked for (F5): it starts now, or, when a refresh is in flight (it may
        /// have begun before what the user wants to see), once more as soon as that one ends.
        void refreshRequested();
        bool isRefreshing() const { return !m_refreshJob.isNull(); }
        /// Milliseconds the refresh in flight has been running, 0 when none.
        qint64 refreshRunningMs() const;
        quint64 generation() const { return m_generation; }
        const LockSnapshot &lastSnapshot() const { return m_last; }

        /// Closes the monitor's session when it watches `database` on the server of `server` (a
        /// restore is about to replace that database) and opens none to it until resumeFor():
        /// refreshes meanwhile fail with "paused" and say why. Thread-safe: a restore's job calls
        /// it on its worker; it waits for a refresh in flight to end, never for the GUI thread.
        /// Returns whether the monitor was watching that database.
        bool pauseFor(const ConnectionProfile &server, const QString &database);
        /// Undoes one pauseFor(); the next refresh reconnects. Thread-safe.
        void resumeFor(const ConnectionProfile &server, const QString &database);

        struct Pauses;
        /// pauseFor() and resumeFor() without the monitor itself: a copyable value that a job
        /// which may outlive the monitor holds (a restore running while the window closes).
        class PauseHandle final
        {
        public:
            bool pauseFor(const ConnectionProfile &server, const QString &database) const;
            void resumeFor(const ConnectionProfile &server, const QString &database) const;

        private:
            friend class LockMonitor;
            std::shared_ptr<Pauses> m_pauses;
        };
        PauseHandle pauseHandle() const;
        /// Whether refreshes of the current target are paused now. Thread-safe.
        bool isPaused() const;

        /// What a cancel/terminate operation against the monitored target needs.
        JobManager &jobManager() const { return m_jobs; }
        ProfileStore *profiles() const { return m_profiles; }
        Store *store() const { return m_store; }
        const QString &password() const { return m_password; }

    signals:
        void snapshotReady(const dbops::LockSnapshot &snapshot);
        void refreshFailed(const dbops::Error &error);
        void refreshStarted();

    private:
        struct Lease;

        JobManager &m_jobs;
        ProfileStore *m_profiles;
        Store *m_store;
        JobPool *m_pool; ///< released, never waited for, in the destructor
        ConnectionProfile m_profile;
        QString m_password;
        bool m_hasTarget = false;
        quint64 m_generation = 0;
        std::shared_ptr<Lease> m_lease;
        std::shared_ptr<Pauses> m_pauses; ///< shared with workers: pauseFor() and the refresh jobs
        SnapshotOptions m_options;
        QPointer<Job> m_refreshJob;
        qint64 m_refreshStartedMs = 0;
        bool m_refreshAgain = false; ///< refreshRequested() while a refresh was in flight
        LockSnapshot m_last;
    };
}
