#include "core/migrate/dbopshistory.h"

#include "core/migrate/checksum.h"
#include "core/store/auditlog.h"

#include <QCryptographicHash>
#include <QtEndian>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString quoteIdentifier(const QString &name)
    {
        QString quoted = name;
        quoted.replace(u'"', u"\"\""_s);
        return u'"' + quoted + u'"';
    }

    DbopsHistory::DbopsHistory(const QString &table)
        : TableHistory(table, defaultHistoryTable())
    {
    }

    qint64 DbopsHistory::lockKeyFor(const QString &database, const QString &schema, const QString &table)
    {
        const QByteArray digest =
            QCryptographicHash::hash((u"dbops:"_s + database + u':' + schema + u'.' + table).toUtf8(), QCryptographicHash::Sha256);
        return qFromBigEndian<qint64>(digest.constData());
    }

    namespace
    {
        /// Runs one of dbops' own statements; an error names it (its first line), so a refused
        /// CREATE (42501) says which statement on which object, not only "permission denied".
        void execNamed(PgConnection &conn, const QString &sql, CancelToken *token)
        {
            try
            {
                conn.exec(sql, {}, token);
            }
            catch (const Exception &e)
            {
                Error err = e.error();
                const QString head = sql.section(u'\n', 0, 0).trimmed();
                err.context = u"creating the dbops history: "_s + head + (head.size() < sql.trimmed().size() ? u" …"_s : QString());
                throw Exception(err);
            }
        }
    }

    void DbopsHistory::create(PgConnection &conn, CancelToken *token)
    {
        // CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists
        // (PostgreSQL checks the privilege first): a role with only CREATE on schema public would be
        // refused. Create only what is missing.
        if (!conn.exec(u"SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)"_s, {m_table.schema}, token)
                 .value(0, 0)
                 .toBool())
            execNamed(conn, u"CREATE SCHEMA "_s + quoteIdentifier(m_table.schema), token);
        execNamed(conn, u"CREATE TABLE IF NOT EXISTS "_s + m_table.quoted + uR"( (
            installed_rank   bigserial PRIMARY KEY,
            version          text,
            description      text NOT NULL,
            type             text NOT NULL CHECK (type IN ('SQL', 'REPEATABLE', 'BASELINE', 'UNDO', 'REPAIR', 'DELETE')),
            script           text NOT NULL,
            checksum         bytea,
            applied_sql      text,
            installed_by     text NOT NULL DEFAULT current_user,
            os_user          text,
            client_host      text,
            installed_on     timestamptz NOT NULL DEFAULT clock_timestamp(),
            execution_ms     bigint NOT NULL DEFAULT 0,
            success          boolean NOT NULL,
            statements_done  integer,
            statements_total integer,
            resume_from      integer,
            out_of_order     boolean NOT NULL DEFAULT false,
            dbops_version    text NOT NULL,
            approval_id      text,
            backup_id        text,
            error            text
        ))"_s,
                  token);
        execNamed(conn, u"CREATE INDEX IF NOT EXISTS "_s + quoteIdentifier(m_table.name + u"_version_idx"_s) + u" ON "_s + m_table.quoted
                            + u" (version)"_s,
                  token);
    }

    QList<HistoryRow> DbopsHistory::read(PgConnection &conn, CancelToken *token)
    {
        // `note` is added by adopt (tables made before it lack the column); asked once per adapter.
        if (m_hasNote < 0)
            m_hasNote = conn.exec(u"SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'note' "
                                  u"AND NOT attisdropped)"_s,
                                  {m_table.quoted}, token)
                                .value(0, 0)
                                .toBool();
        const QueryResult r = conn.exec(
            u"SELECT installed_rank, version, description, type, script, checksum, NULL::text AS applied_sql, installed_by, os_user, "
            u"client_host, to_char(installed_on AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), execution_ms, success, statements_done, statements_total, resume_from, out_of_order, "
            u"dbops_version, approval_id, backup_id, error, "_s
                + (m_hasNote > 0 ? u"note"_s : u"NULL::text"_s) + u" FROM "_s + m_table.quoted + u" ORDER BY installed_rank"_s,
            {}, token);
        QList<HistoryRow> rows;
        rows.reserve(r.rowCount());
        for (int i = 0; i < r.rowCount(); ++i)
        {
            HistoryRow row;
            row.rank = r.value(i, 0).toLongLong();
            row.version = r.value(i, 1).toString();
            row.description = r.value(i, 2).toString();
            const QString type = r.value(i, 3).toString();
            row.type = type == u"REPEATABLE"_s ? HistoryRow::Type::Repeatable
                       : type == u"BASELINE"_s ? HistoryRow::Type::Baseline
                       : type == u"UNDO"_s     ? HistoryRow::Type::Undo
                       : type == u"REPAIR"_s   ? HistoryRow::Type::Repair
                       : type == u"DELETE"_s   ? HistoryRow::Type::Deleted
                                               : HistoryRow::Type::Migration;
            row.script = r.value(i, 4).toString();
            row.checksum = r.value(i, 5).toByteArray();
            row.appliedSql = r.value(i, 6).isValid() ? r.value(i, 6).toString() : QString();
            row.installedBy = r.value(i, 7).toString();
            row.osUser = r.value(i, 8).toString();
            row.clientHost = r.value(i, 9).toString();
            row.installedOn = QDateTime::fromString(r.value(i, 10).toString(), Qt::ISODateWithMs);
            row.executionMs = r.value(i, 11).isValid() ? r.value(i, 11).toLongLong() : -1; // NULL: unknown (adopted rows)
            row.success = r.value(i, 12).toBool();
            row.statementsDone = r.value(i, 13).isValid() ? r.value(i, 13).toInt() : -1;
            row.dirty = !row.success && row.statementsDone > 0;
            row.statementsTotal = r.value(i, 14).isValid() ? r.value(i, 14).toInt() : -1;
            row.resumeFrom = r.value(i, 15).isValid() ? r.value(i, 15).toInt() : -1;
            row.outOfOrder = r.value(i, 16).toBool();
            row.dbopsVersion = r.value(i, 17).toString();
            row.approvalId = r.value(i, 18).toString();
            row.backupId = r.value(i, 19).toString();
            row.error = r.value(i, 20).toString();
            row.note = r.value(i, 21).toString();
            row.markedByHand = row.dbopsVersion.endsWith(markedByHandSuffix());
            rows << row;
        }
        return rows;
    }

    void DbopsHistory::fetchAppliedSql(PgConnection &conn, QList<HistoryRow *> &rows, CancelToken *token)
    {
        if (rows.isEmpty())
            return;
        QStringList ranks;
        for (const HistoryRow *r : rows)
            ranks << QString::number(r->rank);
        const QueryResult r = conn.exec(u"SELECT installed_rank, applied_sql FROM "_s + m_table.quoted
                                            + u" WHERE installed_rank = ANY($1::bigint[])"_s,
                                        {QVariant(u"{"_s + ranks.join(u',') + u'}')}, token);
        for (int i = 0; i < r.rowCount(); ++i)
            for (HistoryRow *row : rows)
                if (row->rank == r.value(i, 0).toLongLong() && r.value(i, 1).isValid())
                    row->appliedSql = r.value(i, 1).toString();
    }

    qint64 DbopsHistory::lockKey(PgConnection &conn, CancelToken *token)
    {
        const QString db = conn.exec(u"SELECT current_database()"_s, {}, token).value(0, 0).toString();
        return lockKeyFor(db, m_table.schema, m_table.name);
    }

    QByteArray DbopsHistory::checksum(const MigrationScript &script) const
    {
        return script.checksum;
    }

    QList<PipelineStep> DbopsHistory::recordApplied(const ApplyRecord &record)
    {
        const Migration &m = *record.migration;
        const int total = int(m.up.statements.size());
        return {{u"INSERT INTO "_s + m_table.quoted
                     + u" (version, description, type, script, checksum, applied_sql, os_user, client_host, execution_ms, "
                       u"success, statements_done, statements_total, out_of_order, dbops_version, approval_id, backup_id) "
                       u"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                       u"(extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint, true, $9, $9, $10, $11, $12, $13)"_s,
                 {m.isRepeatable() ? QVariant() : QVariant(m.version.text()), m.description,
                  m.isRepeatable() ? u"REPEATABLE"_s : u"SQL"_s, m.up.fileName, m.up.checksum, m.up.sql, currentOsUser(),
                  currentHostName(), total, record.outOfOrder, QStringLiteral(DBOPS_VERSION),
                  record.approvalId.isEmpty() ? QVariant() : QVariant(record.approvalId),
                  record.backupId.isEmpty() ? QVariant() : QVariant(record.backupId)}}};
    }

    void DbopsHistory::recordStarted(PgConnection &conn, const ApplyRecord &record, CancelToken *token)
    {
        const Migration &m = *record.migration;
        if (record.resumeFrom > 0)
        {
            conn.exec(u"UPDATE "_s + m_table.quoted
                          + u" SET resume_from = NULL, error = NULL, checksum = $2, applied_sql = $3 WHERE installed_rank = "
                            u"(SELECT max(installed_rank) FROM "_s
                          + m_table.quoted + u" WHERE version = $1 AND type = 'SQL')"_s,
                      {m.version.text(), m.up.checksum, m.up.sql}, token);
            return;
        }
        conn.exec(u"INSERT INTO "_s + m_table.quoted
                      + u" (version, description, type, script, checksum, applied_sql, os_user, client_host, success, "
                        u"statements_done, statements_total, out_of_order, dbops_version, approval_id, backup_id) "
                        u"VALUES ($1, $2, 'SQL', $3, $4, $5, $6, $7, false, 0, $8, $9, $10, $11, $12)"_s,
                  {m.version.text(), m.description, m.up.fileName, m.up.checksum, m.up.sql, currentOsUser(), currentHostName(),
                   int(m.up.statements.size()), record.outOfOrder, QStringLiteral(DBOPS_VERSION),
                   record.approvalId.isEmpty() ? QVariant() : QVariant(record.approvalId),
                   record.backupId.isEmpty() ? QVariant() : QVariant(record.backupId)},
                  token);
    }

    namespace
    {
        QString latestRow(const QString &table)
        {
            return u" WHERE installed_rank = (SELECT max(installed_rank) FROM "_s + table + u" WHERE version = $1 AND type = 'SQL')"_s;
        }
    }

    void DbopsHistory::recordProgress(PgConnection &conn, const ApplyRecord &record, int done, CancelToken *token)
    {
        conn.exec(u"UPDATE "_s + m_table.quoted + u" SET statements_done = $2"_s + latestRow(m_table.quoted),
                  {record.migration->version.text(), done}, token);
    }

    void DbopsHistory::recordFinished(PgConnection &conn, const ApplyRecord &record, qint64 executionMs, CancelToken *token)
    {
        conn.exec(u"UPDATE "_s + m_table.quoted + u" SET success = true, statements_done = statements_total, execution_ms = $2"_s
                      + latestRow(m_table.quoted),
                  {record.migration->version.text(), executionMs}, token);
    }

    void DbopsHistory::recordFailed(PgConnection &conn, const ApplyRecord &record, int done, const QString &error,
                                    CancelToken *token)
    {
        conn.exec(u"UPDATE "_s + m_table.quoted + u" SET success = false, statements_done = $2, error = $3"_s + latestRow(m_table.quoted),
                  {record.migration->version.text(), done, error}, token);
    }

    QList<PipelineStep> DbopsHistory::recordUndo(const Migration &m, const QString &)
    {
        const MigrationScript &down = *m.down;
        return {{u"INSERT INTO "_s + m_table.quoted
                     + u" (version, description, type, script, checksum, applied_sql, os_user, client_host, execution_ms, "
                       u"success, statements_done, statements_total, dbops_version) VALUES ($1, $2, 'UNDO', $3, $4, $5, $6, $7, "
                       u"(extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint, true, $8, $8, $9)"_s,
                 {m.version.text(), m.description, down.fileName, down.checksum, down.sql, currentOsUser(), currentHostName(),
                  int(down.statements.size()), QStringLiteral(DBOPS_VERSION)}}};
    }

    QList<PipelineStep> DbopsHistory::recordBaseline(const Version &version, const QString &description)
    {
        return {{u"INSERT INTO "_s + m_table.quoted
                     + u" (version, description, type, script, os_user, client_host, success, dbops_version) "
                       u"VALUES ($1, $2, 'BASELINE', '<< Baseline >>', $3, $4, true, $5)"_s,
                 {version.text(), description, currentOsUser(), currentHostName(), QStringLiteral(DBOPS_VERSION)}}};
    }

    QList<PipelineStep> DbopsHistory::realignChecksum(const HistoryRow &row, const QByteArray &checksum)
    {
        return {{u"UPDATE "_s + m_table.quoted + u" SET checksum = $2 WHERE installed_rank = $1"_s, {row.rank, checksum}}};
    }

    QList<PipelineStep> DbopsHistory::removeFailed(const HistoryRow &row)
    {
        return {{u"DELETE FROM "_s + m_table.quoted + u" WHERE installed_rank = $1 AND NOT success"_s, {row.rank}}};
    }

    QList<PipelineStep> DbopsHistory::markResumable(const HistoryRow &row)
    {
        return {{u"UPDATE "_s + m_table.quoted + u" SET resume_from = statements_done WHERE installed_rank = $1"_s, {row.rank}}};
    }

    QList<PipelineStep> DbopsHistory::clearDirty(const HistoryRow &row, bool effectsComplete, const QString &)
    {
        if (effectsComplete)
            return {{u"UPDATE "_s + m_table.quoted + u" SET success = true, statements_done = statements_total WHERE installed_rank = $1"_s,
                     {row.rank}}};
        return {{u"DELETE FROM "_s + m_table.quoted + u" WHERE installed_rank = $1 AND NOT success"_s, {row.rank}}};
    }

    QList<PipelineStep> DbopsHistory::markMissing(const HistoryRow &row)
    {
        return {{u"INSERT INTO "_s + m_table.quoted
                     + u" (version, description, type, script, os_user, client_host, success, dbops_version) "
                       u"VALUES ($1, $2, 'DELETE', $3, $4, $5, true, $6)"_s,
                 {row.version, row.description, row.script, currentOsUser(), currentHostName(), QStringLiteral(DBOPS_VERSION)}}};
    }

    QString DbopsHistory::markedByHandSuffix()
    {
        return u", marked by hand"_s;
    }

    QList<PipelineStep> DbopsHistory::recordMarkedApplied(const ApplyRecord &record, const QString &reason)
    {
        // Never a fake "applied by dbops": no applied SQL, no duration, the version column says
        // "marked by hand", and a REPAIR row beside it says by whom (role, OS user, host), when and why.
        const Migration &m = *record.migration;
        const QString why = u"marked %1 (%2) applied by hand, without dbops running it: %3"_s.arg(m.version.text(), m.up.fileName, reason);
        return {{u"INSERT INTO "_s + m_table.quoted
                     + u" (version, description, type, script, checksum, applied_sql, os_user, client_host, execution_ms, "
                       u"success, statements_total, out_of_order, dbops_version, approval_id, backup_id) "
                       u"VALUES ($1, $2, 'SQL', $3, $4, NULL, $5, $6, 0, true, $7, $8, $9, $10, $11)"_s,
                 {m.version.text(), m.description, m.up.fileName, m.up.checksum, currentOsUser(), currentHostName(),
                  int(m.up.statements.size()), record.outOfOrder, QString(QStringLiteral(DBOPS_VERSION) + markedByHandSuffix()),
                  record.approvalId.isEmpty() ? QVariant() : QVariant(record.approvalId),
                  record.backupId.isEmpty() ? QVariant() : QVariant(record.backupId)}},
                {u"INSERT INTO "_s + m_table.quoted
                     + u" (version, description, type, script, os_user, client_host, success, dbops_version) "
                       u"VALUES ($1, $2, 'REPAIR', '<< Repair >>', $3, $4, true, $5)"_s,
                 {m.version.text(), why, currentOsUser(), currentHostName(), QStringLiteral(DBOPS_VERSION)}}};
    }

    QList<PipelineStep> DbopsHistory::markRerun(const HistoryRow &row, const QString &reason)
    {
        // The row stays (what ran, when, by whom), no longer counted as applied: the next migrate
        // runs the file again from its first statement and writes a row of its own.
        return {{u"UPDATE "_s + m_table.quoted + u" SET success = false, resume_from = 0, error = $2 WHERE installed_rank = $1"_s,
                 {row.rank, reason}}};
    }

    QList<PipelineStep> DbopsHistory::recordRepair(const QString &summary)
    {
        return {{u"INSERT INTO "_s + m_table.quoted
                     + u" (description, type, script, os_user, client_host, success, dbops_version) "
                       u"VALUES ($1, 'REPAIR', '<< Repair >>', $2, $3, true, $4)"_s,
                 {summary, currentOsUser(), currentHostName(), QStringLiteral(DBOPS_VERSION)}}};
    }
}
