#include "core/migrate/dbopshistory.h"

#include "core/migrate/checksum.h"
#include "core/sql/sqlresource.h"
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

    namespace
    {
        /// A history statement of core/migrate/sql with ${table}, the quoted, qualified history table.
        QString historySql(QStringView name, const QString &table)
        {
            return sqlResource(name, {{u"table", table}});
        }
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
        if (!conn.exec(sqlResource(u"migrate/schema_exists"), {m_table.schema}, token).value(0, 0).toBool())
            execNamed(conn, sqlResource(u"migrate/dbops_history_create_schema", {{u"schema", quoteIdentifier(m_table.schema)}}), token);
        execNamed(conn, historySql(u"migrate/dbops_history_create", m_table.quoted), token);
        execNamed(conn,
                  sqlResource(u"migrate/dbops_history_create_index",
                              {{u"index", quoteIdentifier(m_table.name + u"_version_idx"_s)}, {u"table", m_table.quoted}}),
                  token);
    }

    QList<HistoryRow> DbopsHistory::read(PgConnection &conn, CancelToken *token)
    {
        // `note` is added by adopt (tables made before it lack the column); asked once per adapter.
        if (m_hasNote < 0)
            m_hasNote = conn.exec(sqlResource(u"migrate/dbops_history_has_note"), {m_table.quoted}, token).value(0, 0).toBool();
        const QueryResult r = conn.exec(
            historySql(m_hasNote > 0 ? u"migrate/dbops_history_read" : u"migrate/dbops_history_read_without_note", m_table.quoted), {},
            token);
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
        const QueryResult r = conn.exec(historySql(u"migrate/dbops_history_applied_sql", m_table.quoted),
                                        {QVariant(u"{"_s + ranks.join(u',') + u'}')}, token);
        for (int i = 0; i < r.rowCount(); ++i)
            for (HistoryRow *row : rows)
                if (row->rank == r.value(i, 0).toLongLong() && r.value(i, 1).isValid())
                    row->appliedSql = r.value(i, 1).toString();
    }

    qint64 DbopsHistory::lockKey(PgConnection &conn, CancelToken *token)
    {
        const QString db = conn.exec(sqlResource(u"migrate/current_database"), {}, token).value(0, 0).toString();
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
        return {{historySql(u"migrate/dbops_history_insert_applied", m_table.quoted),
                 {m.isRepeatable() ? QVariant() : QVariant(m.version.text()), m.description, m.isRepeatable() ? u"REPEATABLE"_s : u"SQL"_s,
                  m.up.fileName, m.up.checksum, m.up.sql, currentOsUser(), currentHostName(), total, record.outOfOrder,
                  QStringLiteral(DBOPS_VERSION), record.approvalId.isEmpty() ? QVariant() : QVariant(record.approvalId),
                  record.backupId.isEmpty() ? QVariant() : QVariant(record.backupId)}}};
    }

    void DbopsHistory::recordStarted(PgConnection &conn, const ApplyRecord &record, CancelToken *token)
    {
        const Migration &m = *record.migration;
        if (record.resumeFrom > 0)
        {
            conn.exec(historySql(u"migrate/dbops_history_resume", m_table.quoted), {m.version.text(), m.up.checksum, m.up.sql}, token);
            return;
        }
        conn.exec(historySql(u"migrate/dbops_history_insert_started", m_table.quoted),
                  {m.version.text(), m.description, m.up.fileName, m.up.checksum, m.up.sql, currentOsUser(), currentHostName(),
                   int(m.up.statements.size()), record.outOfOrder, QStringLiteral(DBOPS_VERSION),
                   record.approvalId.isEmpty() ? QVariant() : QVariant(record.approvalId),
                   record.backupId.isEmpty() ? QVariant() : QVariant(record.backupId)},
                  token);
    }

    void DbopsHistory::recordProgress(PgConnection &conn, const ApplyRecord &record, int done, CancelToken *token)
    {
        conn.exec(historySql(u"migrate/dbops_history_progress", m_table.quoted), {record.migration->version.text(), done}, token);
    }

    void DbopsHistory::recordFinished(PgConnection &conn, const ApplyRecord &record, qint64 executionMs, CancelToken *token)
    {
        conn.exec(historySql(u"migrate/dbops_history_finished", m_table.quoted), {record.migration->version.text(), executionMs}, token);
    }

    void DbopsHistory::recordFailed(PgConnection &conn, const ApplyRecord &record, int done, const QString &error, CancelToken *token)
    {
        conn.exec(historySql(u"migrate/dbops_history_failed", m_table.quoted), {record.migration->version.text(), done, error}, token);
    }

    QList<PipelineStep> DbopsHistory::recordUndo(const Migration &m, const QString &)
    {
        const MigrationScript &down = *m.down;
        return {{historySql(u"migrate/dbops_history_insert_undo", m_table.quoted),
                 {m.version.text(), m.description, down.fileName, down.checksum, down.sql, currentOsUser(), currentHostName(),
                  int(down.statements.size()), QStringLiteral(DBOPS_VERSION)}}};
    }

    QList<PipelineStep> DbopsHistory::recordBaseline(const Version &version, const QString &description)
    {
        return {{historySql(u"migrate/dbops_history_insert_baseline", m_table.quoted),
                 {version.text(), description, currentOsUser(), currentHostName(), QStringLiteral(DBOPS_VERSION)}}};
    }

    QList<PipelineStep> DbopsHistory::realignChecksum(const HistoryRow &row, const QByteArray &checksum)
    {
        return {{historySql(u"migrate/dbops_history_realign", m_table.quoted), {row.rank, checksum}}};
    }

    QList<PipelineStep> DbopsHistory::removeFailed(const HistoryRow &row)
    {
        return {{historySql(u"migrate/dbops_history_remove_failed", m_table.quoted), {row.rank}}};
    }

    QList<PipelineStep> DbopsHistory::markResumable(const HistoryRow &row)
    {
        return {{historySql(u"migrate/dbops_history_mark_resumable", m_table.quoted), {row.rank}}};
    }

    QList<PipelineStep> DbopsHistory::clearDirty(const HistoryRow &row, bool effectsComplete, const QString &)
    {
        if (effectsComplete)
            return {{historySql(u"migrate/dbops_history_complete", m_table.quoted), {row.rank}}};
        return {{historySql(u"migrate/dbops_history_remove_failed", m_table.quoted), {row.rank}}};
    }

    QList<PipelineStep> DbopsHistory::markMissing(const HistoryRow &row)
    {
        return {{historySql(u"migrate/dbops_history_insert_deleted", m_table.quoted),
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
        return {{historySql(u"migrate/dbops_history_insert_marked", m_table.quoted),
                 {m.version.text(), m.description, m.up.fileName, m.up.checksum, currentOsUser(), currentHostName(),
                  int(m.up.statements.size()), record.outOfOrder, QString(QStringLiteral(DBOPS_VERSION) + markedByHandSuffix()),
                  record.approvalId.isEmpty() ? QVariant() : QVariant(record.approvalId),
                  record.backupId.isEmpty() ? QVariant() : QVariant(record.backupId)}},
                {historySql(u"migrate/dbops_history_insert_repair_for", m_table.quoted),
                 {m.version.text(), why, currentOsUser(), currentHostName(), QStringLiteral(DBOPS_VERSION)}}};
    }

    QList<PipelineStep> DbopsHistory::markRerun(const HistoryRow &row, const QString &reason)
    {
        // The row stays (what ran, when, by whom), no longer counted as applied: the next migrate
        // runs the file again from its first statement and writes a row of its own.
        return {{historySql(u"migrate/dbops_history_mark_rerun", m_table.quoted), {row.rank, reason}}};
    }

    QList<PipelineStep> DbopsHistory::recordRepair(const QString &summary)
    {
        return {{historySql(u"migrate/dbops_history_insert_repair", m_table.quoted),
                 {summary, currentOsUser(), currentHostName(), QStringLiteral(DBOPS_VERSION)}}};
    }
}
