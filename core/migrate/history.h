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
            Deleted     ///< repair marked this version's missing file as acknowledged
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
        int statementsDone = -1;  ///< non-transactional progress
        int statementsTotal = -1;
        int resumeFrom = -1;      ///< set by repair on a partly applied non-transactional migration
        bool outOfOrder = false;
        QString approvalId;
        QString backupId;
        QString dbopsVersion;
        QString error;
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
        virtual QList<HistoryRow> read(PgConnection &conn, CancelToken *token) = 0;
        /// The advisory lock key this format's tool takes, so dbops and that tool never migrate at once.
        virtual qint64 lockKey(PgConnection &conn, CancelToken *token) = 0;
        /// The format's checksum of a script (empty when the format keeps none).
        virtual QByteArray checksum(const MigrationScript &script) const = 0;
        virtual bool keepsChecksums() const { return true; }
        virtual bool canWrite() const { return true; }

        /// Statements that record a transactional migration; run inside its transaction.
        virtual QList<PipelineStep> recordApplied(const ApplyRecord &record) = 0;
        /// Non-transactional: start (a row saying "in progress"), progress, finish, failure.
        virtual void recordStarted(PgConnection &conn, const ApplyRecord &record, CancelToken *token) = 0;
        virtual void recordProgress(PgConnection &conn, const ApplyRecord &record, int done, CancelToken *token) = 0;
        virtual void recordFinished(PgConnection &conn, const ApplyRecord &record, qint64 executionMs, CancelToken *token) = 0;
        virtual void recordFailed(PgConnection &conn, const ApplyRecord &record, int done, const QString &error, CancelToken *token) = 0;
        /// Statements that record a down/undo of a version; run inside its transaction.
        virtual QList<PipelineStep> recordUndo(const Migration &migration) = 0;
        virtual QList<PipelineStep> recordBaseline(const Version &version, const QString &description) = 0;

        // Repair steps, run together in one transaction.
        virtual QList<PipelineStep> realignChecksum(const HistoryRow &row, const QByteArray &checksum) = 0;
        virtual QList<PipelineStep> removeFailed(const HistoryRow &row) = 0;
        virtual QList<PipelineStep> markResumable(const HistoryRow &row) = 0;
        virtual QList<PipelineStep> markMissing(const HistoryRow &row) = 0;
        virtual QList<PipelineStep> recordRepair(const QString &summary) = 0;
    };

    /// The name of the dbops history table unless overridden.
    QString defaultHistoryTable();
}
