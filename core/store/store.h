#pragma once

#include "core/error.h"

#include <QMutex>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

#include <atomic>
#include <functional>

namespace dbops
{
    /// The app's own SQLite store (profiles, backup catalog, audit log, approvals) in the app data
    /// folder (STYLE D1): versioned, each schema step in its own transaction, the version in a meta
    /// table, and a store newer than this program refused rather than damaged.
    /// Thread-safe: each thread gets its own QSqlDatabase connection to the same file.
    class Store final
    {
    public:
        /// `path` empty: <appDataDir>/dbops.sqlite.
        explicit Store(QString path = {});
        ~Store();
        Store(const Store &) = delete;
        Store &operator=(const Store &) = delete;

        /// Opens the file and brings its schema up to date. BadInput when it is newer than this
        /// program or not a dbops store.
        Expected<void> open();
        /// Defers open() to the first use of database() (which then throws its error): a CLI run
        /// that needs no profile, catalog or audit entry never loads SQLite.
        void openOnFirstUse() { m_lazy = true; }
        QString path() const { return m_path; }
        int schemaVersion();
        static int latestSchemaVersion();

        /// The connection for the calling thread.
        QSqlDatabase database();
        /// Runs one statement with positional parameters; throws dbops::Exception on failure.
        void exec(const QString &sql, const QVariantList &params = {});
        /// Runs fn inside a transaction on this thread's connection; rolls back if it throws.
        void transaction(const std::function<void()> &fn);

    private:
        /// Throws BadInput when the file is a SQLite database of some other program.
        void refuseForeignDatabase() const;

        QString m_path;
        QString m_connectionPrefix;
        bool m_lazy = false;
        std::atomic_bool m_ready{false};
        QMutex m_openMutex;
    };
}
