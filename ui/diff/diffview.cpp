#include "ui/diff/diffview.h"

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

        QString hazardWords(const schema::Change &c)
        {
            QStringList lines;
            for (const schema::HazardNote &h : c.hazards)
                lines << u"<li><b>%1</b>%2</li>"_s.arg(schema::toString(h.hazard).toHtmlEscaped(),
                                                       h.detail.isEmpty() ? QString() : u": "_s + h.detail.toHtmlEscaped());
            return lines.isEmpty() ? u"<p>No hazard.</p>"_s : u"<ul style='margin:0'>"_s + lines.join(QString()) + u"</ul>"_s;
        }
    }

    struct DiffView::Picker
    {
        QGroupBox *box = nullptr;
        QComboBox *kind = nullptr;
        QComboBox *profile = nullptr;
        QLineEdit *path = nullptr;
        QPushButton *browse = nullptr;
        QPushButton *load = nullptr;
        QPushButton *cancel = nullptr;
        QPushButton *save = nullptr;
        QLabel *status = nullptr;
    };

    struct DiffView::SideState
    {
        std::optional<schema::Snapshot> snapshot;
        QString label;
        std::optional<ConnectionProfile> profile;
        quint64 sequence = 0;
        QPointer<Job> job;
        bool failed = false;
    };

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
