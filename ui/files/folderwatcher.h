#pragma once

#include <QFileSystemWatcher>
#include <QObject>
#include <QStringList>
#include <QTimer>

namespace dbops
{
    /// Says when a migrations folder or one of the files a view shows changed on disk: a file
    /// added, removed or renamed in the folder, or a watched file written. An editor that saves by
    /// writing a new file and renaming it over the old one is seen too (the replaced file's watch
    /// is renewed on the new file). A burst of events (an editor's save, a checkout) is folded
    /// into one changed() after a short quiet time. It reads no file: the view reloads in its jobs.
    class FolderWatcher final : public QObject
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(FolderWatcher)

    public:
        explicit FolderWatcher(QObject *parent = nullptr);

        /// Watches this folder (empty: none) and forgets the files of the previous one.
        void setFolder(const QString &folder);
        /// The files whose content matters (at most a few thousand are watched).
        void setFiles(const QStringList &files);
        QString folder() const { return m_folder; }
        /// How long events must pause before changed() (default 200 ms).
        void setQuietMs(int ms);

    signals:
        void changed();

    private:
        void rewatch();

        QString m_folder;
        QStringList m_files;
        QFileSystemWatcher m_watcher;
        QTimer m_quiet;
    };
}
