#pragma once

#include "core/migrate/history.h"

namespace dbops
{
    /// sqlx: _sqlx_migrations(version bigint pk, description, installed_on, success, checksum bytea
    /// (SHA-384 of the file bytes), execution_time in ns). success=false rows are dirty.
    class SqlxHistory final : public TableHistory
    {
    public:
        explicit SqlxHistory(const QString &table = {});
        QString format() const override { return QStringLiteral("sqlx"); }
        bool canMarkMissing() const override { return false; }
        void create(PgConnection &conn, CancelToken *token) override;
        QList<HistoryRow> read(PgConnection &conn, CancelToken *token) override;
        qint64 lockKey(PgConnection &conn, CancelToken *token) override;
        QByteArray checksum(const MigrationScript &script) const override;
        QList<PipelineStep> recordApplied(const ApplyRecord &record) override;
        void recordStarted(PgConnection &conn, const ApplyRecord &record, CancelToken *token) override;
        void recordProgress(PgConnection &, const ApplyRecord &, int, CancelToken *) override {}
        void recordFinished(PgConnection &conn, const ApplyRecord &record, qint64 executionMs, CancelToken *token) override;
        void recordFailed(PgConnection &, const ApplyRecord &, int, const QString &, CancelToken *) override {}
        QList<PipelineStep> recordUndo(const Migration &migration, const QString &previousVersion) override;
        QList<PipelineStep> recordBaseline(const Version &version, const QString &description) override;
        QList<PipelineStep> realignChecksum(const HistoryRow &row, const QByteArray &checksum) override;
        QList<PipelineStep> removeFailed(const HistoryRow &row) override;
        QList<PipelineStep> markResumable(const HistoryRow &row) override;
        QList<PipelineStep> clearDirty(const HistoryRow &row, bool effectsComplete, const QString &previousVersion) override;
        QList<PipelineStep> markMissing(const HistoryRow &row) override;
        QList<PipelineStep> recordRepair(const QString &) override { return {}; }
    };

    /// Flyway: flyway_schema_history(installed_rank, version, description, type, script, checksum int
    /// (CRC-32 of the lines), installed_by, installed_on, execution_time ms, success). BASELINE,
    /// DELETE and UNDO_SQL rows mean what Flyway says; R__ repeatables re-run when they change.
    class FlywayHistory final : public TableHistory
    {
    public:
        explicit FlywayHistory(const QString &table = {});
        QString format() const override { return QStringLiteral("flyway"); }
        bool supportsRepeatables() const override { return true; }
        void create(PgConnection &conn, CancelToken *token) override;
        QList<HistoryRow> read(PgConnection &conn, CancelToken *token) override;
        qint64 lockKey(PgConnection &conn, CancelToken *token) override;
        QByteArray checksum(const MigrationScript &script) const override;
        QList<PipelineStep> recordApplied(const ApplyRecord &record) override;
        void recordStarted(PgConnection &conn, const ApplyRecord &record, CancelToken *token) override;
        void recordProgress(PgConnection &, const ApplyRecord &, int, CancelToken *) override {}
        void recordFinished(PgConnection &conn, const ApplyRecord &record, qint64 executionMs, CancelToken *token) override;
        void recordFailed(PgConnection &, const ApplyRecord &, int, const QString &, CancelToken *) override {}
        QList<PipelineStep> recordUndo(const Migration &migration, const QString &previousVersion) override;
        QList<PipelineStep> recordBaseline(const Version &version, const QString &description) override;
        QList<PipelineStep> realignChecksum(const HistoryRow &row, const QByteArray &checksum) override;
        QList<PipelineStep> removeFailed(const HistoryRow &row) override;
        QList<PipelineStep> markResumable(const HistoryRow &row) override;
        QList<PipelineStep> clearDirty(const HistoryRow &row, bool effectsComplete, const QString &previousVersion) override;
        QList<PipelineStep> markMissing(const HistoryRow &row) override;
        QList<PipelineStep> recordRepair(const QString &) override { return {}; }

    private:
        QList<PipelineStep> insertRow(const QString &type, const QVariant &version, const QString &description, const QString &script,
                                      const QVariant &checksum, bool success, bool timed);
    };

    /// golang-migrate: schema_migrations(version bigint, dirty bool), a single row and no history:
    /// versions at or below it count as applied; dirty=true is "Dirty database version N".
    class GolangMigrateHistory final : public TableHistory
    {
    public:
        explicit GolangMigrateHistory(const QString &table = {});
        QString format() const override { return QStringLiteral("golang-migrate"); }
        bool canMarkMissing() const override { return false; }
        bool keepsChecksums() const override { return false; }
        void create(PgConnection &conn, CancelToken *token) override;
        QList<HistoryRow> read(PgConnection &conn, CancelToken *token) override;
        qint64 lockKey(PgConnection &conn, CancelToken *token) override;
        QByteArray checksum(const MigrationScript &) const override { return {}; }
        QList<PipelineStep> recordApplied(const ApplyRecord &record) override;
        void recordStarted(PgConnection &conn, const ApplyRecord &record, CancelToken *token) override;
        void recordProgress(PgConnection &, const ApplyRecord &, int, CancelToken *) override {}
        void recordFinished(PgConnection &conn, const ApplyRecord &record, qint64 executionMs, CancelToken *token) override;
        void recordFailed(PgConnection &, const ApplyRecord &, int, const QString &, CancelToken *) override {}
        QList<PipelineStep> recordUndo(const Migration &migration, const QString &previousVersion) override;
        QList<PipelineStep> recordBaseline(const Version &version, const QString &description) override;
        QList<PipelineStep> realignChecksum(const HistoryRow &, const QByteArray &) override { return {}; }
        QList<PipelineStep> removeFailed(const HistoryRow &row) override;
        QList<PipelineStep> markResumable(const HistoryRow &row) override;
        QList<PipelineStep> clearDirty(const HistoryRow &row, bool effectsComplete, const QString &previousVersion) override;
        QList<PipelineStep> markMissing(const HistoryRow &row) override;
        QList<PipelineStep> recordRepair(const QString &) override { return {}; }

    private:
        QList<PipelineStep> setVersion(const QString &version, bool dirty) const;
    };

    /// A plain table of applied names, as hand-made migrators keep them: schema_migrations(name) or
    /// (version) (seed 001), or seed 004's (id, description, executed_at). Applied by name, no
    /// checksum. New rows follow the style of the existing ones (file name, bare name or version);
    /// in an empty table, the style its key column implies (`version`: the version; `id`: the file
    /// name without extension, seed 004; otherwise the file name, seed 001). A description column
    /// gets humanDescription(), not the file-derived text.
    class PlainHistory final : public TableHistory
    {
    public:
        struct Columns
        {
            QString key;         ///< name, filename, migration, version or id
            QString description; ///< optional
            QString appliedAt;   ///< optional
            QString checksum;    ///< optional: a home-grown checksum whose algorithm interpret() finds
            QStringList ignored; ///< columns dbops does not interpret (said by interpret())
        };
        /// How the checksum column was written, found by trying the files (None: not understood).
        enum class ChecksumAlgorithm
        {
            None,
            Sha256Hex,
            Md5Hex,
            Crc32Hex,
            Crc32Decimal
        };
        PlainHistory(const QString &table, Columns columns);
        QString format() const override { return QStringLiteral("plain"); }
        bool canMarkMissing() const override { return false; }
        /// Only once interpret() found the checksum column's algorithm (it matched every row).
        bool keepsChecksums() const override { return m_algorithm != ChecksumAlgorithm::None; }
        void create(PgConnection &conn, CancelToken *token) override;
        QList<HistoryRow> read(PgConnection &conn, CancelToken *token) override;
        /// Tries SHA-256, MD5 and CRC-32 of the file bytes (hex; CRC-32 also decimal; line-ending
        /// and BOM variants count) against the checksum column. One that explains every row with a
        /// file, or at least two and a majority, is used to validate (the rest are mismatches: a
        /// file hash cannot match by accident); otherwise the column is ignored and the warning
        /// says why, naming the rows no algorithm explains. Uninterpreted columns are named too.
        QStringList interpret(const MigrationSet &set, QList<HistoryRow> &rows) override;
        qint64 lockKey(PgConnection &conn, CancelToken *token) override;
        QByteArray checksum(const MigrationScript &script) const override;
        ChecksumAlgorithm checksumAlgorithm() const { return m_algorithm; }
        QList<PipelineStep> recordApplied(const ApplyRecord &record) override;
        void recordStarted(PgConnection &, const ApplyRecord &, CancelToken *) override {}
        void recordProgress(PgConnection &, const ApplyRecord &, int, CancelToken *) override {}
        void recordFinished(PgConnection &conn, const ApplyRecord &record, qint64 executionMs, CancelToken *token) override;
        void recordFailed(PgConnection &, const ApplyRecord &, int, const QString &, CancelToken *) override {}
        QList<PipelineStep> recordUndo(const Migration &migration, const QString &previousVersion) override;
        QList<PipelineStep> recordBaseline(const Version &version, const QString &description) override;
        QList<PipelineStep> realignChecksum(const HistoryRow &, const QByteArray &) override { return {}; }
        QList<PipelineStep> removeFailed(const HistoryRow &row) override;
        QList<PipelineStep> markResumable(const HistoryRow &row) override;
        QList<PipelineStep> clearDirty(const HistoryRow &row, bool effectsComplete, const QString &previousVersion) override;
        QList<PipelineStep> markMissing(const HistoryRow &row) override;
        QList<PipelineStep> recordRepair(const QString &) override { return {}; }

    private:
        QString keyFor(const Migration &m) const;
        static QByteArray checksumWith(ChecksumAlgorithm algorithm, const QByteArray &bytes);
        Columns m_columns;
        ChecksumAlgorithm m_algorithm = ChecksumAlgorithm::None;
        enum class Style
        {
            FileName,
            BaseName,
            Version
        } m_style = Style::FileName;
    };

    /// node-pg-migrate: pgmigrations(id, name, run_on). Read only: shown in the timeline.
    class NodePgMigrateHistory final : public TableHistory
    {
    public:
        explicit NodePgMigrateHistory(const QString &table = {});
        QString format() const override { return QStringLiteral("node-pg-migrate"); }
        bool keepsChecksums() const override { return false; }
        bool canWrite() const override { return false; }
        void create(PgConnection &conn, CancelToken *token) override;
        QList<HistoryRow> read(PgConnection &conn, CancelToken *token) override;
        qint64 lockKey(PgConnection &conn, CancelToken *token) override;
        QByteArray checksum(const MigrationScript &) const override { return {}; }
        QList<PipelineStep> recordApplied(const ApplyRecord &) override { return readOnly(); }
        void recordStarted(PgConnection &, const ApplyRecord &, CancelToken *) override { readOnly(); }
        void recordProgress(PgConnection &, const ApplyRecord &, int, CancelToken *) override {}
        void recordFinished(PgConnection &, const ApplyRecord &, qint64, CancelToken *) override { readOnly(); }
        void recordFailed(PgConnection &, const ApplyRecord &, int, const QString &, CancelToken *) override {}
        QList<PipelineStep> recordUndo(const Migration &, const QString &) override { return readOnly(); }
        QList<PipelineStep> recordBaseline(const Version &, const QString &) override { return readOnly(); }
        QList<PipelineStep> realignChecksum(const HistoryRow &, const QByteArray &) override { return readOnly(); }
        QList<PipelineStep> removeFailed(const HistoryRow &) override { return readOnly(); }
        QList<PipelineStep> markResumable(const HistoryRow &) override { return readOnly(); }
        QList<PipelineStep> clearDirty(const HistoryRow &, bool, const QString &) override { return readOnly(); }
        QList<PipelineStep> markMissing(const HistoryRow &) override { return readOnly(); }
        QList<PipelineStep> recordRepair(const QString &) override { return {}; }
        /// node-pg-migrate's fixed advisory lock id.
        static constexpr qint64 kLockKey = 7241865325823964LL;

    private:
        [[noreturn]] static QList<PipelineStep> readOnly();
    };

    /// The human description of a migration, for histories that keep one beside the id (seed 004's
    /// `description`: "Add bot_id column to wpp_chats table"): a leading `-- description: TEXT`
    /// comment, else the first comment line before the first statement (tool directives such as
    /// `-- dbops:no-transaction` skipped), else the description derived from the file name.
    QString humanDescription(const Migration &migration);

    /// Parses a history key (a file name, a bare name or a version) into a version text.
    QString versionFromKey(const QString &key);
}
