#pragma once

#include "core/db/connectparams.h"
#include "core/error.h"
#include "core/schema/pgintrospect.h"
#include "core/schema/snapshot.h"

#include <QString>

#include <memory>

namespace dbops
{
    class JobContext;
    class Sandbox;
}

/// The `migrations:DIR[@VERSION]` side: the schema a migrations folder says there should be. The
/// folder is replayed with dbops' own migration engine (core/migrate's Migrator, as `dbops migrate`
/// runs it) into a scratch database of a temporary sandbox PostgreSQL (the shadow database),
/// stopping at VERSION, and that database is snapshotted. The sandbox is removed when the
/// ShadowDatabase is destroyed. Blocking: a job body.
namespace dbops::schema
{
    /// The table names of the migration histories dbops knows (its own and the foreign tools'):
    /// a history table is bookkeeping, never schema drift.
    QStringList historyTableNames();
    /// Removes history tables (by `qualified` "schema.table", or by the known names when empty)
    /// and everything on them (columns, constraints, indexes, triggers, owned sequences).
    void removeHistoryTables(Snapshot &snapshot, const QStringList &qualified = {});

    class ShadowDatabase final
    {
    public:
        ShadowDatabase();
        ~ShadowDatabase();
        ShadowDatabase(const ShadowDatabase &) = delete;
        ShadowDatabase &operator=(const ShadowDatabase &) = delete;

        /// Starts a sandbox of `major` (0: the highest installed; a major that is not installed
        /// falls back to the highest, said in `note()`), creates the shadow database and applies
        /// the migrations of `dir` up to `version` (empty: all). A migration that fails is
        /// OperationFailed naming the file, statement and reason; an unknown version is BadInput.
        Expected<void> build(const QString &dir, const QString &version, int major, JobContext &jc);
        /// Snapshots the shadow database, its history table left out.
        Expected<Snapshot> snapshot(const IntrospectOptions &options, JobContext &jc);
        /// A second database of the same sandbox (for --prove of a side that is not migrations).
        Expected<ConnectParams> createDatabase(const QString &name);

        ConnectParams params() const { return m_params; }
        int majorVersion() const;
        QString appliedVersion() const { return m_appliedVersion; }
        QString note() const { return m_note; }
        Sandbox *sandbox() const { return m_sandbox.get(); }

    private:
        std::unique_ptr<Sandbox> m_sandbox;
        ConnectParams m_params;
        QString m_dir;
        QString m_version;
        QString m_appliedVersion;
        QString m_note;
    };

    /// Starts a temporary sandbox of `major` (0, or not installed: the highest installed; `note`
    /// then says so when a major was asked for).
    Expected<std::unique_ptr<Sandbox>> startScratchSandbox(int major, JobContext &jc, QString *note = nullptr);
}
