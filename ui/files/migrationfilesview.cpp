#include "ui/files/migrationfilesview.h"

#include "core/jobs/jobmanager.h"
#include "ui/files/folderwatcher.h"
#include "ui/files/migrationfile.h"
#include "ui/jobs/viewjobs.h"
#include "ui/files/migrationfilesmodel.h"
#include "ui/widgets/codeview.h"
#include "ui/widgets/sqlhighlighter.h"

#include <QDesktopServices>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    MigrationFilesView::MigrationFilesView(JobManager *jobs, QWidget *parent)
        : QWidget(parent)
        , m_jobs(jobs)
        , m_lists(new ViewJobs(m_jobs, this))
        , m_reads(new ViewJobs(m_jobs, this))
        , m_watcher(new FolderWatcher(this))
        , m_model(new MigrationFilesModel(this))
        , m_proxy(new QSortFilterProxyModel(this))
        , m_title(new QLabel(this))
        , m_filter(new QLineEdit(this))
        , m_stack(new QStackedWidget(this))
        , m_placeholder(new QLabel(this))
        , m_files(new QTreeView(this))
        , m_fileHeader(new QLabel(this))
        , m_code(new CodeView(this))
    {
        setObjectName(u"migrationFilesView"_s);
        new SqlHighlighter(m_code->document());
        m_code->setObjectName(u"sqlViewer"_s);

        m_proxy->setSourceModel(m_model);
        m_proxy->setSortRole(MigrationFilesModel::SortRole);
        m_proxy->setFilterKeyColumn(MigrationFilesModel::Name);
        m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

        m_title->setObjectName(u"filesTitle"_s);
        m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_title->setMinimumWidth(100);
        m_filter->setPlaceholderText(u"Filter files…"_s);
        m_filter->setClearButtonEnabled(true);
        m_filter->setMaximumWidth(220);
        auto *refresh = new QPushButton(u"Refresh"_s, this);
        auto *open = new QPushButton(u"Open folder"_s, this);

        m_files->setObjectName(u"migrationFileList"_s);
        m_files->setModel(m_proxy);
        m_files->setRootIsDecorated(false);
        m_files->setUniformRowHeights(true);
        m_files->setAlternatingRowColors(true);
        m_files->setSortingEnabled(true);
        m_files->sortByColumn(MigrationFilesModel::Name, Qt::AscendingOrder);
        m_files->setSelectionMode(QAbstractItemView::SingleSelection);
        m_files->setEditTriggers(QAbstractItemView::NoEditTriggers);
        m_files->header()->setStretchLastSection(false);
        m_files->header()->setSectionResizeMode(MigrationFilesModel::Name, QHeaderView::Stretch);
        m_files->header()->setSectionResizeMode(MigrationFilesModel::Size, QHeaderView::ResizeToContents);
        m_files->header()->setSectionResizeMode(MigrationFilesModel::Modified, QHeaderView::ResizeToContents);

        m_fileHeader->setObjectName(u"fileHeader"_s);
        m_fileHeader->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_fileHeader->setContentsMargins(6, 3, 6, 3);
        m_fileHeader->setForegroundRole(QPalette::PlaceholderText);

        auto *viewer = new QWidget(this);
        auto *viewerLayout = new QVBoxLayout(viewer);
        viewerLayout->setContentsMargins(0, 0, 0, 0);
        viewerLayout->setSpacing(2);
        viewerLayout->addWidget(m_fileHeader);
        viewerLayout->addWidget(m_code, 1);

        auto *splitter = new QSplitter(Qt::Horizontal, this);
        splitter->setObjectName(u"filesSplitter"_s);
        splitter->addWidget(m_files);
        splitter->addWidget(viewer);
        splitter->setStretchFactor(0, 2);
        splitter->setStretchFactor(1, 3);
        splitter->setSizes({430, 600});
        splitter->setChildrenCollapsible(false);

        m_placeholder->setAlignment(Qt::AlignCenter);
        m_placeholder->setWordWrap(true);
        m_placeholder->setForegroundRole(QPalette::PlaceholderText);
        m_stack->addWidget(m_placeholder);
        m_stack->addWidget(splitter);

        auto *bar = new QHBoxLayout;
        bar->setContentsMargins(8, 6, 8, 2);
        bar->addWidget(m_title, 1);
        bar->addWidget(m_filter);
        bar->addWidget(refresh);
        bar->addWidget(open);
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(4);
        layout->addLayout(bar);
        layout->addWidget(m_stack, 1);

        connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
        connect(refresh, &QPushButton::clicked, this, &MigrationFilesView::refresh);
        connect(open, &QPushButton::clicked, this, [this] {
            if (!m_folder.isEmpty())
                QDesktopServices::openUrl(QUrl::fromLocalFile(m_folder));
        });
        connect(m_files->selectionModel(), &QItemSelectionModel::currentChanged, this, &MigrationFilesView::openCurrent);
        // An edit, a new or a removed file shows without F5: the listing and the shown file are read again.
        connect(m_watcher, &FolderWatcher::changed, this, &MigrationFilesView::refresh);
        setFolder({});
    }

    void MigrationFilesView::showPlaceholder(const QString &text)
    {
        m_placeholder->setText(text);
        m_stack->setCurrentWidget(m_placeholder);
    }

    void MigrationFilesView::setFolder(const QString &folder, const QString &profileName)
    {
        m_folder = folder;
        m_profileName = profileName;
        m_watcher->setFolder(folder);
        refresh();
    }

    void MigrationFilesView::refresh()
    {
        m_lists->retarget();
        m_reads->retarget();
        if (m_listJob)
            m_listJob->cancel();
        if (m_folder.isEmpty())
        {
            m_model->setFiles({});
            m_title->setText(m_profileName.isEmpty() ? u"<b>Migration files</b>"_s
                                                     : u"<b>Migration files</b> — %1"_s.arg(m_profileName.toHtmlEscaped()));
            showPlaceholder(m_profileName.isEmpty()
                                ? u"Connect a profile to see its migrations folder."_s
                                : u"No migrations folder is set for %1.\nEdit the profile to choose one."_s.arg(m_profileName));
            return;
        }
        m_title->setText(u"<b>Migration files</b> — %1 <span style='color:#6b7280'>(loading…)</span>"_s.arg(m_folder.toHtmlEscaped()));
        JobHandlers<MigrationFolderListing> handlers;
        handlers.succeeded = [this](const MigrationFolderListing &listing) { showListing(listing); };
        handlers.failed = [this](const Error &e, const auto &) { showPlaceholder(u"Cannot list %1:\n%2"_s.arg(m_folder, e.message)); };
        m_listJob = m_lists->start<MigrationFolderListing>(
            u"List migration files in %1"_s.arg(QFileInfo(m_folder).fileName()),
            [folder = m_folder](JobContext &ctx) { return migrationfiles::list(folder, ctx); }, handlers, ViewJobs::Kind::Load);
    }

    void MigrationFilesView::showListing(const MigrationFolderListing &listing)
    {
        const QString previous = m_shownPath;
        m_model->setFiles(listing.files);
        if (!listing.exists)
        {
            m_title->setText(u"<b>Migration files</b> — %1"_s.arg(listing.folder.toHtmlEscaped()));
            showPlaceholder(u"The folder %1 does not exist."_s.arg(listing.folder));
            emit listingLoaded(0);
            return;
        }
        m_title->setText(u"<b>Migration files</b> — %1 <span style='color:#6b7280'>· %2 files</span>"_s.arg(
            listing.folder.toHtmlEscaped(), QLocale().toString(listing.files.size())));
        if (listing.files.isEmpty())
            showPlaceholder(u"%1 holds no .sql files yet."_s.arg(listing.folder));
        else
            m_stack->setCurrentIndex(1);
        // Keep showing the same file after a refresh, else the first one.
        int row = 0;
        for (int r = 0; r < m_proxy->rowCount(); ++r)
            if (m_proxy->index(r, 0).data(MigrationFilesModel::PathRole).toString() == previous)
                row = r;
        if (m_proxy->rowCount() > 0)
            m_files->setCurrentIndex(m_proxy->index(row, 0));
        else
        {
            m_code->setCode({});
            m_fileHeader->clear();
        }
        emit listingLoaded(int(listing.files.size()));
    }

    void MigrationFilesView::openCurrent()
    {
        const QString path = m_files->currentIndex().data(MigrationFilesModel::PathRole).toString();
        if (path.isEmpty())
            return;
        m_reads->retarget();
        if (m_readJob)
            m_readJob->cancel();
        m_fileHeader->setText(u"%1 — reading…"_s.arg(QFileInfo(path).fileName()));
        JobHandlers<MigrationFileText> handlers;
        handlers.succeeded = [this](const MigrationFileText &text) { showFile(text); };
        handlers.failed = [this](const Error &e, const auto &) {
            m_code->setCode({});
            m_fileHeader->setText(e.message);
        };
        m_readJob = m_reads->start<MigrationFileText>(
            u"Read %1"_s.arg(QFileInfo(path).fileName()), [path](JobContext &ctx) { return migrationfiles::read(path, ctx); }, handlers,
            ViewJobs::Kind::Load);
    }

    void MigrationFilesView::showFile(const MigrationFileText &text)
    {
        // The same file read again (it changed on disk): the viewer stays where the DBA was reading.
        const bool again = text.path == m_shownPath;
        const int scroll = m_code->verticalScrollBar()->value();
        m_shownPath = text.path;
        m_watcher->setFiles({text.path});
        m_code->setCode(text.text);
        if (again)
            m_code->verticalScrollBar()->setValue(scroll);
        QString header = u"<b>%1</b> · %2 · %3 lines"_s
                             .arg(QFileInfo(text.path).fileName().toHtmlEscaped(),
                                  QLocale().formattedDataSize(text.size, 1, QLocale::DataSizeTraditionalFormat))
                             .arg(m_code->blockCount());
        if (text.truncated)
            header += u" · <span style='color:#9a6700'>showing the first 8 MiB</span>"_s;
        m_fileHeader->setText(header);
        emit fileShown(text.path);
    }
}
