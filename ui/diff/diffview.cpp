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
        QString kindLabel(DiffView::SideKind kind)
        {
            switch (kind)
            {
            case DiffView::SideKind::Profile:
                return u"Database of profile"_s;
            case DiffView::SideKind::MigrationsHead:
                return u"Migrations of profile (all files)"_s;
            case DiffView::SideKind::MigrationsApplied:
                return u"Migrations of profile (as applied)"_s;
            case DiffView::SideKind::SnapshotFile:
                return u"Snapshot file"_s;
            }
            return {};
        }
    }

    DiffView::DiffView(Store *store, ProfileStore *profiles, JobManager *jobs, ConnectionController *connection, QWidget *parent)
        : QWidget(parent)
        , m_store(store)
        , m_profilesStore(profiles)
        , m_jobs(jobs)
        , m_connection(connection)
        , m_run(new ViewJobs(jobs, this))
        , m_from(std::make_unique<Picker>())
        , m_to(std::make_unique<Picker>())
        , m_fromState(std::make_unique<SideState>())
        , m_toState(std::make_unique<SideState>())
        , m_model(new DiffTreeModel(this))
        , m_filter(new DiffFilterModel(this))
        , m_ddl(new SideBySideModel(this))
    {
        setObjectName(u"diffView"_s);
        m_uncheckConfirm = [this](const QString &change, const QStringList &dependents) {
            QMessageBox box(this);
            box.setIcon(QMessageBox::Question);
            box.setWindowTitle(u"Uncheck a needed change"_s);
            box.setText(u"%1 is needed by %2 checked change(s)."_s.arg(change).arg(dependents.size()));
            box.setInformativeText(u"Without it their SQL cannot apply:\n• "_s + dependents.join(u"\n• "_s) + u"\n\nUncheck them too?"_s);
            QPushButton *both = box.addButton(u"Uncheck all of them"_s, QMessageBox::AcceptRole);
            box.addButton(u"Keep it checked"_s, QMessageBox::RejectRole);
            box.exec();
            return box.clickedButton() == both;
        };
        buildUi();
        connect(m_model, &DiffTreeModel::checkRequested, this, &DiffView::setChangeChecked);
        connect(m_run, &ViewJobs::failed, this, [this](const QString &title, const Error &e) {
            m_result->setText(u"<b>%1 failed:</b> %2"_s.arg(title.toHtmlEscaped(), e.toString().toHtmlEscaped()));
        });
        if (m_connection)
            connect(m_connection, &ConnectionController::targetChanged, this,
                    [this] { setTarget(m_connection->profile(), m_connection->sessionPassword()); });
        reloadProfiles();
        updateButtons();
    }

    DiffView::~DiffView() = default;

    DiffView::Picker &DiffView::picker(Which which) const
    {
        return which == Which::From ? *m_from : *m_to;
    }

    DiffView::SideState &DiffView::state(Which which) const
    {
        return which == Which::From ? *m_fromState : *m_toState;
    }

    QLabel *DiffView::sideStatus(Which which) const
    {
        return picker(which).status;
    }

    QWidget *DiffView::buildPicker(Which which)
    {
        Picker &p = picker(which);
        const bool from = which == Which::From;
        p.box = new QGroupBox(from ? u"From — the side a repair changes"_s : u"To — how it should be"_s, this);
        p.box->setObjectName(from ? u"fromPicker"_s : u"toPicker"_s);
        p.kind = new QComboBox(p.box);
        for (SideKind k : {SideKind::Profile, SideKind::MigrationsHead, SideKind::MigrationsApplied, SideKind::SnapshotFile})
            p.kind->addItem(kindLabel(k), int(k));
        p.kind->setToolTip(u"What this side is: a database, what its migrations build, or a saved snapshot"_s);
        p.profile = new QComboBox(p.box);
        p.profile->setMinimumContentsLength(16);
        p.profile->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        p.path = new QLineEdit(p.box);
        p.path->setPlaceholderText(u"snapshot file (.json)"_s);
        p.browse = new QPushButton(u"Browse…"_s, p.box);
        p.load = new QPushButton(u"Load"_s, p.box);
        p.load->setToolTip(u"Read this side again (a job; the other side keeps what it has)"_s);
        p.cancel = new QPushButton(u"Cancel"_s, p.box);
        p.cancel->setEnabled(false);
        p.save = new QPushButton(u"Save snapshot…"_s, p.box);
        p.save->setToolTip(u"Write the loaded side to a snapshot file, to compare with later"_s);
        p.status = new QLabel(u"not loaded"_s, p.box);
        p.status->setObjectName(from ? u"fromStatus"_s : u"toStatus"_s);
        p.status->setWordWrap(true);
        p.status->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto *row1 = new QHBoxLayout;
        row1->addWidget(p.kind);
        row1->addWidget(p.profile, 1);
        row1->addWidget(p.path, 1);
        row1->addWidget(p.browse);
        auto *row2 = new QHBoxLayout;
        row2->addWidget(p.load);
        row2->addWidget(p.cancel);
        row2->addWidget(p.save);
        row2->addWidget(p.status, 1);
        auto *layout = new QVBoxLayout(p.box);
        layout->setContentsMargins(8, 4, 8, 6);
        layout->setSpacing(4);
        layout->addLayout(row1);
        layout->addLayout(row2);
        const auto showKind = [this, which] {
            Picker &q = picker(which);
            const bool file = SideKind(q.kind->currentData().toInt()) == SideKind::SnapshotFile;
            q.profile->setVisible(!file);
            q.path->setVisible(file);
            q.browse->setVisible(file);
        };
        showKind();
        connect(p.kind, &QComboBox::currentIndexChanged, this, showKind);
        connect(p.browse, &QPushButton::clicked, this, [this, which] {
            const QString path = QFileDialog::getOpenFileName(this, u"Open a snapshot"_s, {}, u"Snapshots (*.json);;All files (*)"_s);
            if (!path.isEmpty())
                picker(which).path->setText(path);
        });
        connect(p.load, &QPushButton::clicked, this, [this, which] { loadSide(which); });
        connect(p.cancel, &QPushButton::clicked, this, [this, which] { cancelSide(which); });
        connect(p.save, &QPushButton::clicked, this, [this, which] {
            const QString path = QFileDialog::getSaveFileName(this, u"Save snapshot"_s, {}, u"Snapshots (*.json)"_s);
            if (!path.isEmpty())
                saveSnapshot(which, path);
        });
        return p.box;
    }

    void DiffView::buildUi()
    {
        auto *pickers = new QHBoxLayout;
        pickers->setSpacing(8);
        pickers->addWidget(buildPicker(Which::From), 1);
        pickers->addWidget(buildPicker(Which::To), 1);

        m_presetDrift = new QPushButton(u"Drift check"_s, this);
        m_presetDrift->setToolTip(u"The connected database versus what its applied migrations say it should be"_s);
        m_presetLocal = new QPushButton(u"Local vs production"_s, this);
        m_presetLocal->setToolTip(u"This project's local profile versus its production profile"_s);
        m_presetSnapshot = new QPushButton(u"Now vs snapshot…"_s, this);
        m_presetSnapshot->setToolTip(u"The connected database now versus a snapshot saved earlier"_s);
        m_compareButton = new QPushButton(u"Load both and compare"_s, this);
        m_compareButton->setToolTip(u"Read both sides again and compare them (F5)"_s);
        auto *presets = new QHBoxLayout;
        presets->addWidget(new QLabel(u"Presets:"_s, this));
        presets->addWidget(m_presetDrift);
        presets->addWidget(m_presetLocal);
        presets->addWidget(m_presetSnapshot);
        presets->addStretch(1);
        presets->addWidget(m_compareButton);
        connect(m_presetDrift, &QPushButton::clicked, this, &DiffView::presetDriftCheck);
        connect(m_presetLocal, &QPushButton::clicked, this, &DiffView::presetLocalVersusProduction);
        connect(m_presetSnapshot, &QPushButton::clicked, this, [this] {
            const QString path =
                QFileDialog::getOpenFileName(this, u"Compare with a snapshot"_s, {}, u"Snapshots (*.json);;All files (*)"_s);
            if (!path.isEmpty())
                presetSnapshot(path);
        });
        connect(m_compareButton, &QPushButton::clicked, this, &DiffView::loadBoth);

        // The tree and its filters.
        m_summary = new QLabel(u"Load both sides to compare them."_s, this);
        m_summary->setObjectName(u"diffSummary"_s);
        m_summary->setWordWrap(true);
        m_onlyDifferent = new QCheckBox(u"Only different"_s, this);
        m_onlyDifferent->setChecked(true);
        m_onlyHazardous = new QCheckBox(u"Only hazardous"_s, this);
        m_filterText = new QLineEdit(this);
        m_filterText->setPlaceholderText(u"Filter: name, kind, hazard"_s);
        m_filterText->setClearButtonEnabled(true);
        connect(m_onlyDifferent, &QCheckBox::toggled, m_filter, &DiffFilterModel::setOnlyDifferent);
        connect(m_onlyHazardous, &QCheckBox::toggled, m_filter, &DiffFilterModel::setOnlyHazardous);
        connect(m_filterText, &QLineEdit::textChanged, m_filter, &DiffFilterModel::setText);
        m_filter->setSourceModel(m_model);
        m_tree = new QTreeView(this);
        m_tree->setObjectName(u"diffTree"_s);
        m_tree->setModel(m_filter);
        m_tree->setUniformRowHeights(true);
        m_tree->setAlternatingRowColors(true);
        m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
        m_tree->header()->setStretchLastSection(true);
        m_tree->header()->resizeSection(DiffTreeModel::ObjectColumn, 360);
        m_tree->header()->resizeSection(DiffTreeModel::ChangeColumn, 130);
        connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                [this](const QModelIndex &current) { showDetail(m_filter->mapToSource(current)); });
        auto *filters = new QHBoxLayout;
        filters->addWidget(m_onlyDifferent);
        filters->addWidget(m_onlyHazardous);
        filters->addWidget(m_filterText, 1);
        auto *left = new QWidget(this);
        auto *leftLayout = new QVBoxLayout(left);
        leftLayout->setContentsMargins(0, 0, 0, 0);
        leftLayout->setSpacing(4);
        leftLayout->addLayout(filters);
        leftLayout->addWidget(m_summary);
        leftLayout->addWidget(m_tree, 1);

        // The selected object: hazards, what depends on it, its DDL side by side.
        m_detail = new QLabel(u"Select a change to see its hazards and its DDL on both sides."_s, this);
        m_detail->setObjectName(u"diffDetail"_s);
        m_detail->setWordWrap(true);
        m_detail->setTextFormat(Qt::RichText);
        m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
        m_detail->setAlignment(Qt::AlignTop | Qt::AlignLeft);
        m_detail->setContentsMargins(6, 4, 6, 4);
        connect(m_detail, &QLabel::linkActivated, this, [this](const QString &link) {
            if (link.startsWith(u"accept:"_s))
                acceptRename(link.mid(7).toInt());
            else if (link.startsWith(u"keep:"_s))
            {
                m_detail->setText(m_detail->text().section(u"<p><a"_s, 0, 0)
                                  + u"<p><b>Kept as a drop and an add.</b> The script drops the old and adds the new; the old one's "
                                    "data is not carried over.</p>"_s);
            }
        });
        auto *detailScroll = new QScrollArea(this);
        detailScroll->setWidget(m_detail);
        detailScroll->setWidgetResizable(true);
        detailScroll->setFrameShape(QFrame::NoFrame);
        m_ddlView = new QTableView(this);
        m_ddlView->setObjectName(u"diffDdl"_s);
        m_ddlView->setModel(m_ddl);
        m_ddlView->setShowGrid(false);
        m_ddlView->setWordWrap(false);
        m_ddlView->verticalHeader()->hide();
        m_ddlView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        m_ddlView->verticalHeader()->setDefaultSectionSize(m_ddlView->fontMetrics().height() + 4);
        m_ddlView->setEditTriggers(QAbstractItemView::NoEditTriggers);
        m_ddlView->horizontalHeader()->setSectionResizeMode(SideBySideModel::LeftLine, QHeaderView::ResizeToContents);
        m_ddlView->horizontalHeader()->setSectionResizeMode(SideBySideModel::RightLine, QHeaderView::ResizeToContents);
        m_ddlView->horizontalHeader()->setSectionResizeMode(SideBySideModel::LeftText, QHeaderView::Stretch);
        m_ddlView->horizontalHeader()->setSectionResizeMode(SideBySideModel::RightText, QHeaderView::Stretch);
        m_ddlView->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        m_ddlView->setFont(mono);
        auto *right = new QSplitter(Qt::Vertical, this);
        right->addWidget(detailScroll);
        right->addWidget(m_ddlView);
        right->setStretchFactor(0, 1);
        right->setStretchFactor(1, 1);

        auto *top = new QSplitter(Qt::Horizontal, this);
        top->setObjectName(u"diffTopSplitter"_s);
        top->addWidget(left);
        top->addWidget(right);
        top->setStretchFactor(0, 1);
        top->setStretchFactor(1, 1);
        top->setChildrenCollapsible(false);

        // The script.
        m_script = new CodeView(this);
        m_script->setObjectName(u"diffScript"_s);
        m_script->setReadOnly(false);
        new SqlHighlighter(m_script->document());
        connect(m_script, &QPlainTextEdit::textChanged, this, &DiffView::onScriptEdited);
        m_online = new QCheckBox(u"Online plan"_s, this);
        m_online->setToolTip(u"The lock-friendly plan: CREATE INDEX CONCURRENTLY, NOT VALID then VALIDATE, lock_timeout, in steps"_s);
        connect(m_online, &QCheckBox::toggled, this, &DiffView::setOnline);
        m_scriptState = new QLabel(u"generated by dbops"_s, this);
        m_scriptState->setObjectName(u"scriptState"_s);
        m_revert = new QPushButton(u"Revert edits"_s, this);
        m_revert->setToolTip(u"Throw the edits away and write the script from the checked changes again"_s);
        m_copy = new QPushButton(u"Copy"_s, this);
        m_saveSql = new QPushButton(u"Save .sql…"_s, this);
        m_saveMigration = new QPushButton(u"Save as migration"_s, this);
        m_saveMigration->setToolTip(u"Write the script as the next migration of the From profile's folder, in its naming convention"_s);
        m_report = new QPushButton(u"Export report…"_s, this);
        m_report->setToolTip(u"The comparison as HTML or Markdown, for an approval meeting"_s);
        m_apply = new QPushButton(u"Apply to From…"_s, this);
        m_apply->setObjectName(u"diffApply"_s);
        m_apply->setToolTip(u"Review and apply the script to the From database (production: typed name and a verified backup first)"_s);
        connect(m_revert, &QPushButton::clicked, this, [this] {
            m_edited = false;
            regeneratePlan();
        });
        connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(script()); });
        connect(m_saveSql, &QPushButton::clicked, this, [this] {
            const QString path = QFileDialog::getSaveFileName(this, u"Save the script"_s, {}, u"SQL (*.sql)"_s);
            if (path.isEmpty())
                return;
            QSaveFile f(path);
            if (!f.open(QIODevice::WriteOnly) || f.write(script().toUtf8()) < 0 || !f.commit())
                m_result->setText(u"Could not write %1: %2"_s.arg(path.toHtmlEscaped(), f.errorString().toHtmlEscaped()));
            else
                m_result->setText(u"Saved the script to %1."_s.arg(path.toHtmlEscaped()));
        });
        connect(m_saveMigration, &QPushButton::clicked, this, [this] { saveAsMigration(); });
        connect(m_report, &QPushButton::clicked, this, [this] {
            const QString path = QFileDialog::getSaveFileName(this, u"Export the comparison"_s, {}, u"HTML (*.html);;Markdown (*.md)"_s);
            if (path.isEmpty())
                return;
            if (auto done = exportReport(path); !done)
                m_result->setText(done.error().message.toHtmlEscaped());
        });
        connect(m_apply, &QPushButton::clicked, this, &DiffView::applyToTarget);
        auto *bar = new QHBoxLayout;
        bar->addWidget(new QLabel(u"<b>Script</b>"_s, this));
        bar->addWidget(m_online);
        bar->addWidget(m_scriptState, 1);
        bar->addWidget(m_revert);
        bar->addWidget(m_copy);
        bar->addWidget(m_saveSql);
        bar->addWidget(m_saveMigration);
        bar->addWidget(m_report);
        bar->addWidget(m_apply);
        m_why = new QLabel(this);
        m_why->setObjectName(u"diffWhy"_s);
        m_why->setWordWrap(true);
        m_result = new QLabel(this);
        m_result->setObjectName(u"diffResult"_s);
        m_result->setWordWrap(true);
        m_result->setTextFormat(Qt::RichText);
        m_result->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
        connect(m_result, &QLabel::linkActivated, this, [this](const QString &link) {
            if (link.startsWith(u"timeline:"_s))
                emit openTimelineRequested(link.mid(9));
        });
        auto *bottom = new QWidget(this);
        auto *bottomLayout = new QVBoxLayout(bottom);
        bottomLayout->setContentsMargins(0, 0, 0, 0);
        bottomLayout->setSpacing(4);
        bottomLayout->addLayout(bar);
        bottomLayout->addWidget(m_script, 1);
        bottomLayout->addWidget(m_why);
        bottomLayout->addWidget(m_result);

        auto *main = new QSplitter(Qt::Vertical, this);
        main->setObjectName(u"diffMainSplitter"_s);
        main->addWidget(top);
        main->addWidget(bottom);
        main->setStretchFactor(0, 3);
        main->setStretchFactor(1, 2);
        main->setChildrenCollapsible(false);

        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(8, 8, 8, 8);
        layout->setSpacing(6);
        layout->addLayout(pickers);
        layout->addLayout(presets);
        layout->addWidget(main, 1);
    }

    void DiffView::reloadProfiles()
    {
        if (!m_profilesStore)
            return;
        JobHandlers<QList<ConnectionProfile>> handlers;
        handlers.succeeded = [this](const QList<ConnectionProfile> &list) { fillProfiles(list); };
        m_run->start<QList<ConnectionProfile>>(u"List profiles (diff)"_s, profilejobs::list(m_profilesStore), handlers,
                                               ViewJobs::Kind::Load);
    }

    void DiffView::fillProfiles(const QList<ConnectionProfile> &profiles)
    {
        m_profiles = profiles;
        for (Which which : {Which::From, Which::To})
        {
            Picker &p = picker(which);
            const QString keep = p.profile->currentData().toString();
            QSignalBlocker block(p.profile);
            p.profile->clear();
            for (const ConnectionProfile &profile : profiles)
                p.profile->addItem(u"%1 (%2)"_s.arg(profile.name, toString(profile.environment)), profile.name);
            const int i = p.profile->findData(keep);
            p.profile->setCurrentIndex(i >= 0 ? i : p.profile->findData(m_target.name));
        }
    }

    QString DiffView::passwordFor(const QString &profile) const
    {
        if (profile == m_target.name && !m_targetPassword.isEmpty())
            return m_targetPassword;
        if (m_passwords)
            return m_passwords->password(profile).value_or(QString());
        return {};
    }

    void DiffView::setTarget(const ConnectionProfile &profile, const QString &password)
    {
        m_target = profile;
        m_targetPassword = password;
        // The target as connected replaces the listed one of that name (until the list is read again).
        m_profiles.removeIf([&](const ConnectionProfile &p) { return p.name == profile.name; });
        if (!profile.name.isEmpty())
            m_profiles << profile;
        fillProfiles(m_profiles);
        // The From side follows the console's target (the side a repair changes).
        Picker &from = picker(Which::From);
        if (SideKind(from.kind->currentData().toInt()) != SideKind::SnapshotFile)
            from.profile->setCurrentIndex(from.profile->findData(profile.name));
        reloadProfiles();
    }

    void DiffView::setSide(Which which, const SideChoice &choice)
    {
        Picker &p = picker(which);
        p.kind->setCurrentIndex(p.kind->findData(int(choice.kind)));
        if (choice.kind == SideKind::SnapshotFile)
            p.path->setText(choice.path);
        else
        {
            int i = p.profile->findData(choice.profile);
            if (i < 0)
            {
                p.profile->addItem(choice.profile, choice.profile);
                i = p.profile->count() - 1;
            }
            p.profile->setCurrentIndex(i);
        }
    }

    DiffView::SideChoice DiffView::side(Which which) const
    {
        const Picker &p = picker(which);
        SideChoice c;
        c.kind = SideKind(p.kind->currentData().toInt());
        c.profile = p.profile->currentData().toString();
        c.path = p.path->text().trimmed();
        return c;
    }

    void DiffView::presetDriftCheck()
    {
        if (m_target.name.isEmpty())
        {
            m_result->setText(u"Connect a profile first: the drift check compares its database with its applied migrations."_s);
            return;
        }
        setSide(Which::From, {SideKind::Profile, m_target.name, {}});
        setSide(Which::To, {SideKind::MigrationsApplied, m_target.name, {}});
        loadBoth();
    }

    void DiffView::presetLocalVersusProduction()
    {
        const QString project = m_target.project;
        std::optional<ConnectionProfile> local, production;
        for (const ConnectionProfile &p : m_profiles)
        {
            if (p.project != project)
                continue;
            if (p.isProduction() && !production)
                production = p;
            else if (!p.isProduction() && (!local || p.name == m_target.name))
                local = p;
        }
        if (!local || !production)
        {
            m_result->setText(u"Local versus production needs two profiles of project '%1': a production one and another (found %2)."_s.arg(
                project.toHtmlEscaped(), production ? u"no local one"_s : u"no production one"_s));
            return;
        }
        setSide(Which::From, {SideKind::Profile, local->name, {}});
        setSide(Which::To, {SideKind::Profile, production->name, {}});
        loadBoth();
    }

    void DiffView::presetSnapshot(const QString &path)
    {
        setSide(Which::From, {SideKind::Profile, m_target.name, {}});
        setSide(Which::To, {SideKind::SnapshotFile, {}, path});
        loadBoth();
    }
}
