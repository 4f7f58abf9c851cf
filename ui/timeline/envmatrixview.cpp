#include "ui/timeline/envmatrixview.h"

#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/ops/schemaops.h"
#include "ui/jobs/viewjobs.h"
#include "ui/profiles/passwordcache.h"
#include "ui/profiles/profilejobs.h"
#include "ui/timeline/envmatrixmodel.h"
#include "ui/timeline/timelinejobs.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    EnvMatrixView::EnvMatrixView(JobManager *jobs, ProfileStore *profiles, QWidget *parent)
        : QWidget(parent)
        , m_jobs(jobs)
        , m_lists(new ViewJobs(m_jobs, this))
        , m_loads(new ViewJobs(m_jobs, this))
        , m_profiles(profiles)
        , m_model(new EnvMatrixModel(this))
        , m_projects(new QComboBox(this))
        , m_reload(new QPushButton(u"Reload"_s, this))
        , m_title(new QLabel(this))
        , m_summary(new QLabel(this))
        , m_table(new QTableView(this))
    {
        setObjectName(u"envMatrixView"_s);
        m_projects->setObjectName(u"projectChooser"_s);
        m_projects->setMinimumWidth(180);
        m_reload->setObjectName(u"reloadMatrix"_s);
        m_title->setTextFormat(Qt::RichText);
        m_title->setText(u"<b>Environments</b> — which migration is where"_s);
        m_summary->setObjectName(u"matrixSummary"_s);
        m_summary->setTextFormat(Qt::RichText);
        m_summary->setWordWrap(true);
        m_summary->setContentsMargins(8, 0, 8, 0);

        m_table->setObjectName(u"matrixTable"_s);
        m_table->setModel(m_model);
        m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
        m_table->setAlternatingRowColors(true);
        m_table->setWordWrap(true);
        m_table->setIconSize(QSize(16, 16));
        m_table->verticalHeader()->hide();
        m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
        m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        m_table->horizontalHeader()->setMinimumSectionSize(60);
        m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
        m_table->horizontalHeader()->setStretchLastSection(true);

        auto *bar = new QHBoxLayout;
        bar->setContentsMargins(8, 6, 8, 0);
        bar->addWidget(m_title, 1);
        bar->addWidget(new QLabel(u"Project:"_s, this));
        bar->addWidget(m_projects);
        bar->addWidget(m_reload);
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(6);
        layout->addLayout(bar);
        layout->addWidget(m_summary);
        layout->addWidget(m_table, 1);

        m_prompt = [this](const ConnectionProfile &p, const Error &e) { return askForPassword(this, p, e); };
        // A column whose server wants a password offers Enter password… (header click, double
        // click in the column, the context menu of either).
        const auto columnOf = [this](int section) { return section - int(EnvMatrixModel::FirstEnvironment); };
        connect(m_table->horizontalHeader(), &QHeaderView::sectionClicked, this, [this, columnOf](int section) {
            const int p = columnOf(section);
            if (p >= 0 && p < m_model->profiles().size() && m_model->passwordNeeded(p))
                enterPassword(m_model->profiles().at(p).name);
        });
        connect(m_table, &QTableView::doubleClicked, this, [this, columnOf](const QModelIndex &index) {
            const int p = columnOf(index.column());
            if (p >= 0 && p < m_model->profiles().size() && m_model->passwordNeeded(p))
                enterPassword(m_model->profiles().at(p).name);
        });
        m_table->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(m_table->horizontalHeader(), &QWidget::customContextMenuRequested, this, [this, columnOf](const QPoint &pos) {
            QHeaderView *header = m_table->horizontalHeader();
            showColumnMenu(columnOf(header->logicalIndexAt(pos)), header->viewport()->mapToGlobal(pos));
        });
        m_table->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(m_table, &QWidget::customContextMenuRequested, this, [this, columnOf](const QPoint &pos) {
            showColumnMenu(columnOf(m_table->columnAt(pos.x())), m_table->viewport()->mapToGlobal(pos));
        });

        connect(m_projects, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
        connect(m_reload, &QPushButton::clicked, this, &EnvMatrixView::refresh);
        reloadProjects();
    }

    void EnvMatrixView::setKnownPassword(const QString &profileName, const QString &password)
    {
        if (!profileName.isEmpty())
            m_passwords.insert(profileName, password);
    }

    void EnvMatrixView::setPasswordCache(PasswordCache *cache)
    {
        m_cache = cache;
        // Forgotten there (an explicit disconnect, quit, expiry): forgotten here too.
        if (cache)
            connect(cache, &PasswordCache::forgotten, this, [this](const QString &name) { m_passwords.remove(name); });
    }

    void EnvMatrixView::setPasswordPrompt(PasswordPrompt prompt)
    {
        m_prompt = std::move(prompt);
    }

    QString EnvMatrixView::passwordFor(const QString &profileName) const
    {
        if (m_cache)
            if (auto typed = m_cache->password(profileName))
                return *typed;
        return m_passwords.value(profileName);
    }

    void EnvMatrixView::showColumnMenu(int profileIndex, const QPoint &globalPos)
    {
        if (profileIndex < 0 || profileIndex >= m_model->profiles().size() || !m_model->passwordNeeded(profileIndex))
            return;
        const QString name = m_model->profiles().at(profileIndex).name;
        QMenu menu(this);
        menu.addAction(u"Enter password for %1…"_s.arg(name), this, [this, name] { enterPassword(name); });
        menu.exec(globalPos);
    }

    bool EnvMatrixView::enterPassword(const QString &profileName)
    {
        const int index = m_model->profileIndex(profileName);
        if (index < 0 || !m_model->passwordNeeded(index) || !m_prompt)
            return false;
        const ConnectionProfile profile = m_model->profiles().at(index);
        const std::optional<QString> password = m_prompt(profile, m_model->error(index));
        if (!password)
            return false;
        // Kept for this column's load only until it works (then in the session's cache).
        m_passwords.insert(profileName, *password);
        m_model->setLoading(index);
        columnDone(index); // the spans and the summary: "1 still loading…"
        startColumn(profile);
        return true;
    }

    void EnvMatrixView::setTarget(const ConnectionProfile &profile, const QString &password)
    {
        m_targetName = profile.name;
        if (profile.name.isEmpty())
            return;
        setKnownPassword(profile.name, password);
        if (!profile.project.isEmpty())
            setProject(profile.project);
    }

    void EnvMatrixView::reloadProjects()
    {
        listProfiles(false);
    }

    void EnvMatrixView::setProject(const QString &project)
    {
        listProfiles(true, project);
    }

    void EnvMatrixView::refresh()
    {
        listProfiles(true);
    }

    void EnvMatrixView::reloadColumn(const QString &profileName)
    {
        const int index = m_model->profileIndex(profileName);
        if (index < 0)
            return;
        startColumn(m_model->profiles().at(index));
    }

    void EnvMatrixView::storeChanged()
    {
        m_listLoadsChanged = true;
        listProfiles(false);
    }

    QList<ConnectionProfile> EnvMatrixView::members(const QList<ConnectionProfile> &profiles) const
    {
        QList<ConnectionProfile> out;
        for (const ConnectionProfile &p : profiles)
            if (!project().isEmpty() && p.project.trimmed() == project() && !p.isSqlite())
                out << p;
        return out;
    }

    void EnvMatrixView::listProfiles(bool loadColumns, const QString &wanted)
    {
        // Only the newest list's reply counts: it does what every request since the last reply asked.
        m_lists->retarget();
        m_listLoadsColumns = m_listLoadsColumns || loadColumns;
        if (!wanted.isEmpty())
            m_wantedProject = wanted;
        JobHandlers<QList<ConnectionProfile>> handlers;
        handlers.succeeded = [this](const QList<ConnectionProfile> &profiles) {
            const QString wanted = std::exchange(m_wantedProject, {});
            bool columns = std::exchange(m_listLoadsColumns, false);
            const bool ifChanged = std::exchange(m_listLoadsChanged, false);
            showProjects(profiles, wanted);
            if (ifChanged && !columns)
            {
                // A profile of the project shown was added, removed or edited: its columns are stale.
                const auto json = [](const QList<ConnectionProfile> &list) {
                    QList<QJsonObject> out;
                    for (const ConnectionProfile &p : list)
                        out << p.toJson();
                    std::sort(out.begin(), out.end(), [](const QJsonObject &a, const QJsonObject &b) {
                        return a.value(u"name"_s).toString() < b.value(u"name"_s).toString();
                    });
                    return out;
                };
                columns = json(members(profiles)) != json(m_model->profiles());
            }
            // A project no profile has any more is not loaded (the chooser kept what it showed).
            if (columns && (wanted.isEmpty() || project() == wanted))
                this->loadColumns(profiles);
        };
        handlers.failed = [this](const Error &e, const std::optional<QList<ConnectionProfile>> &) {
            m_wantedProject.clear();
            m_listLoadsColumns = false;
            m_listLoadsChanged = false;
            if (e.isCancelled())
                return;
            m_summary->setText(u"<span style='color:#cf222e'>✕ Cannot read the profiles: %1</span>"_s.arg(e.toString().toHtmlEscaped()));
        };
        m_lists->start<QList<ConnectionProfile>>(u"List profiles (matrix)"_s, profilejobs::list(m_profiles), std::move(handlers),
                                                 ViewJobs::Kind::Load);
    }

    void EnvMatrixView::showProjects(const QList<ConnectionProfile> &profiles, const QString &wanted)
    {
        const QString keep = wanted.isEmpty() ? project() : wanted;
        QStringList projects;
        for (const ConnectionProfile &p : profiles)
            if (!p.project.trimmed().isEmpty() && !projects.contains(p.project.trimmed()) && !p.isSqlite())
                projects << p.project.trimmed();
        projects.sort(Qt::CaseInsensitive);
        {
            // The columns are loaded by whoever asked for the list, not by the chooser's signal.
            const QSignalBlocker block(m_projects);
            m_projects->clear();
            m_projects->addItems(projects);
            if (!keep.isEmpty() && projects.contains(keep))
                m_projects->setCurrentText(keep);
        }
        if (projects.isEmpty())
            m_summary->setText(u"<span style='color:#57606a'>No project yet: give the dev, staging and production profiles of one "
                               u"application the same <b>Project</b> (Edit profile) to compare them here.</span>"_s);
        emit projectsLoaded();
    }

    QString EnvMatrixView::project() const
    {
        return m_projects->currentText();
    }

    int EnvMatrixView::loadingColumns() const
    {
        int n = 0;
        for (int i = 0; i < m_model->profiles().size(); ++i)
            n += m_model->status(i) == EnvMatrixModel::ColumnStatus::Loading;
        return n;
    }

    void EnvMatrixView::loadColumns(const QList<ConnectionProfile> &profiles)
    {
        m_loads->retarget();
        for (const QPointer<Job> &job : m_running)
            if (job)
                job->cancel();
        m_running.clear();
        m_table->clearSpans();
        const QList<ConnectionProfile> shown = members(profiles);
        m_model->setProfiles(shown);
        if (shown.isEmpty())
            return;
        m_summary->setText(u"<span style='color:#57606a'>Loading %1 environment(s)…</span>"_s.arg(shown.size()));
        for (const ConnectionProfile &p : m_model->profiles())
            startColumn(p);
        m_table->resizeColumnToContents(EnvMatrixModel::Version);
    }

    void EnvMatrixView::startColumn(const ConnectionProfile &p)
    {
        const QString password = passwordFor(p.name);
        const TimelineTarget target{p, password, p.migrationsDir, m_profiles, nullptr};
        const QString name = p.name;
        const quint64 serial = ++m_columnSerial;
        m_columnLoads.insert(name, serial);
        // A column loaded again (reloadColumn) while an older load of it runs: only the newest counts.
        const auto current = [this, name, serial] { return m_columnLoads.value(name) == serial && m_model->profileIndex(name) >= 0; };
        JobHandlers<MatrixColumnLoad> handlers;
        handlers.succeeded = [this, name, password, current](const MatrixColumnLoad &load) {
            if (!current())
                return;
            const int index = m_model->profileIndex(name);
            if (load.passwordNeeded)
                m_model->setPasswordNeeded(index, *load.passwordNeeded);
            else
            {
                if (m_cache)
                    m_cache->store(name, password); // it worked: no prompt next time
                m_model->setTimeline(index, load.timeline);
                startDrift(m_model->profiles().at(index), password);
            }
            columnDone(index);
        };
        handlers.failed = [this, name, current](const Error &e, const std::optional<MatrixColumnLoad> &) {
            if (!current())
                return;
            const int index = m_model->profileIndex(name);
            if (e.code == ErrorCode::Auth)
            {
                // A typed password the server refused: forgotten, and the column asks again.
                m_passwords.remove(name);
                if (m_cache)
                    m_cache->forget(name);
                m_model->setPasswordNeeded(index, e);
            }
            else
                m_model->setError(index, e);
            columnDone(index);
        };
        m_running.removeIf([](const QPointer<Job> &job) { return !job; });
        m_running << m_loads->start<MatrixColumnLoad>(
            u"Timeline of %1 (matrix)"_s.arg(p.name),
            [target](JobContext &jc) {
                if (target.migrationsDir.isEmpty())
                    throw Exception(ErrorCode::BadInput, u"no migrations folder is set for this profile"_s);
                MatrixColumnLoad load;
                try
                {
                    load.timeline = ops::info(timelinejobs::request(target), jc);
                }
                catch (const Exception &e)
                {
                    // No password given, none found: a question for the DBA, not a failure.
                    if (e.error().code != ErrorCode::Auth || !target.password.isEmpty())
                        throw;
                    load.passwordNeeded = e.error();
                    jc.progress(1, 1, u"the server asks for a password"_s);
                }
                return load;
            },
            handlers, ViewJobs::Kind::Load);
    }

    void EnvMatrixView::columnDone(int profileIndex)
    {
        // An error spans its whole column, so it reads as "this environment", not "this migration".
        m_table->clearSpans();
        for (int i = 0; i < m_model->profiles().size(); ++i)
            if (m_model->status(i) == EnvMatrixModel::ColumnStatus::Failed && m_model->rowCount() > 1)
                m_table->setSpan(0, EnvMatrixModel::FirstEnvironment + i, m_model->rowCount(), 1);
        m_table->resizeColumnToContents(EnvMatrixModel::Version);
        m_table->setColumnWidth(EnvMatrixModel::Description, 200);
        const int envColumns = int(m_model->profiles().size());
        const int available = m_table->viewport()->width() - m_table->columnWidth(EnvMatrixModel::Version) - 200;
        for (int i = 0; i < envColumns; ++i)
            m_table->setColumnWidth(EnvMatrixModel::FirstEnvironment + i, qMax(200, available / qMax(1, envColumns)));
        m_table->horizontalHeader()->setMinimumHeight(m_table->fontMetrics().height() * 2 + 12);
        updateSummary();
        emit columnLoaded(profileIndex);
        if (loadingColumns() == 0)
            emit allLoaded();
    }

    void EnvMatrixView::updateSummary()
    {
        QStringList parts;
        for (const QString &line : m_model->summary())
            parts << u"<span style='color:#cf222e'>▲ %1</span>"_s.arg(line.toHtmlEscaped());
        for (int i = 0; i < m_model->profiles().size(); ++i)
            if (m_model->status(i) == EnvMatrixModel::ColumnStatus::Failed && m_model->passwordNeeded(i))
                parts << u"<span style='color:#9a6700'>🔒 %1 needs a password: click its column header (Enter password…)</span>"_s.arg(
                    m_model->profiles().at(i).name.toHtmlEscaped());
            else if (m_model->status(i) == EnvMatrixModel::ColumnStatus::Failed)
                parts << u"<span style='color:#cf222e'>✕ %1 unreachable</span>"_s.arg(m_model->profiles().at(i).name.toHtmlEscaped());
        if (loadingColumns() > 0)
            parts << u"<span style='color:#57606a'>%1 still loading…</span>"_s.arg(loadingColumns());
        if (parts.isEmpty())
            parts << u"<span style='color:#1a7f37'>✓ Every environment has the same migrations applied.</span>"_s;
        m_summary->setText(parts.join(u" &nbsp;&nbsp; "_s));
    }

    void EnvMatrixView::startDrift(const ConnectionProfile &p, const QString &password)
    {
        const int index = m_model->profileIndex(p.name);
        m_model->setDrift(index, u"checking…"_s, u"comparing the schema with what its applied migrations make"_s, false);
        const QString name = p.name;
        const quint64 serial = m_columnLoads.value(name);
        const auto current = [this, name, serial] { return m_columnLoads.value(name) == serial && m_model->profileIndex(name) >= 0; };
        JobHandlers<ops::DriftStatus> handlers;
        handlers.succeeded = [this, name, current](const ops::DriftStatus &status) {
            if (!current())
                return;
            const bool drift = status.state == ops::DriftStatus::State::Drift;
            m_model->setDrift(m_model->profileIndex(name),
                              drift                                              ? u"⚠ %1 change(s)"_s.arg(status.changes)
                              : status.state == ops::DriftStatus::State::NoDrift ? u"✓ no drift"_s
                                                                                 : u"— nothing applied"_s,
                              status.text(), drift);
        };
        handlers.failed = [this, name, current](const Error &e, const auto &) {
            if (current() && e.code != ErrorCode::Cancelled)
                m_model->setDrift(m_model->profileIndex(name), u"not checked"_s, e.toString(), false);
        };
        const ops::Target target{p, password, nullptr, m_profiles}; // read-only: no audit, no backup rule
        const QString dir = p.migrationsDir;
        m_running << m_loads->start<ops::DriftStatus>(
            u"Drift check of %1, environments"_s.arg(p.name), [target, dir](JobContext &jc) { return ops::driftCheck(target, dir, jc); },
            handlers, ViewJobs::Kind::Load);
    }
}
