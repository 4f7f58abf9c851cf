#include "core/store/storewatcher.h"

#include "core/store/store.h"

#include <QFileInfo>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    StoreWatcher::StoreWatcher(const Store &store, QObject *parent)
        : QObject(parent)
        , m_path(store.path())
    {
        m_quiet.setSingleShot(true);
        m_quiet.setInterval(250);
        connect(&m_quiet, &QTimer::timeout, this, &StoreWatcher::changed);
        const auto touched = [this] {
            watchFiles(); // a WAL created since, or the file replaced
            m_quiet.start();
        };
        connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, touched);
        connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, touched);
        watchFiles();
    }

    void StoreWatcher::setQuietMs(int ms)
    {
        m_quiet.setInterval(ms);
    }

    void StoreWatcher::watchFiles()
    {
        const QString dir = QFileInfo(m_path).absolutePath();
        QStringList wanted{dir};
        for (const QString &file : QStringList{m_path, m_path + u"-wal"_s})
            if (QFileInfo::exists(file))
                wanted << file;
        const QStringList watched = m_watcher.files() + m_watcher.directories();
        QStringList missing;
        for (const QString &path : wanted)
            if (!watched.contains(path))
                missing << path;
        if (!missing.isEmpty())
            m_watcher.addPaths(missing);
    }
}
