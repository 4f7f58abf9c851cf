#include "ui/timeline/timelineactions.h"

#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/migrate/checksum.h"
#include "core/migrate/version.h"
#include "core/remedy.h"
#include "ui/jobs/viewjobs.h"
#include "ui/timeline/plandialog.h"

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
        , m_jobs(new ViewJobs(jobs, this))
        , m_parent(dialogParent)
    {
        connect(m_jobs, &ViewJobs::busyChanged, this, &TimelineActions::busyChanged);
        connect(m_jobs, &ViewJobs::progressChanged, this, &TimelineActions::progressChanged);
        connect(m_jobs, &ViewJobs::logLine, this, [this](const QString &line) {
            if (const int pid = timelinejobs::parseOurBackend(line))
                m_ourBackends.insert(pid);
        });
        connect(m_jobs, &ViewJobs::refused, this, [this](const QString &running) {
            emit actionFinished(false, u"“%1” is still running; wait for it or cancel it."_s.arg(running));
        });
    }

    bool TimelineActions::isBusy() const
    {
        return m_jobs->isBusy();
    }

    void TimelineActions::setTarget(const TimelineTarget &target)
    {
        if (target.profile.name != m_target.profile.name || target.migrationsDir != m_target.migrationsDir)
            m_jobs->retarget();
        m_target = target;
    }

    void TimelineActions::cancel()
    {
        m_jobs->cancel();
    }

    template <class T, class F>
    void TimelineActions::run(const QString &title, F &&body, std::function<void(const T &)> onSuccess, bool mutating,
                              std::function<void(const Error &, const std::optional<T> &)> onFailure)
    {
        JobHandlers<T> handlers;
        handlers.succeeded = std::move(onSuccess);
        handlers.failed = [this, title, onFailure = std::move(onFailure)](const Error &e, const std::optional<T> &value) {
            if (onFailure)
                onFailure(e, value);
            else if (e.isCancelled())
                emit actionFinished(false, u"%1: cancelled"_s.arg(title));
            else
                fail(e, title);
        };
        if (mutating)
            handlers.finished = [this, profile = m_target.profile.name] { emit historyChanged(profile); };
        m_jobs->start<T>(title, std::forward<F>(body), std::move(handlers));
    }

    void TimelineActions::fail(const Error &error, const QString &what)
    {
        // Only job failures come here, and the job logged it (at error, with its title and reason).
        emit actionFinished(false, consoleText(u"%1 failed: %2"_s.arg(what, error.toString())));
    }

    void TimelineActions::showPlan(PlanDialog *dialog, std::function<void(const QString &typed)> onAccepted)
    {
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        const quint64 generation = m_jobs->generation();
        const QPointer<PlanDialog> guard(dialog);
        connect(dialog, &QDialog::accepted, this, [this, generation, onAccepted, guard] {
            if (generation == m_jobs->generation())
                onAccepted(guard ? guard->typedConfirmation() : QString());
            else
                emit actionFinished(false, u"the profile changed while the plan was open; nothing was done"_s);
        });
        dialog->open();
        emit planShown(dialog);
    }

    void TimelineActions::applyPending(const QString &upTo, bool allowOutOfOrder)
    {
        const TimelineTarget t = m_target;
        run<MigrateResult>(
            u"Plan migrations on %1"_s.arg(t.profile.name),
            [t, upTo, allowOutOfOrder](JobContext &jc) {
                ops::MigrationRequest r = timelinejobs::request(t);
                r.options.target = upTo;
                r.options.allowOutOfOrder = allowOutOfOrder;
                r.options.dryRun = true;
                return ops::migrate(r, jc);
            },
            [this, upTo, allowOutOfOrder](const MigrateResult &plan) { confirmMigrate(plan, upTo, allowOutOfOrder); }, false);
    }

    void TimelineActions::startFix(const QString &id, const QString &upTo)
    {
        if (id == u"accept-changed"_s)
        {
            RepairOptions o;
            o.acceptChanged = true;
            repairWith(o);
        }
        else if (id == u"dirty-complete"_s || id == u"dirty-reverted"_s)
        {
            RepairOptions o;
            o.dirty = id == u"dirty-complete"_s ? RepairOptions::Dirty::Complete : RepairOptions::Dirty::Reverted;
            repairWith(o);
        }
        else if (id == u"out-of-order"_s)
            applyPending(upTo, true);
        else if (id == u"adopt"_s)
            adoptHistory();
        else
            repairWith({});
    }

    void TimelineActions::confirmMigrate(const MigrateResult &plan, const QString &upTo, bool allowOutOfOrder)
    {
        if (plan.plan.isEmpty() && !plan.refusal)
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
                        u"under the migration lock."_s.arg(plan.plan.size())
                            .arg(envWords(m_target.profile));
        if (noTx > 0)
            c.summaryHtml += u" <b style='color:#a05a00'>%1 run(s) outside a transaction</b>: a failure there leaves the statements "
                             u"before it applied."_s.arg(noTx);
        if (plan.plan.isEmpty())
            c.summaryHtml = u"Nothing is pending on %1."_s.arg(envWords(m_target.profile));
        if (allowOutOfOrder)
            c.summaryHtml += u" Out-of-order migrations are applied below the current version, as chosen."_s;
        if (plan.refusal)
        {
            // The engine refuses this run (Migrator::migrateRefusal): said before Apply, with the fixes.
            c.refusalHtml = u"<b>Apply would be refused:</b> "_s + plan.refusal->message.toHtmlEscaped();
            bool changed = false, cosmetic = false, dirty = false, outOfOrder = false, other = false;
            for (const TimelineProblem &p : plan.blockers)
            {
                c.refusalHtml += u"<br>• "_s + p.message.toHtmlEscaped();
                switch (p.state)
                {
                case MigrationState::ChecksumMismatch:
                    (isCosmetic(p.mismatch) ? cosmetic : changed) = true;
                    break;
                case MigrationState::Dirty:
                    dirty = true;
                    break;
                case MigrationState::OutOfOrder:
                    outOfOrder = true;
                    break;
                default:
                    other = true;
                }
            }
            c.refusalHtml += u"<br>Fix it here with the buttons below, then plan again."_s;
            if (changed)
                c.fixes.append({u"accept-changed"_s, u"Accept the changed SQL…"_s,
                                u"Shows how each applied migration's file differs from the SQL that ran, then records the file's "
                                u"checksum (Repair, with the changed SQL accepted)"_s});
            if (dirty)
            {
                c.fixes.append({u"dirty-complete"_s, u"Effects are complete…"_s,
                                u"The dirty migration's effects are all in the database: it counts as applied (Repair)"_s});
                c.fixes.append({u"dirty-reverted"_s, u"Effects were reverted…"_s,
                                u"The dirty migration's effects were undone: it runs again (Repair)"_s});
            }
            if (cosmetic || other)
                c.fixes.append({u"repair"_s, u"Repair…"_s, u"Plan the repair of the history, shown before anything changes"_s});
            if (outOfOrder)
                c.fixes.append({u"out-of-order"_s, u"Apply out of order…"_s,
                                u"Plan again, applying the pending migrations below the current version too"_s});
        }
        if (!m_snapshot.historyFormat.isEmpty() && m_snapshot.historyFormat != u"dbops"_s)
            c.fixes.append(
                {u"adopt"_s, u"Adopt history…"_s,
                 u"Take the %1 history over into dbops' own (the old table stays for the application)"_s.arg(m_snapshot.historyFormat)});
        for (const QString &w : plan.warnings)
            if (!plan.refusal)
                c.summaryHtml += u"<br><b style='color:#a05a00'>Warning:</b> "_s + w.toHtmlEscaped();
        c.acceptText = u"Apply %1 migration(s)"_s.arg(plan.plan.size());
        c.fullSql = plan.planSql();
        const TimelineTarget t = m_target;
        auto *dialog = new PlanDialog(t.profile, c, m_parent);
        connect(dialog, &PlanDialog::fixChosen, this, [this, upTo, generation = m_jobs->generation()](const QString &id) {
            if (generation == m_jobs->generation())
                startFix(id, upTo);
        });
        showPlan(dialog, [this, t, upTo, allowOutOfOrder](const QString &typed) {
            run<MigrateResult>(
                u"Apply migrations to %1"_s.arg(t.profile.name),
                [t, upTo, allowOutOfOrder, typed](JobContext &jc) {
                    ops::MigrationRequest r = timelinejobs::request(t, typed);
                    r.options.target = upTo;
                    r.options.allowOutOfOrder = allowOutOfOrder;
                    return ops::migrate(r, jc);
                },
                [this](const MigrateResult &r) { migrateDone(r); }, true,
                [this](const Error &e, const std::optional<MigrateResult> &r) {
                    // A migrate that stopped at a failing file (or was cancelled) is a failed job whose
                    // result says what was applied before it.
                    if (r)
                        migrateDone(*r);
                    else if (e.isCancelled())
                        emit actionFinished(false, u"Apply migrations: cancelled"_s);
                    else
                        fail(e, u"Apply migrations"_s);
                });
        });
    }

    void TimelineActions::migrateDone(const MigrateResult &r)
    {
        if (r.cancelled)
        {
            emit actionFinished(false, r.cancelText());
            return;
        }
        if (r.failure)
        {
            const int pendingAfter = int(r.plan.size() - r.applied.size() - 1);
            emit migrationFailed(*r.failure, int(r.applied.size()), qMax(0, pendingAfter));
            emit actionFinished(
                false,
                u"%1 applied, then %2 failed (SQLSTATE %3)"_s.arg(r.applied.size()).arg(r.failure->version, r.failure->error.sqlstate));
            return;
        }
        emit actionFinished(true, u"%1 migration(s) applied; current version %2"_s.arg(r.applied.size())
                                      .arg(r.currentVersion.isEmpty() ? u"none"_s : r.currentVersion));
    }

    void TimelineActions::dryRun(const QString &upTo)
    {
        const TimelineTarget t = m_target;
        run<MigrateResult>(
            u"Dry run on %1"_s.arg(t.profile.name),
            [t, upTo](JobContext &jc) {
                ops::MigrationRequest req = timelinejobs::request(t);
                req.options.target = upTo;
                req.options.dryRun = true;
                return ops::migrate(req, jc);
            },
            [this, t](const MigrateResult &r) {
                PlanContent c;
                c.title = u"Dry run"_s;
                c.summaryHtml = r.plan.isEmpty()
                                    ? u"Nothing would be applied: the database is up to date."_s
                                    : u"%1 migration(s) would be applied, in this order. Nothing was changed."_s.arg(r.plan.size());
                for (const PlannedMigration &p : r.plan)
                    c.items.append({u"%1  %2"_s.arg(p.version, p.description), p.noTransaction ? u"no transaction"_s : QString(),
                                    u"-- %1\n"_s.arg(p.script) + statementsSql(p.statements), p.noTransaction});
                c.fullSql = u"-- dry run: %1 migration(s) would be applied; nothing was changed.\n"_s.arg(r.plan.size()) + r.planSql();
                if (r.refusal) // the real run would be refused: said here too (Apply pending… offers the fixes)
                {
                    c.refusalHtml = u"<b>Apply would be refused:</b> "_s + r.refusal->message.toHtmlEscaped();
                    for (const TimelineProblem &p : r.blockers)
                        c.refusalHtml += u"<br>• "_s + p.message.toHtmlEscaped();
                }
                showPlan(new PlanDialog(t.profile, c, m_parent), [](const QString &) {});
                emit actionFinished(true, u"Dry run: %1 migration(s) would be applied."_s.arg(r.plan.size()));
            },
            false);
    }

    void TimelineActions::validate()
    {
        const TimelineTarget t = m_target;
        run<ValidateResult>(
            u"Validate %1"_s.arg(t.profile.name), [t](JobContext &jc) { return ops::validate(timelinejobs::request(t), jc); },
            [this](const ValidateResult &r) {
                emit validated(r);
                emit actionFinished(r.problems.isEmpty(),
                                    r.problems.isEmpty() ? u"Valid: the history agrees with the files."_s
                                                         : u"Validate found %1 problem(s), shown on the rows."_s.arg(r.problems.size()));
            },
            false);
    }

    void TimelineActions::repair()
    {
        repairWith({});
    }

    void TimelineActions::repairWith(const RepairOptions &options)
    {
        const TimelineTarget t = m_target;
        run<RepairPlan>(
            u"Plan repair of %1"_s.arg(t.profile.name),
            [t, options](JobContext &jc) { return ops::planRepair(timelinejobs::request(t), options, jc); },
            [this, options](const RepairPlan &plan) { confirmRepair(plan, options); }, false);
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
        c.summaryHtml = plan.isEmpty()
                            ? u"Nothing repair may change on %1; what it leaves alone is listed."_s.arg(envWords(m_target.profile))
                            : u"Repair will make exactly these %1 change(s) to the history of %2, in one transaction, and record "
                              u"them. No migration SQL runs."_s.arg(plan.actions.size())
                                  .arg(envWords(m_target.profile));
        int accepted = 0;
        for (const RepairAction &a : plan.actions)
        {
            const bool changedSql = a.kind == RepairAction::Kind::RealignChecksum && !a.diff.isEmpty();
            accepted += changedSql;
            QString sql = u"-- %1\n-- version %2\n"_s.arg(a.text, a.version);
            if (changedSql)
                sql += u"-- the SQL that ran (-) and the file as it is now (+):\n"_s + a.diff;
            c.items.append({a.text, changedSql ? u"changed SQL accepted"_s : QString(), sql, changedSql});
        }
        if (accepted > 0)
            c.summaryHtml +=
                u"<br><b style='color:#cf222e'>%1 applied migration(s) changed since they ran.</b> Accepting records the "
                u"file's checksum as theirs, so the file as it is now counts as what was applied; its changes do "
                u"<b>not</b> run. The SQL that actually ran stays recorded. Select a step to see the difference."_s.arg(accepted);
        bool dirtyLeft = false;
        for (const QString &r : plan.refused)
        {
            c.items.append({r, u"left alone"_s, u"-- left alone: "_s + r, true});
            dirtyLeft = dirtyLeft || r.contains(u" is dirty"_s);
        }
        bool changedLeft = false;
        for (const QString &r : plan.refused)
            changedLeft = changedLeft || r.contains(u"--accept-changed"_s);
        if (changedLeft && !options.acceptChanged)
            c.fixes.append({u"accept-changed"_s, u"Accept the changed SQL…"_s,
                            u"Plan the repair again with the changed SQL accepted, each difference shown"_s});
        // A dirty migration: the DBA says what its effects are (this replaced a modal question).
        for (const TimelineRow &r : m_snapshot.rows)
            dirtyLeft = dirtyLeft || r.entry.state == MigrationState::Dirty;
        if (dirtyLeft && options.dirty == RepairOptions::Dirty::Ask)
        {
            c.fixes.append({u"dirty-complete"_s, u"Effects are complete…"_s,
                            u"The dirty migration's effects are all in the database: it counts as applied"_s});
            c.fixes.append(
                {u"dirty-reverted"_s, u"Effects were reverted…"_s, u"The dirty migration's effects were undone: it runs again"_s});
        }
        c.fullSql = u"-- repair plan\n"_s + plan.toText();
        for (const RepairAction &a : plan.actions)
            if (!a.diff.isEmpty())
                c.fullSql += u"\n-- %1: the SQL that ran (-) and the file (+)\n"_s.arg(a.version) + a.diff;
        c.acceptText = plan.isEmpty() ? QString() : u"Repair %1 change(s)"_s.arg(plan.actions.size());
        c.destructive = accepted > 0;
        const TimelineTarget t = m_target;
        auto *dialog = new PlanDialog(t.profile, c, m_parent);
        connect(dialog, &PlanDialog::fixChosen, this, [this, generation = m_jobs->generation()](const QString &id) {
            if (generation == m_jobs->generation())
                startFix(id, {});
        });
        showPlan(dialog, [this, t, plan, options](const QString &typed) {
            run<RepairPlan>(
                u"Repair %1"_s.arg(t.profile.name),
                [t, plan, options, typed](JobContext &jc) { return ops::repair(timelinejobs::request(t, typed), plan, options, jc); },
                [this](const RepairPlan &done) {
                    emit actionFinished(true, u"Repaired: %1 change(s) applied; %2."_s.arg(done.actions.size()).arg(done.recordedIn()));
                },
                true);
        });
    }

    void TimelineActions::markAppliedByHand(const QString &version)
    {
        const TimelineTarget t = m_target;
        run<MarkAppliedPlan>(
            u"Plan marking %1 applied on %2"_s.arg(version, t.profile.name),
            [t, version](JobContext &jc) { return ops::planMarkApplied(timelinejobs::request(t), version, {}, jc); },
            [this](const MarkAppliedPlan &plan) { confirmMarkApplied(plan); }, false);
    }

    void TimelineActions::confirmMarkApplied(const MarkAppliedPlan &plan)
    {
        PlanContent c;
        c.title = u"Mark %1 applied by hand"_s.arg(plan.version);
        c.summaryHtml =
            u"Records <b>%1</b> (%2) as applied on %3 <b>without running it</b>: for a migration that was run by hand. "
            u"Recorded in %4. By OS user <b>%5</b> on %6, database role <b>%7</b>, now."_s.arg(
                plan.version.toHtmlEscaped(), plan.script.toHtmlEscaped(), envWords(m_target.profile), plan.recordedIn().toHtmlEscaped(),
                plan.osUser.toHtmlEscaped(), plan.clientHost.toHtmlEscaped(), plan.dbRole.toHtmlEscaped());
        QString sql;
        for (const TimelineRow &r : m_snapshot.rows)
            if (!r.entry.repeatable && r.entry.version == plan.version)
                sql = r.sql;
        c.items.append({u"%1  %2"_s.arg(plan.version, plan.description), u"not run: marked by hand"_s,
                        u"-- not run by dbops: recorded as having been run by hand\n"_s + sql, true});
        c.fullSql = u"-- mark %1 applied by hand: nothing below runs\n"_s.arg(plan.version) + plan.toText();
        c.acceptText = u"Mark %1 applied"_s.arg(plan.version);
        c.reasonPrompt = u"Why was %1 run by hand? (recorded with the row)"_s.arg(plan.version);
        const TimelineTarget t = m_target;
        auto *dialog = new PlanDialog(t.profile, c, m_parent);
        const QPointer<PlanDialog> guard(dialog);
        showPlan(dialog, [this, t, plan, guard](const QString &typed) {
            MarkAppliedPlan withReason = plan;
            withReason.reason = guard ? guard->reason() : QString();
            if (withReason.reason.isEmpty())
            {
                emit actionFinished(false, u"no reason given; nothing was recorded"_s);
                return;
            }
            run<MarkAppliedPlan>(
                u"Mark %1 applied on %2"_s.arg(plan.version, t.profile.name),
                [t, withReason, typed](JobContext &jc) { return ops::markApplied(timelinejobs::request(t, typed), withReason, jc); },
                [this](const MarkAppliedPlan &done) {
                    emit actionFinished(true, u"Marked %1 applied by hand; recorded in %2."_s.arg(done.version, done.recordedIn()));
                },
                true);
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
        showPlan(new PlanDialog(t.profile, c, m_parent), [this, t, version](const QString &typed) {
            run<QString>(
                u"Baseline %1 at %2"_s.arg(t.profile.name, version),
                [t, version, typed](JobContext &jc) {
                    return ops::baseline(timelinejobs::request(t, typed), version, u"baseline from the dbops console"_s, jc);
                },
                [this](const QString &v) { emit actionFinished(true, u"Baselined at version %1."_s.arg(v)); }, true);
        });
    }

    void TimelineActions::adoptHistory()
    {
        PlanContent c;
        c.title = u"Adopt the %1 history"_s.arg(m_snapshot.historyFormat);
        int rows = 0;
        for (const TimelineRow &r : m_snapshot.rows)
            if (r.entry.row)
            {
                ++rows;
                c.items.append({u"%1  %2"_s.arg(r.entry.version, r.entry.description),
                                r.entry.row->checksum.isEmpty() ? u"no checksum"_s : QString(),
                                u"-- copied into the dbops history, not run\n"_s + r.sql, r.entry.row->checksum.isEmpty()});
            }
        c.summaryHtml =
            u"Copies the %1 row(s) of the <b>%2</b> history <code>%3</code> of %4 into dbops' own history, in one "
            u"transaction, under both tools' locks. No migration runs; the old table stays in place for the application "
            u"that reads it. From then on dbops records its changes in its own history."_s.arg(rows)
                .arg(m_snapshot.historyFormat.toHtmlEscaped(), m_snapshot.historyTable.toHtmlEscaped(), envWords(m_target.profile));
        c.acceptText = u"Adopt %1 row(s)"_s.arg(rows);
        c.optionText = u"Record checksums from the files"_s;
        c.optionTip = u"Rows the old history keeps no checksum for get the checksum of their file as it is now, noted as adopted "
                      u"from the file, not verified; edits to those files are detected from then on"_s;
        const TimelineTarget t = m_target;
        auto *dialog = new PlanDialog(t.profile, c, m_parent);
        const QPointer<PlanDialog> guard(dialog);
        showPlan(dialog, [this, t, guard](const QString &typed) {
            AdoptOptions options;
            options.recordChecksums = guard && guard->optionChecked();
            run<AdoptResult>(
                u"Adopt the history of %1"_s.arg(t.profile.name),
                [t, typed, options](JobContext &jc) { return ops::adopt(timelinejobs::request(t, typed), options, jc); },
                [this](const AdoptResult &r) {
                    emit actionFinished(true, u"Adopted %1 row(s) from the %2 history %3; %4 with a checksum."_s.arg(r.rows)
                                                  .arg(r.fromFormat, r.fromTable)
                                                  .arg(r.withChecksum + r.recordedChecksums));
                },
                true);
        });
    }

    void TimelineActions::downTo(const QString &version)
    {
        // The plan comes from the engine (ops::planDown): the same steps, refusals and data-loss
        // findings `dbops down` shows, not a guess from the snapshot.
        const TimelineTarget t = m_target;
        run<DownPlan>(
            u"Plan down of %1 to %2"_s.arg(t.profile.name, version),
            [t, version](JobContext &jc) { return ops::planDown(timelinejobs::request(t), version, jc); },
            [this, version](const DownPlan &plan) { confirmDown(plan, version); }, false);
    }

    void TimelineActions::confirmDown(const DownPlan &plan, const QString &version)
    {
        if (plan.isEmpty())
        {
            emit actionFinished(true, u"Nothing above %1 is applied."_s.arg(version));
            return;
        }
        PlanContent c;
        c.title = u"Down to %1"_s.arg(version);
        for (const DownStep &step : plan.steps)
        {
            QString sql;
            for (const TimelineRow &r : m_snapshot.rows)
                if (!r.entry.repeatable && r.entry.version == step.version)
                    sql = r.downSql;
            QStringList loss;
            for (const DataLossFinding &f : step.dataLoss)
                loss << f.toText();
            QString header = u"-- down: %1 (%2)\n"_s.arg(step.script).arg(step.statements);
            for (const QString &l : loss)
                header += u"-- data loss: "_s + l + u'\n';
            c.items.append({u"%1  %2"_s.arg(step.version, step.description), loss.isEmpty() ? QString() : u"data loss"_s, header + sql,
                            !loss.isEmpty()});
        }
        c.summaryHtml = u"The down files of these %1 migration(s) will run on %2, newest first, each in a transaction. The database "
                        u"ends at version <b>%3</b>."_s.arg(plan.steps.size())
                            .arg(envWords(m_target.profile), version.toHtmlEscaped());
        const QStringList lossLines = plan.dataLossLines();
        if (!lossLines.isEmpty())
        {
            c.summaryHtml += u"<br><b style='color:#cf222e'>These down files destroy data:</b>"_s;
            for (const QString &l : lossLines)
                c.summaryHtml += u"<br>"_s + l.trimmed().toHtmlEscaped();
        }
        c.fullSql = u"-- down to %1\n"_s.arg(version) + plan.toText();
        for (const PlanContent::Item &i : c.items)
            c.fullSql += u"\n"_s + i.sql;
        c.acceptText = u"Revert %1 migration(s)"_s.arg(plan.steps.size());
        c.destructive = true;
        const TimelineTarget t = m_target;
        showPlan(new PlanDialog(t.profile, c, m_parent), [this, t, version](const QString &typed) {
            run<DownResult>(
                u"Down %1 to %2"_s.arg(t.profile.name, version),
                [t, version, typed](JobContext &jc) { return ops::down(timelinejobs::request(t, typed), version, jc); },
                [this](const DownResult &r) {
                    emit actionFinished(true, u"%1 migration(s) reverted; current version %2"_s.arg(r.reverted.size())
                                                  .arg(r.currentVersion.isEmpty() ? u"none"_s : r.currentVersion));
                },
                true);
        });
    }
}
