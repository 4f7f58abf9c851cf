#pragma once

#include "core/jobs/job.h"
#include "ui/timeline/timelinejobs.h"
#include "ui/timeline/timelinesnapshot.h"

#include <QObject>
#include <QPointer>
#include <QSet>

class QWidget;

namespace dbops
{
    class JobManager;
    class PlanDialog;

    /// The timeline's actions, each a Job with progress and Cancel, with the plan shown first:
    /// apply pending / up to a version (a dry-run plan, then the run), dry run, validate, repair
    /// (planRepair, confirm, repair), baseline and down (the steps from the snapshot, confirm,
    /// run). Plan dialogs are opened with open(), never exec(). One action at a time; replies of an
    /// action started for an earlier target are dropped (STYLE C7).
    class TimelineActions final : public QObject
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(TimelineActions)

    public:
        TimelineActions(JobManager *jobs, QWidget *dialogParent);

        void setTarget(const TimelineTarget &target);
        const TimelineTarget &target() const { return m_target; }
        void setSnapshot(const TimelineSnapshot &snapshot) { m_snapshot = snapshot; }

        void applyPending(const QString &upTo = {});
        void dryRun(const QString &upTo = {});
        void validate();
        void repair();
        void baselineAt(const QString &version);
        void downTo(const QString &version);
        /// A pending migration the DBA ran by hand: shows what will be recorded, asks for the
        /// reason (and, on production, the typed database name), then records it.
        void markAppliedByHand(const QString &version);
        void cancel();

        bool isBusy() const { return !m_job.isNull(); }
        Job *currentJob() const { return m_job; }
        /// Backend pids of this console's own migrate sessions (for the lock indicator).
        const QSet<int> &ourBackends() const { return m_ourBackends; }

    signals:
        void busyChanged(bool busy, const QString &title);
        void progressChanged(qint64 done, qint64 total, const QString &message);
        /// A plan dialog was opened (tests and screenshots reach it here).
        void planShown(dbops::PlanDialog *dialog);
        void migrationFailed(const dbops::MigrationFailure &failure, int appliedBefore, int stillPending);
        void validated(const dbops::ValidateResult &result);
        /// Something finished (or failed): `ok`, and a line for the status area.
        void actionFinished(bool ok, const QString &summary);
        /// The history may have changed: the view reloads.
        void historyChanged();

    private:
        using OnSuccess = std::function<void(const QVariant &)>;
        Job *run(const QString &title, Job::Body body, OnSuccess onSuccess, bool mutating);
        void showPlan(PlanDialog *dialog, std::function<void()> onAccepted);
        void confirmMigrate(const MigrateResult &plan, const QString &upTo);
        void confirmRepair(const RepairPlan &plan, const RepairOptions &options);
        void confirmMarkApplied(const MarkAppliedPlan &plan);
        void fail(const Error &error, const QString &what);

        JobManager *m_jobs;
        QWidget *m_parent;
        TimelineTarget m_target;
        TimelineSnapshot m_snapshot;
        quint64 m_generation = 0;
        QPointer<Job> m_job;
        QSet<int> m_ourBackends;
    };
}
