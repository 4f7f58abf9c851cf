#pragma once

#include "core/error.h"

#include <QMutex>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <atomic>
#include <functional>

namespace dbops
{
    /// The app's own SQLite store (profiles, backup catalog, audit log, approvals) in the app data
    /// folder (STYLE D1): versioned, each schema step in its own transaction, the version in a meta
    /// table, and a store newer than this program refused rather than damaged.
    /// Thread-safe: each thread gets its own QSqlDatabase connection to the same file. A worker's
    /// connections are closed on that worker before it finishes: at the end of each job
    /// (ThreadConnectionScope, in Job::run), else when its QThread finishes; never at exit.
    class Store final
    {
    public:
        /// Closes, when it is destroyed, every store connection (of every Store) that the calling
        /// thread opened while it lived; connections that were open before are kept. Job::run
        /// puts one around each job body, so a pool thread holds no Qt SQL connection once its
        /// job has ended. Create and destroy it on the same thread, and hold no QSqlDatabase or
        /// QSqlQuery of those connections past it.
        class ThreadConnectionScope final
        {
        public:
            ThreadConnectionScope();
            ~ThreadConnectionScope();
            ThreadConnectionScope(const ThreadConnectionScope &) = delete;
            ThreadConnectionScope &operator=(const ThreadConnectionScope &) = delete;

        private:
            QStringList m_before;
        };
        /// How many store connections the calling thread has open (tests).
        static int openConnectionCount();

        /// `path` empty: <appDataDir>/dbops.sqlite.
        explicit Store(QString path = {});
        ~Store();
        Store(const Store &) = delete;
        Store &operator=(const Store &) = delete;

        /// Opens the file and brings its schema up to date. BadInput, and the file unchanged, when
        /// it is newer than this program, not a dbops store, or damaged (`PRAGMA quick_check`).
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
        /// Throws BadInput, leaving the file as it is, when it is a SQLite database of some other
        /// program or fails `PRAGMA quick_check` (a damaged page).
        void refuseForeignOrDamaged() const;

        QString m_path;
        QString m_connectionPrefix;
        bool m_lazy = false;
        std::atomic_bool m_ready{false};
        QMutex m_openMutex;
    };
}
