#pragma once

#include "core/db/profile.h"
#include "core/ops/schemaapply.h"
#include "core/ops/schemaops.h"
#include "ui/main/consoleview.h"
#include "ui/timeline/plandialog.h"

#include <QPointer>
#include <QSet>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTreeView;

namespace dbops
{
    class CodeView;
    class ConnectionController;
    class DiffFilterModel;
    class DiffTreeModel;
    class Job;
    class JobManager;
    class PasswordCache;
    class ProfileStore;
    class SideBySideModel;
    class Store;
    class ViewJobs;

    /// The drift view (issue 14), the console's face of the schema diff: pick two sides, see how
    /// they differ as a tree, choose the changes, and repair the From side with the generated (or
    /// edited) SQL through ops::applySchemaScript, or keep the fix as the next migration. Every
    /// read, comparison, plan and apply is a job; the GUI thread only shows their results.
    class DiffView final : public QWidget, public ConsoleView
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(DiffView)

    public:
        enum class Which
        {
            From,
            To
        };
        Q_ENUM(Which)
        enum class SideKind
        {
            Profile,           ///< a PostgreSQL or SQLite profile
            MigrationsHead,    ///< the profile's migrations folder, every file
            MigrationsApplied, ///< the profile's migrations up to the version its database has applied
            SnapshotFile,      ///< a file written by Save snapshot… or dbops snapshot
        };
        struct SideChoice
        {
            SideKind kind = SideKind::Profile;
            QString profile; ///< Profile and Migrations*: the profile's name
            QString path;    ///< SnapshotFile
        };

        DiffView(Store *store, ProfileStore *profiles, JobManager *jobs, ConnectionController *connection, QWidget *parent = nullptr);
        ~DiffView() override;

        // ConsoleView: the connected profile is the default From side (the side a repair changes).
        QString targetProfileName() const override { return m_target.name; }
        void refresh() override; ///< F5: both sides are read again and compared
        void setTarget(const ConnectionProfile &profile, const QString &password);
        void setPasswordCache(PasswordCache *cache) { m_passwords = cache; }

        /// Chooses a side (the pickers show it) without loading it.
        void setSide(Which which, const SideChoice &choice);
        SideChoice side(Which which) const;
        /// Reads one side as its own job (the other keeps what it has); compares when both are read.
        void loadSide(Which which);
        void loadBoth();
        void cancelSide(Which which);

        /// The presets, one click each (they set both sides and load them).
        void presetDriftCheck();                  ///< the target versus what its applied migrations say
        void presetLocalVersusProduction();       ///< the project's local profile versus its production profile
        void presetSnapshot(const QString &path); ///< the target now versus a saved snapshot

        /// Checks or unchecks a change as a click on its box does: checking also checks what it
        /// needs; unchecking one that checked changes need asks (uncheckConfirm) whether to uncheck
        /// them too, and keeps it checked otherwise.
        void setChangeChecked(int change, bool checked);
        /// Asked when unchecking `change` would leave `dependents` (checked) without it: true
        /// unchecks them all. Default: a message box.
        using UncheckConfirm = std::function<bool(const QString &change, const QStringList &dependents)>;
        void setUncheckConfirm(UncheckConfirm confirm) { m_uncheckConfirm = std::move(confirm); }

        void acceptRename(int candidate);
        void setOnline(bool online);

        /// Opens the plan dialog for applying the script to the From side (openedPlanDialog()).
        void applyToTarget();
        PlanDialog *openedPlanDialog() const { return m_planDialog; }
        /// Writes the script as the next migration of the From profile's folder; returns the path
        /// written (empty and a status message when it could not).
        QString saveAsMigration(const QString &description = QStringLiteral("drift repair"));
        Expected<void> exportReport(const QString &path);
        /// Writes a loaded side's snapshot to a file (a job); sideSaved() follows.
        void saveSnapshot(Which which, const QString &path);

        // What tests and the screenshot tool read.
        DiffTreeModel *model() const { return m_model; }
        DiffFilterModel *filter() const { return m_filter; }
        QTreeView *tree() const { return m_tree; }
        CodeView *scriptEditor() const { return m_script; }
        QCheckBox *onlineBox() const { return m_online; }
        QCheckBox *onlyDifferentBox() const { return m_onlyDifferent; }
        QCheckBox *onlyHazardousBox() const { return m_onlyHazardous; }
        QLineEdit *filterEdit() const { return m_filterText; }
        QPushButton *applyButton() const { return m_apply; }
        QLabel *resultLabel() const { return m_result; }
        QLabel *summaryLabel() const { return m_summary; }
        QLabel *sideStatus(Which which) const;
        SideBySideModel *ddlModel() const { return m_ddl; }
        QLabel *detailLabel() const { return m_detail; }
        QString script() const;
        bool isEdited() const { return m_edited; }
        /// The editor is still being filled with a long script (scriptChanged() follows).
        bool isFillingScript() const { return m_settingScript; }
        const ops::Comparison *comparison() const { return m_comparison.get(); }
        /// The last apply's result (after applied()).
        const std::optional<ops::SchemaApplyResult> &lastApply() const { return m_lastApply; }
        std::shared_ptr<PreChangeOutcome> lastPreChange() const { return m_lastPreChange; }

    signals:
        void sideLoaded(dbops::DiffView::Which which, bool ok);
        void compared();
        void scriptChanged();
        /// An apply ended; a successful one is followed by both sides read again and compared.
        void applied(bool ok, const QString &message);
        /// After an apply, the comparison of both sides read again: no drift left or what remains.
        void verified(bool clean, const QString &message);
        void sideSaved(bool ok, const QString &message);
        /// Save as migration was followed by "Open in timeline".
        void openTimelineRequested(const QString &profile);

    private:
        struct Picker;
        struct SideState;

        void buildUi();
        QWidget *buildPicker(Which which);
        void fillProfiles(const QList<ConnectionProfile> &profiles);
        void reloadProfiles();
        QString passwordFor(const QString &profile) const;
        void compare();
        void showComparison();
        void regeneratePlan();
        void showPlan(const schema::SqlPlan &plan, const QString &error);
        void showDetail(const QModelIndex &index);
        void onScriptEdited();
        void fillScript(const QString &text);
        void updateButtons();
        void startApply(const ops::Confirmation &confirmation);
        Picker &picker(Which which) const;
        SideState &state(Which which) const;

        Store *m_store;
        ProfileStore *m_profilesStore;
        JobManager *m_jobs;
        ConnectionController *m_connection;
        PasswordCache *m_passwords = nullptr;
        ViewJobs *m_run;
        ConnectionProfile m_target;
        QString m_targetPassword;
        QList<ConnectionProfile> m_profiles;

        std::unique_ptr<Picker> m_from, m_to;
        std::unique_ptr<SideState> m_fromState, m_toState;
        std::shared_ptr<const ops::Comparison> m_comparison;
        QList<QList<int>> m_needs;
        std::optional<schema::SqlPlan> m_plan;
        QString m_generated; ///< the script as written by dbops (the editor's text unless edited)
        bool m_edited = false;
        bool m_settingScript = false;
        bool m_verifyAfterApply = false;
        quint64 m_compares = 0, m_plans = 0, m_fills = 0;
        QList<QPair<QString, QString>> m_renames;
        std::optional<ops::SchemaApplyResult> m_lastApply;
        std::shared_ptr<PreChangeOutcome> m_lastPreChange;
        UncheckConfirm m_uncheckConfirm;
        QPointer<PlanDialog> m_planDialog;

        QPushButton *m_presetDrift, *m_presetLocal, *m_presetSnapshot, *m_compareButton;
        QLabel *m_summary;
        QCheckBox *m_onlyDifferent, *m_onlyHazardous;
        QLineEdit *m_filterText;
        DiffTreeModel *m_model;
        DiffFilterModel *m_filter;
        QTreeView *m_tree;
        QLabel *m_detail;
        SideBySideModel *m_ddl;
        QTableView *m_ddlView;
        CodeView *m_script;
        QLabel *m_scriptState;
        QCheckBox *m_online;
        QPushButton *m_revert, *m_copy, *m_saveSql, *m_saveMigration, *m_apply, *m_report;
        QLabel *m_result;
        QLabel *m_why;
    };
}
