#include "ui/diff/diffview.h"
#include "ui/diff/diffview_p.h"

#include "core/jobs/job.h"
#include "core/migrate/nextmigration.h"
#include "core/ops/migrateops.h"
#include "core/schema/selection.h"
#include "core/schema/sides.h"
#include "core/store/profilestore.h"
#include "ui/diff/difftree.h"
#include "ui/jobs/viewjobs.h"
#include "ui/main/connectioncontroller.h"
#include "ui/profiles/passwordcache.h"
#include "ui/profiles/profilejobs.h"
#include "ui/timeline/plandialog.h"
#include "ui/timeline/sidebysidemodel.h"
#include "ui/widgets/codeview.h"
#include "ui/widgets/sqlhighlighter.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QTextCursor>
#include <QTime>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        /// One side as a job read it.
        struct LoadedSide
        {
            schema::Snapshot snapshot;
            QString label;
            std::optional<ConnectionProfile> profile; ///< the profile the side was read from
        };

        /// A comparison with what the view shows of it, all made off the GUI thread.
        struct Compared
        {
            std::shared_ptr<const ops::Comparison> comparison;
            DiffTree tree;
            QList<QList<int>> needs;
            std::optional<schema::SqlPlan> plan;
            QString planError;
        };

        struct PlanResult
        {
            std::optional<schema::SqlPlan> plan;
            QString error;
        };

        QString hazardWords(const schema::Change &c)
        {
            QStringList lines;
            for (const schema::HazardNote &h : c.hazards)
                lines << u"<li><b>%1</b>%2</li>"_s.arg(schema::toString(h.hazard).toHtmlEscaped(),
                                                       h.detail.isEmpty() ? QString() : u": "_s + h.detail.toHtmlEscaped());
            return lines.isEmpty() ? u"<p>No hazard.</p>"_s : u"<ul style='margin:0'>"_s + lines.join(QString()) + u"</ul>"_s;
        }
    }

    void DiffView::refresh()
    {
        loadBoth();
    }

    void DiffView::loadBoth()
    {
        loadSide(Which::From);
        loadSide(Which::To);
    }

    void DiffView::cancelSide(Which which)
    {
        if (SideState &s = state(which); s.job)
            s.job->cancel();
    }

    void DiffView::loadSide(Which which)
    {
        SideState &s = state(which);
        Picker &p = picker(which);
        if (s.job)
            s.job->cancel(); // superseded: the reply of the old read is dropped (sequence)
        const quint64 sequence = ++s.sequence;
        s.snapshot.reset();
        s.profile.reset();
        s.failed = false;
        m_comparison.reset();
        const SideChoice choice = side(which);
        if (choice.kind != SideKind::SnapshotFile && choice.profile.isEmpty())
        {
            p.status->setText(u"<span style='color:#cf222e'>choose a profile</span>"_s);
            s.failed = true;
            emit sideLoaded(which, false);
            return;
        }
        const QString password = passwordFor(choice.profile);
        // A migrations side replays into a sandbox of the other side's major version when known.
        const SideState &other = state(which == Which::From ? Which::To : Which::From);
        const int shadowMajor = other.snapshot ? other.snapshot->serverVersionNum / 10000 : 0;
        Store *store = m_store;
        ProfileStore *profiles = m_profilesStore;
        const QString option = which == Which::From ? u"From"_s : u"To"_s;
        // The console's target as connected; any other profile is read from the store in the job.
        const std::optional<ConnectionProfile> connected =
            choice.profile == m_target.name && !m_target.name.isEmpty() ? std::optional(m_target) : std::nullopt;
        auto body = [choice, connected, password, store, profiles, option, shadowMajor](JobContext &jc) -> LoadedSide {
            std::optional<ConnectionProfile> profile = connected;
            if (!profile && choice.kind != SideKind::SnapshotFile)
            {
                if (!profiles)
                    throw Exception(ErrorCode::Internal, u"no profile store"_s);
                auto read = profiles->get(choice.profile);
                if (!read)
                    throw Exception(read.error());
                profile = *read;
            }
            const ConnectionProfile chosen = profile.value_or(ConnectionProfile{});
            const QList<ConnectionProfile> known = profile ? QList<ConnectionProfile>{*profile} : QList<ConnectionProfile>{};
            QString text;
            switch (choice.kind)
            {
            case SideKind::Profile:
                text = chosen.name;
                break;
            case SideKind::MigrationsHead:
                text = u"migrations:"_s + ops::resolveMigrationsDir({}, chosen);
                break;
            case SideKind::MigrationsApplied: {
                ops::MigrationRequest r;
                r.target = {chosen, password, store, profiles};
                r.options.migrationsDir = ops::resolveMigrationsDir({}, chosen);
                auto settings = ops::settingsFromEnvironment();
                if (!settings)
                    throw Exception(settings.error());
                r.options.settings = *settings;
                const Timeline t = ops::info(r, jc);
                if (t.currentVersion.isEmpty())
                    throw Exception(ErrorCode::BadInput,
                                    u"%1 has applied no migration yet (no history in %2): compare it with its migrations "
                                    "(all files) instead"_s.arg(chosen.name, t.historyTable));
                text = u"migrations:%1@%2"_s.arg(r.options.migrationsDir, t.currentVersion);
                break;
            }
            case SideKind::SnapshotFile:
                if (choice.path.isEmpty())
                    throw Exception(ErrorCode::BadInput, u"%1: choose a snapshot file"_s.arg(option));
                text = u"snapshot:"_s + choice.path;
                break;
            }
            auto side = schema::parseSide(text, known, option);
            if (!side)
                throw Exception(side.error());
            if (side->kind == schema::Side::Kind::Postgres || side->kind == schema::Side::Kind::Sqlite)
                side->password = password;
            ops::SnapshotRequest request;
            request.side = *side;
            request.shadowMajor = shadowMajor;
            request.store = store;
            request.profiles = profiles;
            LoadedSide loaded{ops::takeSnapshot(request, jc), side->label(), profile};
            return loaded;
        };
        JobHandlers<LoadedSide> handlers;
        handlers.succeeded = [this, which, sequence](const LoadedSide &loaded) {
            SideState &st = state(which);
            if (st.sequence != sequence)
                return;
            st.snapshot = loaded.snapshot;
            st.label = loaded.label;
            st.profile = loaded.profile;
            picker(which).status->setText(u"<b>%1</b>: %2 objects, read at %3"_s.arg(loaded.label.toHtmlEscaped())
                                              .arg(loaded.snapshot.objects.size())
                                              .arg(QTime::currentTime().toString(u"HH:mm:ss"_s)));
            emit sideLoaded(which, true);
            compare();
        };
        handlers.failed = [this, which, sequence](const Error &e, const auto &) {
            SideState &st = state(which);
            if (st.sequence != sequence)
                return;
            st.failed = true;
            picker(which).status->setText(u"<span style='color:#cf222e'><b>%1</b></span>"_s.arg(
                (e.code == ErrorCode::Cancelled ? u"cancelled"_s : e.toString()).toHtmlEscaped()));
            emit sideLoaded(which, false);
            updateButtons();
        };
        handlers.finished = [this, which, sequence] {
            if (state(which).sequence == sequence)
                picker(which).cancel->setEnabled(false);
        };
        p.status->setText(u"loading…"_s);
        p.cancel->setEnabled(true);
        auto *job = m_run->start<LoadedSide>(u"Read %1 side (diff)"_s.arg(option), std::move(body), handlers, ViewJobs::Kind::Load);
        s.job = job;
        if (job)
            connect(job, &Job::progressChanged, p.status, [this, which, sequence](qint64, qint64, const QString &message) {
                if (state(which).sequence == sequence && !message.isEmpty())
                    picker(which).status->setText(u"loading… "_s + message.toHtmlEscaped());
            });
        updateButtons();
    }

    void DiffView::compare()
    {
        if (!m_fromState->snapshot || !m_toState->snapshot)
            return;
        const quint64 sequence = ++m_compares;
        ops::CompareRequest request{*m_fromState->snapshot, *m_toState->snapshot, m_fromState->label, m_toState->label, {}};
        request.options.renames = m_renames;
        const bool online = m_online->isChecked();
        m_summary->setText(u"Comparing…"_s);
        JobHandlers<Compared> handlers;
        handlers.succeeded = [this, sequence](const Compared &c) {
            if (sequence != m_compares)
                return;
            m_comparison = c.comparison;
            m_needs = c.needs;
            QSet<int> all;
            for (int i = 0; i < c.comparison->outcome.diff.changes.size(); ++i)
                all.insert(i);
            m_model->setTree(c.tree, all);
            m_tree->expandToDepth(c.tree.changes > 400 ? 0 : 1);
            m_edited = false;
            showPlan(c.plan.value_or(schema::SqlPlan{}), c.planError);
            showComparison();
        };
        handlers.failed = [this, sequence](const Error &e, const auto &) {
            if (sequence == m_compares)
                m_summary->setText(u"<span style='color:#cf222e'>Could not compare: %1</span>"_s.arg(e.toString().toHtmlEscaped()));
        };
        m_run->start<Compared>(
            u"Compare (diff)"_s,
            [request, online](JobContext &jc) {
                Compared c;
                auto comparison = std::make_shared<ops::Comparison>(ops::compareSnapshots(request, jc));
                c.tree = buildDiffTree(*comparison);
                c.needs = comparison->needs();
                if (comparison->from.dialect == schema::Dialect::Sqlite)
                    c.planError = u"no SQL: %1 is a SQLite file and dbops writes PostgreSQL SQL only (swap the sides for the SQL "
                                  "that makes the PostgreSQL side match)"_s.arg(request.fromLabel);
                else if (auto plan = ops::planFor(*comparison, std::nullopt, online))
                    c.plan = std::move(*plan);
                else
                    c.planError = plan.error().message;
                c.comparison = std::move(comparison);
                return c;
            },
            handlers, ViewJobs::Kind::Load);
    }

    void DiffView::showComparison()
    {
        const ops::DiffOutcome &o = m_comparison->outcome;
        QString text = o.diff.isEmpty()
                           ? u"<b>Same:</b> %1 matches %2."_s.arg(o.fromLabel.toHtmlEscaped(), o.toLabel.toHtmlEscaped())
                           : u"<b>%1 change(s)</b> turn %2 into %3: %4"_s.arg(o.diff.changes.size())
                                 .arg(o.fromLabel.toHtmlEscaped(), o.toLabel.toHtmlEscaped(), o.diff.summary().toHtmlEscaped());
        if (!o.diff.comparedAs.isEmpty())
            text += u"<br>"_s + o.diff.comparedAs.toHtmlEscaped();
        for (const QString &note : o.notes)
            text += u"<br><i>%1</i>"_s.arg(note.toHtmlEscaped());
        if (!o.diff.notCompared.isEmpty())
            text += u"<br>%1 object(s) of kinds dbops does not compare (listed in the report)."_s.arg(o.diff.notCompared.size());
        m_summary->setText(text);
        const bool drift = side(Which::To).kind == SideKind::MigrationsApplied || side(Which::To).kind == SideKind::MigrationsHead;
        m_why->setText(drift && !o.diff.isEmpty()
                           ? u"Recommended: Save as migration. Applied as a migration, the repair runs under the migration lock with a "
                             "pre-change backup, is recorded in the history and reaches every environment the same way; applied "
                             "here it changes only this database."_s
                           : QString());
        if (m_verifyAfterApply)
        {
            m_verifyAfterApply = false;
            QString message;
            if (o.diff.isEmpty())
                message = u"No drift left: %1 now matches %2."_s.arg(o.fromLabel, o.toLabel);
            else
            {
                QStringList left;
                for (const schema::Change &c : o.diff.changes)
                    left << u"%1 %2 %3"_s.arg(schema::toString(c.type), schema::toString(c.kind), c.object);
                message = u"%1 change(s) remain after the apply: %2"_s.arg(o.diff.changes.size()).arg(left.join(u"; "_s));
            }
            m_result->setText((o.diff.isEmpty() ? u"<b>✓ %1</b>"_s : u"<b>%1</b>"_s).arg(message.toHtmlEscaped()));
            emit verified(o.diff.isEmpty(), message);
        }
        updateButtons();
        emit compared();
    }

    void DiffView::setChangeChecked(int change, bool checked)
    {
        if (!m_comparison || change < 0 || change >= m_comparison->outcome.diff.changes.size())
            return;
        QSet<int> chosen = m_model->checked();
        const auto name = [this](int i) -> QString {
            const schema::Change &c = m_comparison->outcome.diff.changes[i];
            return u"%1 %2 %3"_s.arg(schema::toString(c.type), schema::toString(c.kind), c.object);
        };
        if (checked)
        {
            const QSet<int> with = schema::neededClosure(m_needs, {change});
            const QSet<int> added = with - chosen;
            chosen |= with;
            if (added.size() > 1)
            {
                QStringList also;
                for (int i : added)
                    if (i != change)
                        also << name(i);
                m_result->setText(
                    u"Also checked what %1 needs: %2"_s.arg(name(change).toHtmlEscaped(), also.join(u"; "_s).toHtmlEscaped()));
            }
        }
        else
        {
            const QSet<int> dependents = schema::chosenDependents(m_needs, chosen, change);
            if (!dependents.isEmpty())
            {
                QStringList names;
                QList<int> sorted(dependents.cbegin(), dependents.cend());
                std::sort(sorted.begin(), sorted.end());
                for (int i : sorted)
                    names << name(i);
                if (!m_uncheckConfirm || !m_uncheckConfirm(name(change), names))
                    return; // kept checked: the script stays one that applies
                chosen -= dependents;
            }
            chosen.remove(change);
        }
        m_model->setChecked(chosen);
        regeneratePlan();
    }

    void DiffView::acceptRename(int candidate)
    {
        if (!m_comparison || candidate < 0 || candidate >= m_comparison->outcome.diff.possibleRenames.size())
            return;
        const schema::RenameCandidate &r = m_comparison->outcome.diff.possibleRenames[candidate];
        m_renames << qMakePair(r.from, r.to);
        m_result->setText(u"Accepted the rename %1 → %2: compared again."_s.arg(r.from.toHtmlEscaped(), r.to.toHtmlEscaped()));
        compare();
    }

    void DiffView::setOnline(bool online)
    {
        if (m_online->isChecked() != online)
            m_online->setChecked(online); // toggled() comes back here
        else
            regeneratePlan();
    }

    void DiffView::regeneratePlan()
    {
        if (!m_comparison)
            return;
        if (m_edited)
        {
            m_scriptState->setText(u"<b>edited</b> — this text is what is applied and recorded; the check boxes and the online "
                                   "plan no longer change it (Revert edits writes it again)"_s);
            return;
        }
        const quint64 sequence = ++m_plans;
        const std::shared_ptr<const ops::Comparison> comparison = m_comparison;
        const QSet<int> chosen = m_model->checked();
        const bool online = m_online->isChecked();
        JobHandlers<PlanResult> handlers;
        handlers.succeeded = [this, sequence](const PlanResult &r) {
            if (sequence == m_plans)
                showPlan(r.plan.value_or(schema::SqlPlan{}), r.error);
        };
        m_run->start<PlanResult>(
            u"Write the SQL (diff)"_s,
            [comparison, chosen, online](JobContext &) {
                PlanResult r;
                if (comparison->from.dialect == schema::Dialect::Sqlite)
                    r.error = u"no SQL: the From side is a SQLite file"_s;
                else if (auto plan = ops::planFor(*comparison, chosen, online))
                    r.plan = std::move(*plan);
                else
                    r.error = plan.error().message;
                return r;
            },
            handlers, ViewJobs::Kind::Load);
    }

    void DiffView::showPlan(const schema::SqlPlan &plan, const QString &error)
    {
        m_plan = error.isEmpty() ? std::optional(plan) : std::nullopt;
        const ops::DiffOutcome &o = m_comparison->outcome;
        m_generated = error.isEmpty() && !plan.isEmpty() ? plan.script(o.fromLabel, o.toLabel) : QString();
        m_edited = false;
        fillScript(error.isEmpty() ? m_generated : u"-- "_s + error);
        m_scriptState->setText(
            !error.isEmpty() ? u"no script"_s
            : plan.isEmpty() ? u"nothing to do"_s
            : plan.online
                ? u"generated by dbops — online plan, %1 step(s), %2 statement(s)"_s.arg(plan.steps.size()).arg(plan.statements().size())
                : u"generated by dbops — %1 statement(s), one transaction"_s.arg(plan.statements().size()));
        updateButtons();
    }

    void DiffView::fillScript(const QString &text)
    {
        // A long script goes into the editor a slice per event-loop turn: highlighting and laying
        // out 10,000 lines at once blocks the GUI thread for several frames. The editor is read-only
        // until it holds the whole text; script() is the whole text meanwhile.
        const quint64 fill = ++m_fills;
        m_settingScript = true;
        m_script->setReadOnly(true);
        m_script->document()->setUndoRedoEnabled(false);
        m_script->clear();
        const auto step = [this, fill, text](auto &&self, qsizetype from) -> void {
            if (fill != m_fills)
                return; // a newer script replaced this one
            constexpr int kLinesPerSlice = 300;
            qsizetype to = from;
            for (int lines = 0; to >= 0 && to < text.size() && lines < kLinesPerSlice; ++lines)
                to = text.indexOf(u'\n', to + 1);
            const qsizetype end = to < 0 || to >= text.size() ? text.size() : to;
            QTextCursor cursor(m_script->document());
            cursor.movePosition(QTextCursor::End);
            cursor.insertText(text.mid(from, end - from));
            if (end < text.size())
            {
                QTimer::singleShot(0, this, [self, end] { self(self, end); });
                return;
            }
            m_script->moveCursor(QTextCursor::Start);
            m_script->document()->setUndoRedoEnabled(true);
            m_script->setReadOnly(false);
            m_settingScript = false;
            emit scriptChanged();
        };
        step(step, 0);
    }

    void DiffView::onScriptEdited()
    {
        if (m_settingScript || !m_comparison)
            return;
        const bool edited = m_script->toPlainText() != m_generated;
        if (edited == m_edited)
            return;
        m_edited = edited;
        m_scriptState->setText(edited ? u"<b>edited</b> — this text is what is applied and recorded"_s : u"generated by dbops"_s);
        updateButtons();
        emit scriptChanged();
    }

    QString DiffView::script() const
    {
        return m_edited ? m_script->toPlainText() : m_generated;
    }

    void DiffView::showDetail(const QModelIndex &index)
    {
        if (!m_comparison || !index.isValid())
            return;
        const int change = index.siblingAtColumn(0).data(DiffTreeModel::ChangeIndexRole).toInt();
        const int rename = index.siblingAtColumn(0).data(DiffTreeModel::RenameIndexRole).toInt();
        const ops::DiffOutcome &o = m_comparison->outcome;
        if (rename >= 0)
        {
            const schema::RenameCandidate &r = o.diff.possibleRenames[rename];
            m_detail->setText(u"<p><b>Possible rename:</b> %1 %2 → %3</p><p>dbops never assumes a rename. Taken as a drop and an add, "
                              "the data in %2 is lost; accepted, the script renames it and keeps the data.</p>"
                              "<p><a href='accept:%4'>Accept rename</a> &nbsp; <a href='keep:%4'>Keep as drop + add</a></p>"_s
                                  .arg(schema::toString(r.kind).toHtmlEscaped(), r.from.toHtmlEscaped(), r.to.toHtmlEscaped())
                                  .arg(rename));
            m_ddl->setTexts({}, {}, o.fromLabel, o.toLabel);
            return;
        }
        if (change < 0)
        {
            m_detail->setText(u"<b>%1</b> — %2"_s.arg(index.siblingAtColumn(0).data().toString().toHtmlEscaped(),
                                                      index.siblingAtColumn(1).data().toString().toHtmlEscaped()));
            m_ddl->setTexts({}, {}, o.fromLabel, o.toLabel);
            return;
        }
        const schema::Change &c = o.diff.changes[change];
        const schema::Snapshot &from = m_comparison->comparedFrom();
        const schema::Snapshot &to = m_comparison->comparedTo();
        QStringList dependents;
        for (const QString &id : from.dependents(c.fromId.isEmpty() ? c.id : c.fromId) + to.dependents(c.id))
        {
            const schema::SchemaObject *d = to.find(id) ? to.find(id) : from.find(id);
            const QString shown = d ? u"%1 %2"_s.arg(schema::toString(d->kind), d->displayName()) : id;
            if (!dependents.contains(shown))
                dependents << shown;
        }
        QStringList needs, neededBy;
        const auto name = [&](int i) {
            const schema::Change &x = o.diff.changes[i];
            return u"%1 %2 %3"_s.arg(schema::toString(x.type), schema::toString(x.kind), x.object);
        };
        for (int j : m_needs.value(change))
            needs << name(j);
        for (int i = 0; i < m_needs.size(); ++i)
            if (m_needs[i].contains(change))
                neededBy << name(i);
        const auto list = [](const QStringList &items) { return items.isEmpty() ? u"none"_s : items.join(u", "_s).toHtmlEscaped(); };
        QString text = u"<p><b>%1 %2 %3</b></p>"_s.arg(diffstyle::glyph(c.type) + u' ' + schema::toString(c.type),
                                                       schema::toString(c.kind).toHtmlEscaped(), c.object.toHtmlEscaped());
        if (!c.caseOnlyLabels.isEmpty())
        {
            QStringList pairs;
            for (const auto &[a, b] : c.caseOnlyLabels)
                pairs << a + u" → "_s + b;
            text += u"<p>The labels differ <b>only in case</b>: %1.</p>"_s.arg(pairs.join(u", "_s).toHtmlEscaped());
        }
        if (!c.attributes.isEmpty())
            text += u"<p>Differs in: %1</p>"_s.arg(c.attributes.join(u", "_s).toHtmlEscaped());
        text += u"<p><b>Hazards</b></p>"_s + hazardWords(c);
        text += u"<p><b>What depends on it:</b> %1</p>"_s.arg(list(dependents));
        text += u"<p><b>Needs:</b> %1<br><b>Needed by:</b> %2</p>"_s.arg(list(needs), list(neededBy));
        m_detail->setText(text);
        m_ddl->setTexts(c.before, c.after, o.fromLabel, o.toLabel);
    }

    void DiffView::updateButtons()
    {
        const bool hasScript = m_comparison && !script().trimmed().isEmpty() && (m_edited || (m_plan && !m_plan->isEmpty()));
        const SideChoice from = side(Which::From);
        const std::optional<ConnectionProfile> &profile = m_fromState->profile;
        const bool fromIsDatabase = from.kind == SideKind::Profile && profile && !profile->isSqlite();
        m_apply->setEnabled(hasScript && fromIsDatabase && !m_run->isBusy());
        m_apply->setToolTip(
            !fromIsDatabase
                ? u"Apply needs the From side to be a PostgreSQL profile's database"_s
                : u"Review and apply the script to %1 (production: typed name and a verified backup first)"_s.arg(from.profile));
        m_saveMigration->setEnabled(hasScript && profile.has_value());
        m_copy->setEnabled(hasScript);
        m_saveSql->setEnabled(hasScript);
        m_report->setEnabled(m_comparison != nullptr);
        m_revert->setEnabled(m_edited);
        for (Which which : {Which::From, Which::To})
            picker(which).save->setEnabled(state(which).snapshot.has_value());
    }

    void DiffView::applyToTarget()
    {
        if (!m_apply->isEnabled())
            return;
        const std::optional<ConnectionProfile> profile = m_fromState->profile;
        if (!profile)
            return;
        const ops::DiffOutcome &o = m_comparison->outcome;
        PlanContent content;
        content.title = u"Apply the diff SQL to %1"_s.arg(profile->name);
        QStringList hazards;
        bool destructive = false;
        for (int i : m_model->checked())
        {
            const schema::Change &c = o.diff.changes[i];
            for (const schema::HazardNote &h : c.hazards)
            {
                destructive = destructive || h.hazard == schema::Hazard::DataLoss;
                if (h.hazard != schema::Hazard::Lock)
                    hazards << u"<li>%1 %2: <b>%3</b> %4</li>"_s.arg(schema::toString(c.kind).toHtmlEscaped(), c.object.toHtmlEscaped(),
                                                                     schema::toString(h.hazard).toHtmlEscaped(), h.detail.toHtmlEscaped());
            }
        }
        content.summaryHtml =
            u"<p>Makes <b>%1</b> match <b>%2</b>: %3 of %4 change(s) chosen%5. %6</p>%7<p>%8</p>"_s
                .arg(o.fromLabel.toHtmlEscaped(), o.toLabel.toHtmlEscaped())
                .arg(m_model->checked().size())
                .arg(o.diff.changes.size())
                .arg(m_edited ? u", <b>the script edited by you</b>"_s : QString())
                .arg(m_plan && m_plan->online && !m_edited ? u"The online plan runs step by step; Cancel stops between steps."_s
                                                           : u"It runs in one transaction: all or nothing."_s)
                .arg(hazards.isEmpty() ? u"<p>No hazard beyond the locks each statement takes.</p>"_s
                                       : u"<p><b>Hazards</b></p><ul>"_s + hazards.join(QString()) + u"</ul>"_s)
                .arg(profile->isProduction() ? u"Production: a verified backup is taken first (or one taken after the last change, within "
                                               "the freshness window, is reused) and its id is recorded with the change."_s
                                             : u"A backup is taken first when the profile's policy asks for one."_s);
        if (m_plan && !m_edited)
            for (const schema::PlanStep &step : m_plan->steps)
                for (const schema::PlanStatement &s : step.statements)
                    content.items << PlanContent::Item{s.sql.section(u'\n', 0, 0).left(100),
                                                       s.outsideTransaction ? u"no transaction"_s : s.why, s.sql, s.outsideTransaction};
        else
            content.items << PlanContent::Item{u"the edited script"_s, u"edited"_s, script(), true};
        content.fullSql = script();
        content.acceptText = u"Apply to %1"_s.arg(profile->name);
        content.destructive = destructive;
        auto *dialog = new PlanDialog(*profile, content, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        m_planDialog = dialog;
        connect(dialog, &QDialog::accepted, this, [this, dialog] { startApply({dialog->typedConfirmation()}); });
        dialog->open();
    }

    void DiffView::startApply(const ops::Confirmation &confirmation)
    {
        const std::optional<ConnectionProfile> profile = m_fromState->profile;
        if (!profile || !m_comparison)
            return;
        ops::SchemaApplyRequest request;
        request.target = {*profile, passwordFor(profile->name), m_store, m_profilesStore};
        request.script = script();
        request.edited = m_edited;
        if (!m_edited)
            request.plan = m_plan;
        request.comparedWith = m_comparison->outcome.toLabel;
        request.targetLabel = profile->name;
        request.confirmation = confirmation;
        m_lastPreChange = request.preChange;
        m_lastApply.reset();
        m_result->setText(u"Applying to %1…"_s.arg(profile->name.toHtmlEscaped()));
        JobHandlers<ops::SchemaApplyResult> handlers;
        handlers.succeeded = [this](const ops::SchemaApplyResult &r) {
            m_lastApply = r;
            m_result->setText(u"<b>%1.</b> Reading both sides again…"_s.arg(r.text().toHtmlEscaped()));
            emit applied(true, r.text());
            m_verifyAfterApply = true;
            loadBoth();
        };
        handlers.failed = [this](const Error &e, const std::optional<ops::SchemaApplyResult> &r) {
            m_lastApply = r;
            m_result->setText(u"<span style='color:#cf222e'><b>Not applied:</b> %1</span>"_s.arg(e.toString().toHtmlEscaped()));
            emit applied(false, e.toString());
        };
        handlers.finished = [this] { updateButtons(); };
        m_run->start<ops::SchemaApplyResult>(
            u"Apply the diff SQL to %1"_s.arg(profile->name), [request](JobContext &jc) { return ops::applySchemaScript(request, jc); },
            handlers);
        updateButtons();
    }

    QString DiffView::saveAsMigration(const QString &description)
    {
        const std::optional<ConnectionProfile> profile = m_fromState->profile;
        if (!profile || script().trimmed().isEmpty())
            return {};
        const QString dir = ops::resolveMigrationsDir({}, *profile);
        auto written = writeNextMigration(dir, description, script());
        if (!written)
        {
            m_result->setText(u"<span style='color:#cf222e'>Not saved: %1</span>"_s.arg(written.error().message.toHtmlEscaped()));
            return {};
        }
        m_result->setText(u"Saved as the next migration of %1: <b>%2</b> (%3). It is pending until applied: "
                          "<a href='timeline:%4'>open it in the Migration timeline</a>."_s.arg(
                              profile->name.toHtmlEscaped(), written->fileName.toHtmlEscaped(), written->why.toHtmlEscaped(),
                              profile->name.toHtmlEscaped()));
        return written->path;
    }

    Expected<void> DiffView::exportReport(const QString &path)
    {
        if (!m_comparison)
            return fail(ErrorCode::Usage, u"nothing compared yet"_s);
        ops::DiffReportInput input;
        input.outcome = &m_comparison->outcome;
        input.script = script();
        input.edited = m_edited;
        input.comparedAt = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < m_comparison->outcome.diff.changes.size(); ++i)
            if (m_model->checked().contains(i))
                input.selected << m_comparison->outcome.diff.changes[i].id;
        if (input.selected.size() == m_comparison->outcome.diff.changes.size())
            input.selected.clear();
        const bool markdown = path.endsWith(u".md"_s, Qt::CaseInsensitive);
        const QString content = markdown ? ops::diffReportMarkdown(input) : ops::diffReportHtml(input);
        QSaveFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(content.toUtf8()) < 0 || !f.commit())
            return fail(ErrorCode::Io, u"could not write the report %1: %2"_s.arg(path, f.errorString()));
        m_result->setText(u"Exported the comparison to %1."_s.arg(path.toHtmlEscaped()));
        return {};
    }

    void DiffView::saveSnapshot(Which which, const QString &path)
    {
        const SideState &s = state(which);
        if (!s.snapshot)
            return;
        const schema::Snapshot snapshot = *s.snapshot;
        JobHandlers<bool> handlers;
        handlers.succeeded = [this, path](const bool &) {
            m_result->setText(u"Saved the snapshot to %1."_s.arg(path.toHtmlEscaped()));
            emit sideSaved(true, path);
        };
        handlers.failed = [this](const Error &e, const auto &) {
            m_result->setText(u"<span style='color:#cf222e'>%1</span>"_s.arg(e.toString().toHtmlEscaped()));
            emit sideSaved(false, e.toString());
        };
        m_run->start<bool>(
            u"Save snapshot"_s,
            [snapshot, path](JobContext &) {
                if (auto written = schema::writeSnapshotFile(snapshot, path); !written)
                    throw Exception(written.error());
                return true;
            },
            handlers, ViewJobs::Kind::Load);
    }

}
