#include "ui/timeline/timelineactions.h"

#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/migrate/version.h"
#include "ui/timeline/plandialog.h"

#include <QMessageBox>
#include <QPushButton>
#include <QWidget>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QString statementsSql(const QStringList &statements)
        {
            QString sql;
            for (const QString &s : statements)
                sql += s + u";\n\n"_s;
            return sql;
        }

        QString envWords(const ConnectionProfile &p)
        {
            return u"<b>%1</b> (%2)"_s.arg(p.name.toHtmlEscaped(), toString(p.environment));
        }
    }

    TimelineActions::TimelineActions(JobManager *jobs, QWidget *dialogParent)
        : QObject(dialogParent)
        , m_jobs(jobs)
        , m_parent(dialogParent)
    {
    }

    void TimelineActions::setTarget(const TimelineTarget &target)
    {
        if (target.profile.name != m_target.profile.name || target.migrationsDir != m_target.migrationsDir)
            ++m_generation;
        m_target = target;
    }

    void TimelineActions::cancel()
    {
        if (m_job)
            m_job->cancel();
    }

    Job *TimelineActions::run(const QString &title, Job::Body body, OnSuccess onSuccess, bool mutating)
    {
        if (m_job)
        {
            emit actionFinished(false, u"“%1” is still running; wait for it or cancel it."_s.arg(m_job->title()));
            return nullptr;
        }
        const quint64 generation = m_generation;
        auto *job = new Job(title, std::move(body));
        connect(job, &Job::progressChanged, this, [this, generation](qint64 done, qint64 total, const QString &message) {
            if (generation == m_generation)
                emit progressChanged(done, total, message);
        });
        connect(job, &Job::logLine, this, [this](const QString &line) {
            if (const int pid = timelinejobs::parseOurBackend(line))
                m_ourBackends.insert(pid);
        });
        // The job is released before its outcome is handled, so that a follow-up (the real run
        // after its plan was accepted at once) can start.
        const auto release = [this, job] {
            if (m_job != job)
                return;
            m_job = nullptr;
            emit busyChanged(false, {});
        };
        connect(job, &Job::succeeded, this, [this, generation, onSuccess, release](const QVariant &v) {
            release();
            if (generation == m_generation)
                onSuccess(v);
        });
        connect(job, &Job::failed, this, [this, generation, title, release](const Error &e) {
            release();
            if (generation == m_generation)
                fail(e, title);
        });
        connect(job, &Job::cancelled, this, [this, generation, title, release] {
            release();
            if (generation == m_generation)
                emit actionFinished(false, u"%1: cancelled"_s.arg(title));
        });
        connect(job, &Job::finished, this, [this, release, mutating] {
            release();
            if (mutating)
                emit historyChanged();
        });
        m_job = job;
        emit busyChanged(true, title);
        m_jobs->start(job);
        return job;
    }

    void TimelineActions::fail(const Error &error, const QString &what)
    {
        spdlog::warn("{} failed: {}", what, error.toString());
        emit actionFinished(false, u"%1 failed: %2"_s.arg(what, error.toString()));
    }

    void TimelineActions::showPlan(PlanDialog *dialog, std::function<void()> onAccepted)
    {
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        const quint64 generation = m_generation;
        connect(dialog, &QDialog::accepted, this, [this, generation, onAccepted] {
            if (generation == m_generation)
                onAccepted();
            else
                emit actionFinished(false, u"the profile changed while the plan was open; nothing was done"_s);
        });
        dialog->open();
        emit planShown(dialog);
    }

    void TimelineActions::applyPending(const QString &upTo)
    {
        const TimelineTarget t = m_target;
        run(u"Plan migrations on %1"_s.arg(t.profile.name), timelinejobs::migrate(t, upTo, true),
            [this, upTo](const QVariant &v) { confirmMigrate(v.value<MigrateResult>(), upTo); }, false);
    }

    void TimelineActions::confirmMigrate(const MigrateResult &plan, const QString &upTo)
    {
        if (plan.plan.isEmpty())
        {
            emit actionFinished(true, upTo.isEmpty() ? u"Nothing to apply: the database is up to date."_s
                                                     : u"Nothing to apply up to %1."_s.arg(upTo));
            return;
        }
        PlanContent c;
        c.title = upTo.isEmpty() ? u"Apply pending migrations"_s : u"Apply migrations up to %1"_s.arg(upTo);
        int noTx = 0;
        for (const PlannedMigration &p : plan.plan)
        {
            QStringList flags;
            if (p.noTransaction)
            {
                flags << u"no transaction"_s;
                ++noTx;
            }
            if (p.outOfOrder)
                flags << u"out of order"_s;
            if (p.repeatable)
                flags << u"repeatable"_s;
            if (p.resumeFrom > 0)
                flags << u"resumes at statement %1"_s.arg(p.resumeFrom + 1);
            c.items.append({u"%1  %2"_s.arg(p.repeatable ? u"R"_s : p.version, p.description), flags.join(u", "_s),
                            u"-- %1\n"_s.arg(p.script) + statementsSql(p.statements), p.noTransaction});
        }
        c.summaryHtml = u"%1 migration(s) will be applied to %2, in this order, each in its own transaction with its history row, "
                        u"under the migration lock."_s.arg(plan.plan.size()).arg(envWords(m_target.profile));
        if (noTx > 0)
            c.summaryHtml += u" <b style='color:#a05a00'>%1 run(s) outside a transaction</b>: a failure there leaves the statements "
                             u"before it applied."_s.arg(noTx);
        for (const QString &w : plan.warnings)
            c.summaryHtml += u"<br><b style='color:#a05a00'>Warning:</b> "_s + w.toHtmlEscaped();
        c.acceptText = u"Apply %1 migration(s)"_s.arg(plan.plan.size());
        c.fullSql = plan.planSql();
        const TimelineTarget t = m_target;
        showPlan(new PlanDialog(t.profile, c, m_parent), [this, t, upTo] {
            run(u"Apply migrations to %1"_s.arg(t.profile.name), timelinejobs::migrate(t, upTo, false), [this](const QVariant &v) {
                const MigrateResult r = v.value<MigrateResult>();
                if (r.cancelled)
                {
                    emit actionFinished(false, r.cancelText());
                    return;
                }
                if (r.failure)
                {
                    const int pendingAfter = int(r.plan.size() - r.applied.size() - 1);
                    emit migrationFailed(*r.failure, int(r.applied.size()), qMax(0, pendingAfter));
                    emit actionFinished(false, u"%1 applied, then %2 failed (SQLSTATE %3)"_s.arg(r.applied.size()).arg(r.failure->version,
                                                                                                           r.failure->error.sqlstate));
                    return;
                }
                emit actionFinished(true, u"%1 migration(s) applied; current version %2"_s.arg(r.applied.size()).arg(
                                              r.currentVersion.isEmpty() ? u"none"_s : r.currentVersion));
            }, true);
        });
    }

    void TimelineActions::dryRun(const QString &upTo)
    {
        const TimelineTarget t = m_target;
        run(u"Dry run on %1"_s.arg(t.profile.name), timelinejobs::migrate(t, upTo, true), [this, t](const QVariant &v) {
            const MigrateResult r = v.value<MigrateResult>();
            PlanContent c;
            c.title = u"Dry run"_s;
            c.summaryHtml = r.plan.isEmpty() ? u"Nothing would be applied: the database is up to date."_s
                                             : u"%1 migration(s) would be applied, in this order. Nothing was changed."_s.arg(r.plan.size());
            for (const PlannedMigration &p : r.plan)
                c.items.append({u"%1  %2"_s.arg(p.version, p.description), p.noTransaction ? u"no transaction"_s : QString(),
                                u"-- %1\n"_s.arg(p.script) + statementsSql(p.statements), p.noTransaction});
            c.fullSql = u"-- dry run: %1 migration(s) would be applied; nothing was changed.\n"_s.arg(r.plan.size()) + r.planSql();
            showPlan(new PlanDialog(t.profile, c, m_parent), [] {});
            emit actionFinished(true, u"Dry run: %1 migration(s) would be applied."_s.arg(r.plan.size()));
        }, false);
    }

    void TimelineActions::validate()
    {
        run(u"Validate %1"_s.arg(m_target.profile.name), timelinejobs::validate(m_target), [this](const QVariant &v) {
            const ValidateResult r = v.value<ValidateResult>();
            emit validated(r);
            emit actionFinished(r.problems.isEmpty(), r.problems.isEmpty() ? u"Valid: the history agrees with the files."_s
                                                                           : u"Validate found %1 problem(s), shown on the rows."_s.arg(r.problems.size()));
        }, false);
    }

    void TimelineActions::repair()
    {
        RepairOptions options;
        QStringList dirty;
        for (const TimelineRow &r : m_snapshot.rows)
            if (r.entry.state == MigrationState::Dirty)
                dirty << r.entry.version;
        if (!dirty.isEmpty())
        {
            QMessageBox box(QMessageBox::Warning, u"Dirty migration"_s,
                            u"Migration %1 stopped part-way (dirty). Check its effects in the database first.\n\n"
                            u"Are its effects complete, or were they reverted?"_s.arg(dirty.join(u", "_s)),
                            QMessageBox::NoButton, m_parent);
            auto *complete = box.addButton(u"Effects are complete"_s, QMessageBox::AcceptRole);
            auto *reverted = box.addButton(u"Effects were reverted"_s, QMessageBox::AcceptRole);
            box.addButton(u"Leave it dirty"_s, QMessageBox::RejectRole);
            box.exec();
            if (box.clickedButton() == complete)
                options.dirty = RepairOptions::Dirty::Complete;
            else if (box.clickedButton() == reverted)
                options.dirty = RepairOptions::Dirty::Reverted;
        }
        run(u"Plan repair of %1"_s.arg(m_target.profile.name), timelinejobs::planRepair(m_target, options),
            [this, options](const QVariant &v) { confirmRepair(v.value<RepairPlan>(), options); }, false);
    }

    void TimelineActions::confirmRepair(const RepairPlan &plan, const RepairOptions &options)
    {
        if (plan.isEmpty() && plan.refused.isEmpty())
        {
            emit actionFinished(true, u"Nothing to repair."_s);
            return;
        }
        PlanContent c;
        c.title = u"Repair the migration history"_s;
        c.summaryHtml = plan.isEmpty() ? u"Nothing repair may change on %1; what it leaves alone is listed."_s.arg(envWords(m_target.profile))
                                       : u"Repair will make exactly these %1 change(s) to the history of %2, in one transaction, and record "
                                         u"them. No migration SQL runs."_s.arg(plan.actions.size()).arg(envWords(m_target.profile));
        for (const RepairAction &a : plan.actions)
            c.items.append({a.text, {}, u"-- %1\n-- version %2\n"_s.arg(a.text, a.version), false});
        for (const QString &r : plan.refused)
            c.items.append({r, u"left alone"_s, u"-- left alone: "_s + r, true});
        c.fullSql = u"-- repair plan\n"_s + plan.toText();
        c.acceptText = plan.isEmpty() ? QString() : u"Repair %1 change(s)"_s.arg(plan.actions.size());
        const TimelineTarget t = m_target;
        showPlan(new PlanDialog(t.profile, c, m_parent), [this, t, plan, options] {
            run(u"Repair %1"_s.arg(t.profile.name), timelinejobs::repair(t, plan, options), [this](const QVariant &v) {
                const RepairPlan done = v.value<RepairPlan>();
                emit actionFinished(true, u"Repaired: %1 change(s) applied; %2."_s.arg(done.actions.size()).arg(done.recordedIn()));
            }, true);
        });
    }

    void TimelineActions::markAppliedByHand(const QString &version)
    {
        run(u"Plan marking %1 applied on %2"_s.arg(version, m_target.profile.name), timelinejobs::planMarkApplied(m_target, version),
            [this](const QVariant &v) { confirmMarkApplied(v.value<MarkAppliedPlan>()); }, false);
    }

    void TimelineActions::confirmMarkApplied(const MarkAppliedPlan &plan)
    {
        PlanContent c;
        c.title = u"Mark %1 applied by hand"_s.arg(plan.version);
        c.summaryHtml = u"Records <b>%1</b> (%2) as applied on %3 <b>without running it</b>: for a migration that was run by hand. "
                        u"Recorded in %4. By OS user <b>%5</b> on %6, database role <b>%7</b>, now."_s
                            .arg(plan.version.toHtmlEscaped(), plan.script.toHtmlEscaped(), envWords(m_target.profile),
                                 plan.recordedIn().toHtmlEscaped(), plan.osUser.toHtmlEscaped(), plan.clientHost.toHtmlEscaped(),
                                 plan.dbRole.toHtmlEscaped());
        QString sql;
        for (const TimelineRow &r : m_snapshot.rows)
            if (!r.entry.repeatable && r.entry.version == plan.version)
                sql = r.sql;
        c.items.append({u"%1  %2"_s.arg(plan.version, plan.description), u"not run: marked by hand"_s,
                        u"-- not run by dbops: recorded as having been run by hand\n"_s + sql, true});
        c.fullSql = u"-- repair --mark-applied %1: nothing below runs\n"_s.arg(plan.version) + plan.toText();
        c.acceptText = u"Mark %1 applied"_s.arg(plan.version);
        c.reasonPrompt = u"Why was %1 run by hand? (recorded with the row)"_s.arg(plan.version);
        const TimelineTarget t = m_target;
        auto *dialog = new PlanDialog(t.profile, c, m_parent);
        const QPointer<PlanDialog> guard(dialog);
        showPlan(dialog, [this, t, plan, guard] {
            MarkAppliedPlan withReason = plan;
            withReason.reason = guard ? guard->reason() : QString();
            if (withReason.reason.isEmpty())
            {
                emit actionFinished(false, u"no reason given; nothing was recorded"_s);
                return;
            }
            run(u"Mark %1 applied on %2"_s.arg(plan.version, t.profile.name), timelinejobs::markApplied(t, withReason),
                [this](const QVariant &v) {
                    const MarkAppliedPlan done = v.value<MarkAppliedPlan>();
                    emit actionFinished(true, u"Marked %1 applied by hand; recorded in %2."_s.arg(done.version, done.recordedIn()));
                }, true);
        });
    }

    void TimelineActions::baselineAt(const QString &version)
    {
        PlanContent c;
        c.title = u"Baseline at %1"_s.arg(version);
        c.summaryHtml = u"Marks %1 as already at version <b>%2</b> without running anything: the migrations up to it count as "
                        u"baseline. One history row is written."_s.arg(envWords(m_target.profile), version.toHtmlEscaped());
        const Version v(version);
        for (const TimelineRow &r : m_snapshot.rows)
            if (!r.entry.repeatable && !r.entry.row && Version(r.entry.version) <= v)
                c.items.append({u"%1  %2"_s.arg(r.entry.version, r.entry.description), u"counted as baseline, not run"_s,
                                u"-- not run: counted as applied by the baseline\n"_s + r.sql, false});
        c.acceptText = u"Baseline at %1"_s.arg(version);
        const TimelineTarget t = m_target;
        showPlan(new PlanDialog(t.profile, c, m_parent), [this, t, version] {
            run(u"Baseline %1 at %2"_s.arg(t.profile.name, version), timelinejobs::baseline(t, version, u"baseline from the dbops console"_s),
                [this](const QVariant &v) { emit actionFinished(true, u"Baselined at version %1."_s.arg(v.toString())); }, true);
        });
    }

    void TimelineActions::downTo(const QString &version)
    {
        PlanContent c;
        c.title = u"Down to %1"_s.arg(version);
        const Version v(version);
        QList<const TimelineRow *> victims;
        for (const TimelineRow &r : m_snapshot.rows)
            if (!r.entry.repeatable && r.entry.row && r.entry.isApplied() && Version(r.entry.version) > v)
                victims.prepend(&r); // newest first
        int missing = 0;
        for (const TimelineRow *r : victims)
        {
            const bool hasDown = r->hasDownFile;
            missing += !hasDown;
            c.items.append({u"%1  %2"_s.arg(r->entry.version, r->entry.description), hasDown ? QString() : u"no down file"_s,
                            hasDown ? r->downSql : u"-- no down/undo file for this migration: down refuses to run"_s, !hasDown});
        }
        if (victims.isEmpty())
        {
            emit actionFinished(true, u"Nothing above %1 is applied."_s.arg(version));
            return;
        }
        c.summaryHtml = u"The down files of these %1 migration(s) will run on %2, newest first, each in a transaction. The database "
                        u"ends at version <b>%3</b>."_s.arg(victims.size()).arg(envWords(m_target.profile), version.toHtmlEscaped());
        if (missing > 0)
            c.summaryHtml += u" <b style='color:#cf222e'>%1 have no down file: the engine will refuse and change nothing.</b>"_s.arg(missing);
        for (const PlanContent::Item &i : c.items)
            c.fullSql += u"-- down: %1\n%2\n"_s.arg(i.title, i.sql);
        c.acceptText = u"Revert %1 migration(s)"_s.arg(victims.size());
        c.destructive = true;
        const TimelineTarget t = m_target;
        showPlan(new PlanDialog(t.profile, c, m_parent), [this, t, version] {
            run(u"Down %1 to %2"_s.arg(t.profile.name, version), timelinejobs::down(t, version), [this](const QVariant &v) {
                const DownResult r = v.value<DownResult>();
                emit actionFinished(true, u"%1 migration(s) reverted; current version %2"_s.arg(r.reverted.size()).arg(
                                              r.currentVersion.isEmpty() ? u"none"_s : r.currentVersion));
            }, true);
        });
    }
}
