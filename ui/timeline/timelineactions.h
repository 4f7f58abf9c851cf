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
    class ViewJobs;

    /// The timeline's actions, each a Job with progress and Cancel, with the plan shown first:
    /// apply pending / up to a version (a dry-run plan, then the run), dry run, validate, repair
    /// (planRepair, confirm, repair), baseline and down (ops::planDown with its data loss, confirm,
    /// run). Every job is a core operation (core/ops/migrateops.h) started through ViewJobs; the
    /// text typed in a plan dialog's confirmation field goes into the request and the operation
    /// checks it. Plan dialogs are opened with open(), never exec(). One action at a time; replies
    /// of an action started for an earlier target are dropped (STYLE C7).
    class TimelineActions final : public QObject
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(TimelineActions)

    public:
        TimelineActions(JobManager *jobs, QWidget *dialogParent);

        void setTarget(const TimelineTarget &target);
        const TimelineTarget &target() const { return m_target; }
        void setSnapshot(const TimelineSnapshot &snapshot) { m_snapshot = snapshot; }

        /// `allowOutOfOrder`: the plan dialog's "Apply out of order" (plans and runs with it).
        void applyPending(const QString &upTo = {}, bool allowOutOfOrder = false);
        void dryRun(const QString &upTo = {});
        void validate();
        void repair();
        /// Repair with these options (a plan dialog's fix: accept the changed SQL, resolve a dirty
        /// migration): planRepair, the plan shown (with the diff of each accepted change), confirm, repair.
        void repairWith(const RepairOptions &options);
        /// Takes another tool's history over into dbops' (ops::adopt): shows what will be adopted, confirm.
        void adoptHistory();
        void baselineAt(const QString &version);
        void downTo(const QString &version);
        /// A pending migration the DBA ran by hand: shows what will be recorded, asks for the
        /// reason (and, on production, the typed database name), then records it.
        void markAppliedByHand(const QString &version);
        void cancel();

        bool isBusy() const;
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
        /// The history of `profileName` may have changed (a mutating action ended, even one
        /// started for an earlier target): the views that show it reload.
        void historyChanged(const QString &profileName);

    private:
        /// Starts `body` (an operation) as this view's one action; `onSuccess` gets its typed
        /// result. A failure, a cancel and a result that carries a failure go to failed().
        template <class T, class F>
        void run(const QString &title, F &&body, std::function<void(const T &)> onSuccess, bool mutating,
                 std::function<void(const Error &, const std::optional<T> &)> onFailure = {});
        void showPlan(PlanDialog *dialog, std::function<void(const QString &typed)> onAccepted);
        void confirmMigrate(const MigrateResult &plan, const QString &upTo, bool allowOutOfOrder);
        /// A plan dialog's fix (PlanContent::Fix::id), started as this view's next action.
        void startFix(const QString &id, const QString &upTo);
        void migrateDone(const MigrateResult &result);
        void confirmRepair(const RepairPlan &plan, const RepairOptions &options);
        void confirmMarkApplied(const MarkAppliedPlan &plan);
        void confirmDown(const DownPlan &plan, const QString &version);
        void fail(const Error &error, const QString &what);

        ViewJobs *m_jobs;
        QWidget *m_parent;
        TimelineTarget m_target;
        TimelineSnapshot m_snapshot;
        QSet<int> m_ourBackends;
    };
}
