#pragma once

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

namespace dbops
{
    class Store;

    /// Says when the store's file changed: a commit of this process or of another dbops process
    /// (a CLI run, a second console). It watches the SQLite file, its WAL and the folder (the WAL
    /// comes and goes) and folds a burst of writes into one changed() after a short quiet time.
    /// It never opens the store: views that show store data reload it in their own jobs.
    class StoreWatcher final : public QObject
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(StoreWatcher)

    public:
        explicit StoreWatcher(const Store &store, QObject *parent = nullptr);
        /// How long writes must pause before changed() (default 250 ms).
        void setQuietMs(int ms);

    signals:
        void changed();

    private:
        void watchFiles();

        QString m_path;
        QFileSystemWatcher m_watcher;
        QTimer m_quiet;
    };
}
