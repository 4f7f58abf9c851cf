#include "ui/files/folderwatcher.h"

#include <QFileInfo>
#include <QSet>

namespace dbops
{
    namespace
    {
        /// inotify watches are a per-user resource: a folder of thousands of files keeps to this.
        constexpr qsizetype kMaxWatchedFiles = 4000;
    }

    FolderWatcher::FolderWatcher(QObject *parent)
        : QObject(parent)
    {
        m_quiet.setSingleShot(true);
        m_quiet.setInterval(200);
        connect(&m_quiet, &QTimer::timeout, this, [this] {
            rewatch(); // a file replaced by a rename, or created again, is watched again
            emit changed();
        });
        const auto touched = [this] { m_quiet.start(); };
        connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, touched);
        connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, touched);
    }

    void FolderWatcher::setQuietMs(int ms)
    {
        m_quiet.setInterval(ms);
    }

    void FolderWatcher::setFolder(const QString &folder)
    {
        if (folder == m_folder)
            return;
        m_quiet.stop();
        m_folder = folder;
        m_files.clear();
        const QStringList watched = m_watcher.files() + m_watcher.directories();
        if (!watched.isEmpty())
            m_watcher.removePaths(watched);
        rewatch();
    }

    void FolderWatcher::setFiles(const QStringList &files)
    {
        m_files = files.mid(0, kMaxWatchedFiles);
        const QSet<QString> keep(m_files.cbegin(), m_files.cend());
        QStringList gone;
        for (const QString &f : m_watcher.files())
            if (!keep.contains(f))
                gone << f;
        if (!gone.isEmpty())
            m_watcher.removePaths(gone);
        rewatch();
    }

    void FolderWatcher::rewatch()
    {
        // QFileSystemWatcher drops a path whose file was removed or renamed over: add it again
        // when it exists (again).
        QStringList wanted;
        if (!m_folder.isEmpty() && !m_watcher.directories().contains(m_folder) && QFileInfo(m_folder).isDir())
            wanted << m_folder;
        const QStringList files = m_watcher.files();
        const QSet<QString> watched(files.cbegin(), files.cend());
        for (const QString &f : m_files)
            if (!watched.contains(f) && QFileInfo::exists(f))
                wanted << f;
        if (!wanted.isEmpty())
            m_watcher.addPaths(wanted);
    }
}
