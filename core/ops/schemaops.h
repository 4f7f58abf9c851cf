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
#include <QSet>
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

    /// Two sides already loaded (the console loads each as its own job with takeSnapshot).
    struct CompareRequest
    {
        schema::Snapshot from;
        schema::Snapshot to;
        QString fromLabel;
        QString toLabel;
        schema::DiffOptions options;
    };

    /// A comparison kept for choosing changes and writing their SQL: the outcome (without a
    /// plan) and both sides as they were compared.
    struct Comparison
    {
        DiffOutcome outcome;
        schema::Snapshot from; ///< as read (on one major version with `to`: alignMajorVersions)
        schema::Snapshot to;
        /// Across dialects: both sides in SQLite's vocabulary, as the diff compared them.
        std::optional<schema::Snapshot> crossFrom, crossTo;
        const schema::Snapshot &comparedFrom() const { return crossFrom ? *crossFrom : from; }
        const schema::Snapshot &comparedTo() const { return crossTo ? *crossTo : to; }
        /// schema::changeNeeds of the outcome's changes, by index.
        QList<QList<int>> needs() const;
    };

    /// Compares two loaded sides as diffSchemas compares what it read (one major version first,
    /// dialects narrowed). Blocking when the sides' major versions differ (a sandbox re-creates
    /// one): a job body.
    Comparison compareSnapshots(const CompareRequest &request, JobContext &jc);

    /// The SQL that turns the comparison's `from` into its `to` for the chosen changes (by index
    /// into outcome.diff.changes; nullopt: all). Pure: no database. BadInput when `from` is a
    /// SQLite file or a change cannot be written (across dialects: labels that differ in more
    /// than case).
    Expected<schema::SqlPlan> planFor(const Comparison &comparison, const std::optional<QSet<int>> &chosen, bool online);

    /// The drift check (issue 14): a database versus what its applied migrations say it should
    /// be (migrations:DIR@current version, replayed into a sandbox). The timeline's badge and the
    /// environments matrix's drift row both show it.
    struct DriftStatus
    {
        enum class State
        {
            NoDrift,
            Drift,
            NoHistory, ///< nothing applied yet: nothing to compare against
        };
        State state = State::NoHistory;
        QString appliedVersion;
        int changes = 0;
        QString summary;      ///< SchemaDiff::summary() when drifted
        QString text() const; ///< "no drift at 0004", "drift: 3 changes (+1 table, ...) against 0004", "no migration applied yet"
        QJsonObject toJson() const;
    };
    /// Blocking (connects, replays the migrations): a job body. Throws what ops::info and
    /// diffSchemas throw (unreachable, bad files). Read-only, not audited.
    DriftStatus driftCheck(const Target &target, const QString &migrationsDir, JobContext &jc);

    struct SnapshotRequest
    {
        schema::Side side;
        schema::IntrospectOptions options;
        /// migrations: the major version of the sandbox to replay into (0: the highest installed).
        int shadowMajor = 0;
        Store *store = nullptr;
        ProfileStore *profiles = nullptr;
    };
    /// Reads one side (history tables left out); `dbops snapshot` writes it to a file.
    schema::Snapshot takeSnapshot(const SnapshotRequest &request, JobContext &jc);

    // The exported comparison (Markdown and HTML), in schemareport.cpp.

    /// What an exported comparison shows besides the outcome.
    struct DiffReportInput
    {
        const DiffOutcome *outcome = nullptr; ///< not owned; null reads as an empty comparison
        QString script;                       ///< the script as it stands (maybe edited)
        bool edited = false;                  ///< the DBA edited it
        QDateTime comparedAt;                 ///< UTC
        QStringList selected;                 ///< change ids included in the script; empty: all
    };
    /// Markdown: a title, the sides (labels, how each was read: outcome->reads notes), the time, the
    /// counts (SchemaDiff::summary and a table of counts per kind and per hazard), each change (type,
    /// kind, object, hazards in words, "before"/"after" DDL in ```sql blocks, "not in the script"
    /// when not selected), possible renames, kinds not compared, notes, and the script in a ```sql
    /// block (marked edited). Names are in code spans and other text is escaped, so a hostile name
    /// renders as text; a fence is longer than any run of backticks inside it. Pure; any thread.
    QString diffReportMarkdown(const DiffReportInput &input);
    /// The same as one self-contained HTML page (inline CSS, no scripts, no external resources),
    /// readable on a projector: large base font (18px), high contrast, added/removed/altered as
    /// words and symbols (+ − ~) not colour alone, every text HTML-escaped. Pure; any thread.
    QString diffReportHtml(const DiffReportInput &input);
}
