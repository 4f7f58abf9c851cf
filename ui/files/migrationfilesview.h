#pragma once

#include "ui/main/consoleview.h"

#include "core/db/profile.h"
#include "core/jobs/job.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStackedWidget;
class QTreeView;

namespace dbops
{
    class CodeView;
    class FolderWatcher;
    class JobManager;
    class ViewJobs;
    class MigrationFilesModel;
    struct MigrationFolderListing;
    struct MigrationFileText;

    /// "Migration files": the target's migrations folder as a file list and a read-only SQL
    /// viewer. Listing and reading run as jobs; stale replies are dropped (C7). The folder and the
    /// shown file are watched: a file added, removed or edited (saved in place or by a rename)
    /// shows without a refresh.
    class MigrationFilesView final : public QWidget, public ConsoleView
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(MigrationFilesView)

    public:
        explicit MigrationFilesView(JobManager *jobs, QWidget *parent = nullptr);

        /// Shows the profile's migrations folder (an empty folder: the "no folder" state).
        void setFolder(const QString &folder, const QString &profileName = {});
        QString folder() const { return m_folder; }
        void refresh() override;
        QString targetProfileName() const override { return m_profileName; }

        MigrationFilesModel *model() const { return m_model; }
        QTreeView *fileView() const { return m_files; }
        CodeView *codeView() const { return m_code; }
        FolderWatcher *watcher() const { return m_watcher; }
        /// The file currently shown in the viewer.
        QString shownFile() const { return m_shownPath; }

    signals:
        void listingLoaded(int fileCount);
        void fileShown(const QString &path);

    private:
        void showListing(const MigrationFolderListing &listing);
        void showFile(const MigrationFileText &text);
        void openCurrent();
        void showPlaceholder(const QString &text);

        JobManager *m_jobs;
        QString m_folder;
        QString m_profileName;
        QString m_shownPath;
        ViewJobs *m_lists; ///< the folder listing (its own generation: a new folder drops an old listing)
        ViewJobs *m_reads; ///< the file shown
        FolderWatcher *m_watcher;
        QPointer<Job> m_listJob;
        QPointer<Job> m_readJob;

        MigrationFilesModel *m_model;
        QSortFilterProxyModel *m_proxy;
        QLabel *m_title;
        QLineEdit *m_filter;
        QStackedWidget *m_stack;
        QLabel *m_placeholder;
        QTreeView *m_files;
        QLabel *m_fileHeader;
        CodeView *m_code;
    };
}
