#pragma once

#include "core/ops/operation.h"
#include "core/schema/diff.h"
#include "core/schema/pgintrospect.h"
#include "core/schema/sides.h"
#include "core/schema/snapshot.h"
#include "core/schema/sqlwriter.h"

#include <QHash>
#include <QJsonObject>
#include <QPair>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

/// The schema diff and snapshot operations (issue 13), one job body each, shared by the CLI and
/// the console's Schema view. A diff and a snapshot only read: nothing on either side changes, so
/// they write no audit entry (ops::audit is for operations that may change a database). The one
/// write, --prove, goes to a throwaway sandbox, never to a side's server.
namespace dbops::ops
{
    struct DiffRequest
    {
        schema::Side from;
        schema::Side to;
        schema::DiffOptions options; ///< schema filters, --ignore, --rename
        bool sql = false;            ///< write the SQL that turns --from into --to
        bool online = false;         ///< the lock-friendly plan (implies sql)
        bool prove = false;          ///< apply the SQL to a schema-only clone of --from in a sandbox and re-diff
        bool data = false;           ///< check the values stored in enum-like columns against the other side's labels
        int dataLimit = 1000;        ///< distinct values read per column, at most
        Store *store = nullptr;      ///< for the profiles' keychain (ops::resolve)
        ProfileStore *profiles = nullptr;
    };

    /// One side as it was read.
    struct SideRead
    {
        QString option;          ///< "--from" / "--to"
        QString label;           ///< Side::label()
        int backendPid = 0;      ///< the PostgreSQL session that read it (0: not a server)
        QString applicationName; ///< that session's application_name
        qint64 startedMs = 0;    ///< since the diff began
        qint64 finishedMs = 0;
        int objects = 0;
        QString note; ///< e.g. the shadow database's version and sandbox
        QJsonObject toJson() const;
    };

    /// --data: values stored on one side that the other side's labels do not have.
    struct DataFinding
    {
        QString side;           ///< the label of the side holding the values
        QString column;         ///< schema.table.column
        QStringList values;     ///< the stored values the other side lacks
        QStringList expected;   ///< the other side's labels
        bool truncated = false; ///< more distinct values than dataLimit were stored
        QString text() const;   ///< "production holds 'PENDING' in public.u.tipo where local expects 'pending', 'admin'"
        QJsonObject toJson() const;
    };

    /// --prove: the SQL applied to a clone of --from, re-diffed against --to.
    struct Proof
    {
        bool proved = false;
        QString text; ///< "proved: no changes left" or what remains
        QList<schema::Change> remaining;
        QString how; ///< "schema-only clone of X in a sandbox PostgreSQL 15"
        QJsonObject toJson() const;
    };

    struct DiffOutcome
    {
        QString fromLabel;
        QString toLabel;
        schema::SchemaDiff diff;
        std::optional<schema::SqlPlan> plan; ///< with sql/online
        std::optional<Proof> proof;          ///< with prove
        QList<DataFinding> data;             ///< with data
        bool dataChecked = false;
        QList<SideRead> reads; ///< both sides, with their sessions
        /// Both sides were being read at the same time (each started before the other finished).
        bool readConcurrently = false;
        QStringList notes;
        /// Change id -> the labels on --from and on --to, for changes of "labels".
        QHash<QString, QPair<QString, QString>> labelChanges;

        QString script() const; ///< the plan's script (empty without a plan)
        /// The one JSON document: SchemaDiff::toJson plus sides, plan statements, proof, data.
        QJsonObject toJson() const;
        /// The human report: summary, then each change with its hazards, possible renames, the
        /// kinds not compared, data findings and the proof.
        QString toText() const;
    };

    /// Reads both sides in parallel (each on its own connection and thread, each in one
    /// snapshot), diffs them, and writes/proves the SQL and checks the data when asked. Throws
    /// BadInput (a bad rename, --sql with a SQLite --from, a snapshot file that does not read),
    /// Connect/Auth (a side cannot be reached), OperationFailed (migrations that do not replay).
    DiffOutcome diffSchemas(const DiffRequest &request, JobContext &jc);

    struct SnapshotRequest
    {
        schema::Side side;
        schema::IntrospectOptions options;
        Store *store = nullptr;
        ProfileStore *profiles = nullptr;
    };
    /// Reads one side (history tables left out); `dbops snapshot` writes it to a file.
    schema::Snapshot takeSnapshot(const SnapshotRequest &request, JobContext &jc);
}
