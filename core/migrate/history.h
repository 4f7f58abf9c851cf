#pragma once

#include "core/db/pgconnection.h"
#include "core/migrate/migrationsource.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>

namespace dbops
{
    class CancelToken;

    /// One row of a migration history, whatever tool wrote it.
    struct HistoryRow
    {
        enum class Type
        {
            Migration,  ///< a versioned migration ran (successfully or not)
            Repeatable, ///< a repeatable (R__) ran
            Baseline,   ///< the database was taken over at this version
            Undo,       ///< a down/undo script reverted this version
            Repair,     ///< repair changed the history (a record, not a migration)
            Deleted,    ///< repair marked this version's missing file as acknowledged
            UpTo,       ///< every version up to this one is applied (golang-migrate keeps only that)
            Other       ///< a row the format keeps for its own purposes (e.g. Flyway's SCHEMA)
        };

        qint64 rank = 0; ///< order of installation
        Type type = Type::Migration;
        QString version;
        QString description;
        QString script;
        QByteArray checksum; ///< in the format's own encoding; empty when the format has none
        QString appliedSql;  ///< null when the format does not keep it
        QString installedBy;
        QString osUser;
        QString clientHost;
        QDateTime installedOn;
        qint64 executionMs = -1;
        bool success = true;
        bool dirty = false;      ///< the tool stopped part-way through this version
        int statementsDone = -1; ///< non-transactional progress
        int statementsTotal = -1;
        int resumeFrom = -1; ///< set by repair on a partly applied non-transactional migration
        bool outOfOrder = false;
        QString approvalId;
        QString backupId;
        QString dbopsVersion;
        QString error;
        QString note;              ///< what the history says about the row itself ("checksum adopted from the file on DATE, not verified")
        bool markedByHand = false; ///< recorded by `repair --mark-applied`: run by hand, not by dbops
    };
    QString toString(HistoryRow::Type type);

    /// What is recorded when a migration is applied.
    struct ApplyRecord
    {
        const Migration *migration = nullptr;
        bool outOfOrder = false;
        QString approvalId;
        QString backupId;
        int resumeFrom = 0;
    };

    /// A history table format (dbops, sqlx, Flyway, golang-migrate, plain). One adapter per
    /// format; detection lives in one place (historyformats). Adapters are stateless apart from
    /// their table name and are used on the migrator's worker thread.
    class HistoryAdapter
    {
    public:
        virtual ~HistoryAdapter() = default;

        virtual QString format() const = 0;
        /// Schema-qualified, quoted table name as used in SQL.
        virtual QString table() const = 0;
        virtual bool exists(PgConnection &conn, CancelToken *token) = 0;
        virtual void create(PgConnection &conn, CancelToken *token) = 0;
        /// Every row in installation order. Formats that keep the applied SQL leave it out here
        /// (appliedSql null): fetchAppliedSql() brings it for the few rows that need it.
        virtual QList<HistoryRow> read(PgConnection &conn, CancelToken *token) = 0;
        /// Fills appliedSql of the given rows where the format keeps it (default: it does not).
        virtual void fetchAppliedSql(PgConnection &, QList<HistoryRow *> &, CancelToken *) {}
        /// The advisory lock key this format's tool takes, so dbops and that tool never migrate at once.
        virtual qint64 lockKey(PgConnection &conn, CancelToken *token) = 0;
        /// The format's checksum of a script (empty when the format keeps none).
        virtual QByteArray checksum(const MigrationScript &script) const = 0;
        virtual bool keepsChecksums() const { return true; }
        /// Called once the rows are read and the files loaded, before the timeline is built: lets a
        /// format interpret what its rows alone cannot say (a home-grown checksum column's
        /// algorithm, tried against the files). Returns warnings naming what it did not understand.
        virtual QStringList interpret(const MigrationSet &, QList<HistoryRow> &) { return {}; }
        virtual bool canWrite() const { return true; }

        /// Statements that record a transactional migration; run inside its transaction.
        virtual QList<PipelineStep> recordApplied(const ApplyRecord &record) = 0;
        /// Non-transactional: start (a row saying "in progress"), progress, finish, failure.
        virtual void recordStarted(PgConnection &conn, const ApplyRecord &record, CancelToken *token) = 0;
        virtual void recordProgress(PgConnection &conn, const ApplyRecord &record, int done, CancelToken *token) = 0;
        virtual void recordFinished(PgConnection &conn, const ApplyRecord &record, qint64 executionMs, CancelToken *token) = 0;
        virtual void recordFailed(PgConnection &conn, const ApplyRecord &record, int done, const QString &error, CancelToken *token) = 0;
        /// Statements that record a down/undo of a version; run inside its transaction.
        /// `previousVersion` is the version the database is at afterwards (empty: none).
        virtual QList<PipelineStep> recordUndo(const Migration &migration, const QString &previousVersion) = 0;
        virtual QList<PipelineStep> recordBaseline(const Version &version, const QString &description) = 0;

        // Repair steps, run together in one transaction.
        virtual QList<PipelineStep> realignChecksum(const HistoryRow &row, const QByteArray &checksum) = 0;
        virtual QList<PipelineStep> removeFailed(const HistoryRow &row) = 0;
        virtual QList<PipelineStep> markResumable(const HistoryRow &row) = 0;
        /// Clears a dirty version once the DBA confirmed its effects are complete (it counts as
        /// applied) or reverted (the database is back at `previousVersion`).
        virtual QList<PipelineStep> clearDirty(const HistoryRow &row, bool effectsComplete, const QString &previousVersion) = 0;
        /// Whether a partly applied non-transactional migration can resume where it stopped.
        virtual bool supportsResume() const { return false; }
        virtual bool supportsRepeatables() const { return false; }
        /// Whether the format can record that an applied migration's file was deleted on purpose.
        virtual bool canMarkMissing() const { return true; }
        /// The schema and bare table name (for lock keys and messages).
        virtual QString schemaName() const = 0;
        virtual QString tableName() const = 0;
        virtual QList<PipelineStep> markMissing(const HistoryRow &row) = 0;
        /// Records a migration the DBA ran by hand as applied (repair --mark-applied), in one
        /// transaction. Default: the row the format's own tool writes (the format cannot say more).
        virtual QList<PipelineStep> recordMarkedApplied(const ApplyRecord &record, const QString &) { return recordApplied(record); }
        /// Whether recordMarkedApplied's rows themselves say marked by hand, by whom, when and why.
        virtual bool notesMarkedApplied() const { return false; }
        /// Whether an applied migration can be marked to run again (repair, after it dropped the
        /// invalid index an interrupted CREATE INDEX CONCURRENTLY left while the row says applied).
        virtual bool canRerun() const { return false; }
        /// Marks the applied migration of `row` to run again from its first statement; `reason` is kept.
        virtual QList<PipelineStep> markRerun(const HistoryRow &, const QString &) { return {}; }
        virtual QList<PipelineStep> recordRepair(const QString &summary) = 0;
    };

    /// The name of the dbops history table unless overridden.
    QString defaultHistoryTable();

    /// A history table's schema, bare name and quoted form. "name" or "schema.name".
    struct TableRef
    {
        QString schema;
        QString name;
        QString quoted;
        static TableRef parse(const QString &table, const QString &defaultName);
    };

    /// What every table-backed history shares: its table's names and whether it exists.
    class TableHistory : public HistoryAdapter
    {
    public:
        QString table() const final { return m_table.quoted; }
        QString schemaName() const final { return m_table.schema; }
        QString tableName() const final { return m_table.name; }
        bool exists(PgConnection &conn, CancelToken *token) final;

    protected:
        TableHistory(const QString &table, const QString &defaultName);
        TableRef m_table;
    };
}
