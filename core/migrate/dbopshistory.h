#pragma once

#include "core/migrate/history.h"

namespace dbops
{
    /// dbops' own history: one row per applied migration with the full applied SQL, SHA-256
    /// checksum, who (database user, OS user, host), when, how long, success, non-transactional
    /// progress, the dbops version, and the approval and backup that allowed it. Append-mostly:
    /// undo, baseline, repair and acknowledged missing files are rows of their own.
    class DbopsHistory final : public TableHistory
    {
    public:
        /// `table` may be "name" or "schema.name"; the default schema is public.
        explicit DbopsHistory(const QString &table = defaultHistoryTable());

        /// The advisory lock key: the first 8 bytes of SHA-256("dbops:<db>:<schema>.<table>").
        static qint64 lockKeyFor(const QString &database, const QString &schema, const QString &table);

        QString format() const override { return QStringLiteral("dbops"); }
        bool supportsResume() const override { return true; }
        bool supportsRepeatables() const override { return true; }
        void create(PgConnection &conn, CancelToken *token) override;
        QList<HistoryRow> read(PgConnection &conn, CancelToken *token) override;
        void fetchAppliedSql(PgConnection &conn, QList<HistoryRow *> &rows, CancelToken *token) override;
        qint64 lockKey(PgConnection &conn, CancelToken *token) override;
        QByteArray checksum(const MigrationScript &script) const override;

        QList<PipelineStep> recordApplied(const ApplyRecord &record) override;
        void recordStarted(PgConnection &conn, const ApplyRecord &record, CancelToken *token) override;
        void recordProgress(PgConnection &conn, const ApplyRecord &record, int done, CancelToken *token) override;
        void recordFinished(PgConnection &conn, const ApplyRecord &record, qint64 executionMs, CancelToken *token) override;
        void recordFailed(PgConnection &conn, const ApplyRecord &record, int done, const QString &error, CancelToken *token) override;
        QList<PipelineStep> recordUndo(const Migration &migration, const QString &previousVersion) override;
        QList<PipelineStep> recordBaseline(const Version &version, const QString &description) override;

        QList<PipelineStep> realignChecksum(const HistoryRow &row, const QByteArray &checksum) override;
        QList<PipelineStep> removeFailed(const HistoryRow &row) override;
        QList<PipelineStep> markResumable(const HistoryRow &row) override;
        QList<PipelineStep> clearDirty(const HistoryRow &row, bool effectsComplete, const QString &previousVersion) override;
        QList<PipelineStep> markMissing(const HistoryRow &row) override;
        bool canRerun() const override { return true; }
        QList<PipelineStep> recordMarkedApplied(const ApplyRecord &record, const QString &reason) override;
        bool notesMarkedApplied() const override { return true; }
        /// The dbops_version of a row written by repair --mark-applied ends with this.
        static QString markedByHandSuffix();
        QList<PipelineStep> markRerun(const HistoryRow &row, const QString &reason) override;
        QList<PipelineStep> recordRepair(const QString &summary) override;

    private:
        int m_hasNote = -1; ///< whether the table has adopt's `note` column; -1 until read() asks
    };

    /// Quotes an identifier the way PQescapeIdentifier does ("a""b"), for names that are ours.
    QString quoteIdentifier(const QString &name);
}
