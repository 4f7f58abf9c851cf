#pragma once

#include "core/db/profile.h"
#include "core/jobs/job.h"
#include "core/migrate/migrationlock.h"
#include "core/migrate/migrator.h"

#include <QMetaType>

#include <optional>

namespace dbops
{
    class ProfileStore;
    class Store;

    /// What every timeline job needs: the profile, the password that worked (never stored),
    /// the migrations folder, and the stores (profiles for the sandbox, the audit log).
    struct TimelineTarget
    {
        ConnectionProfile profile;
        QString password;
        QString migrationsDir;
        ProfileStore *profiles = nullptr;
        Store *store = nullptr; ///< for the audit log; null: not recorded (tests of read-only jobs)
    };

    /// The migration lock as the indicator shows it.
    struct LockStatus
    {
        qint64 key = 0;
        QString historyTable;
        std::optional<LockHolder> holder;
        QDateTime checkedAt;
    };
}

Q_DECLARE_METATYPE(dbops::LockStatus)

/// Job bodies of the timeline and the matrix: everything here runs on a worker thread through
/// the same Migrator the CLI uses (no SQL in widgets, STYLE P4). Mutating actions are recorded
/// in the audit log with their outcome, as the CLI records them.
namespace dbops::timelinejobs
{
    /// The marker a mutating job logs with its lock session's backend pid, so the lock indicator
    /// can say "held by us" for that pid and no other.
    QString ourBackendMarker();
    /// Parses a job log line for the marker; 0 when it is not one.
    int parseOurBackend(const QString &logLine);

    Job::Body load(TimelineTarget target);                                  ///< TimelineSnapshot
    Job::Body validate(TimelineTarget target);                              ///< ValidateResult
    /// dryRun: the plan only (nothing changes, not audited). Result: MigrateResult.
    Job::Body migrate(TimelineTarget target, QString upTo, bool dryRun);
    Job::Body planRepair(TimelineTarget target, RepairOptions options);     ///< RepairPlan
    Job::Body repair(TimelineTarget target, RepairPlan shown, RepairOptions options); ///< RepairPlan
    Job::Body baseline(TimelineTarget target, QString version, QString description); ///< QString version
    /// What marking `version` applied by hand would record (the reason still to be given). MarkAppliedPlan.
    Job::Body planMarkApplied(TimelineTarget target, QString version);
    /// Records `shown` (its reason given), audited. Result: MarkAppliedPlan as recorded.
    Job::Body markApplied(TimelineTarget target, MarkAppliedPlan shown);
    Job::Body down(TimelineTarget target, QString toVersion);               ///< DownResult
    /// Who holds this profile's migration lock (the key of the history format it uses).
    Job::Body lockStatus(TimelineTarget target);                            ///< LockStatus
    /// One environment's timeline for the matrix. Result: Timeline.
    Job::Body info(TimelineTarget target);
}
