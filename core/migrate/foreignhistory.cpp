#include "core/migrate/foreignhistory.h"

#include "core/migrate/checksum.h"
#include "core/migrate/dbopshistory.h"
#include "core/migrate/toolkeys.h"
#include "core/sql/sqlresource.h"

#include <QCryptographicHash>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QString currentDatabase(PgConnection &conn, CancelToken *token)
        {
            return conn.exec(sqlResource(u"migrate/current_database"), {}, token).value(0, 0).toString();
        }

        /// A history statement of core/migrate/sql with ${table}, the quoted, qualified history table.
        QString historySql(QStringView name, const QString &table)
        {
            return sqlResource(name, {{u"table", table}});
        }

        QDateTime utc(const QVariant &v)
        {
            return QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
        }

        /// A version that a tool storing bigint versions can keep; BadInput otherwise.
        QString integerVersion(const Version &v, const QString &format)
        {
            bool ok = false;
            const qlonglong n = v.text().toLongLong(&ok);
            if (!ok)
                throw Exception(ErrorCode::BadInput,
                                u"version '%1' is not an integer, but the %2 history stores versions as bigint"_s.arg(v.text(), format));
            return QString::number(n);
        }

        const QString kUtc = u"'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'"_s;
    }

    QString versionFromKey(const QString &key)
    {
        const QString name = key.endsWith(u".sql"_s, Qt::CaseInsensitive) ? key : key + u".sql"_s;
        if (auto parsed = parseMigrationFileName(name); parsed && !parsed->version.isEmpty())
            return parsed->version;
        return key;
    }

    QString humanDescription(const Migration &m)
    {
        // Only the comment block before the first statement; tool directives are not descriptions.
        static const QRegularExpression directive(u"^(dbops:|no-transaction\\b|\\+migrate\\b|migrate:|\\+goose\\b)"_s,
                                                  QRegularExpression::CaseInsensitiveOption);
        static const QRegularExpression tagged(u"^description\\s*:\\s*(.*)$"_s, QRegularExpression::CaseInsensitiveOption);
        QString first;
        for (const QString &raw : m.up.sql.split(u'\n'))
        {
            const QString line = raw.trimmed();
            if (line.isEmpty())
                continue;
            if (!line.startsWith(u"--"_s))
                break;
            const QString text = line.mid(2).trimmed();
            if (text.isEmpty() || directive.match(text).hasMatch())
                continue;
            if (const auto t = tagged.match(text); t.hasMatch())
            {
                if (!t.captured(1).trimmed().isEmpty())
                    return t.captured(1).trimmed();
                continue;
            }
            if (first.isEmpty())
                first = text;
        }
        return first.isEmpty() ? m.description : first;
    }

    // ---- sqlx ----------------------------------------------------------------------------------

    SqlxHistory::SqlxHistory(const QString &table)
        : TableHistory(table, u"_sqlx_migrations"_s)
    {
    }

    void SqlxHistory::create(PgConnection &conn, CancelToken *token)
    {
        // sqlx's own DDL (sqlx-postgres migrate.rs).
        conn.exec(historySql(u"migrate/sqlx_create", m_table.quoted), {}, token);
    }

    QList<HistoryRow> SqlxHistory::read(PgConnection &conn, CancelToken *token)
    {
        const QueryResult r = conn.exec(historySql(u"migrate/sqlx_read", m_table.quoted), {}, token);
        QList<HistoryRow> rows;
        for (int i = 0; i < r.rowCount(); ++i)
        {
            HistoryRow row;
            row.rank = i + 1;
            row.version = r.value(i, 0).toString();
            row.description = r.value(i, 1).toString();
            row.installedOn = utc(r.value(i, 2));
            row.success = r.value(i, 3).toBool();
            row.dirty = !row.success;
            row.checksum = r.value(i, 4).toByteArray();
            row.executionMs = r.value(i, 5).toLongLong() / 1000000;
            row.appliedSql = QString(); // sqlx keeps no SQL
            rows << row;
        }
        return rows;
    }

    qint64 SqlxHistory::lockKey(PgConnection &conn, CancelToken *token)
    {
        return sqlxLockKey(currentDatabase(conn, token));
    }

    QByteArray SqlxHistory::checksum(const MigrationScript &script) const
    {
        return QCryptographicHash::hash(script.bytes, QCryptographicHash::Sha384);
    }

    QList<PipelineStep> SqlxHistory::recordApplied(const ApplyRecord &record)
    {
        const Migration &m = *record.migration;
        if (m.isRepeatable())
            throw Exception(ErrorCode::BadInput, u"sqlx has no repeatable migrations: "_s + m.up.fileName);
        return {{historySql(u"migrate/sqlx_insert_applied", m_table.quoted),
                 {integerVersion(m.version, format()), m.description, checksum(m.up)}}};
    }

    void SqlxHistory::recordStarted(PgConnection &conn, const ApplyRecord &record, CancelToken *token)
    {
        // As sqlx does for no-transaction migrations: a success=false row first, updated at the end.
        const Migration &m = *record.migration;
        conn.exec(historySql(u"migrate/sqlx_insert_started", m_table.quoted),
                  {integerVersion(m.version, format()), m.description, checksum(m.up)}, token);
    }

    void SqlxHistory::recordFinished(PgConnection &conn, const ApplyRecord &record, qint64 executionMs, CancelToken *token)
    {
        conn.exec(historySql(u"migrate/sqlx_finished", m_table.quoted),
                  {integerVersion(record.migration->version, format()), executionMs * 1000000}, token);
    }

    QList<PipelineStep> SqlxHistory::recordUndo(const Migration &m, const QString &)
    {
        return {{historySql(u"migrate/sqlx_delete", m_table.quoted), {integerVersion(m.version, format())}}};
    }

    QList<PipelineStep> SqlxHistory::recordBaseline(const Version &, const QString &)
    {
        throw Exception(ErrorCode::BadInput, u"sqlx has no baseline: it expects a row for every migration. Use 'dbops adopt' "
                                             u"to move this database to the dbops history, then baseline there."_s);
    }

    QList<PipelineStep> SqlxHistory::realignChecksum(const HistoryRow &row, const QByteArray &sum)
    {
        return {{historySql(u"migrate/sqlx_realign", m_table.quoted), {row.version, sum}}};
    }

    QList<PipelineStep> SqlxHistory::removeFailed(const HistoryRow &row)
    {
        return {{historySql(u"migrate/sqlx_remove_failed", m_table.quoted), {row.version}}};
    }

    QList<PipelineStep> SqlxHistory::markResumable(const HistoryRow &)
    {
        throw Exception(ErrorCode::BadInput, u"the sqlx history cannot resume a migration part-way"_s);
    }

    QList<PipelineStep> SqlxHistory::clearDirty(const HistoryRow &row, bool effectsComplete, const QString &)
    {
        if (effectsComplete)
            return {{historySql(u"migrate/sqlx_complete", m_table.quoted), {row.version}}};
        return removeFailed(row);
    }

    QList<PipelineStep> SqlxHistory::markMissing(const HistoryRow &)
    {
        throw Exception(ErrorCode::BadInput, u"the sqlx history has no way to mark a deleted file; restore the file"_s);
    }

    // ---- Flyway --------------------------------------------------------------------------------

    FlywayHistory::FlywayHistory(const QString &table)
        : TableHistory(table, u"flyway_schema_history"_s)
    {
    }

    void FlywayHistory::create(PgConnection &conn, CancelToken *token)
    {
        // Flyway's PostgreSQL createMetaDataTable.sql.
        conn.exec(
            sqlResource(u"migrate/flyway_create", {{u"table", m_table.quoted}, {u"primary_key", quoteIdentifier(m_table.name + u"_pk"_s)}}),
            {}, token);
    }

    QList<HistoryRow> FlywayHistory::read(PgConnection &conn, CancelToken *token)
    {
        const QueryResult r = conn.exec(historySql(u"migrate/flyway_read", m_table.quoted), {}, token);
        QList<HistoryRow> rows;
        for (int i = 0; i < r.rowCount(); ++i)
        {
            HistoryRow row;
            row.rank = r.value(i, 0).toLongLong();
            row.version = r.value(i, 1).toString();
            row.description = r.value(i, 2).toString();
            const QString type = r.value(i, 3).toString();
            row.script = r.value(i, 4).toString();
            row.checksum = r.value(i, 5).isValid() ? QByteArray::number(r.value(i, 5).toLongLong()) : QByteArray();
            row.installedBy = r.value(i, 6).toString();
            row.installedOn = utc(r.value(i, 7));
            row.executionMs = r.value(i, 8).toLongLong();
            row.success = r.value(i, 9).toBool();
            if (type == u"BASELINE"_s || type == u"SQL_BASELINE"_s)
                row.type = HistoryRow::Type::Baseline;
            else if (type == u"DELETE"_s)
                row.type = HistoryRow::Type::Deleted;
            else if (type == u"UNDO_SQL"_s || type == u"UNDO_JDBC"_s || type == u"UNDO_SCRIPT"_s)
                row.type = HistoryRow::Type::Undo;
            else if (type == u"SCHEMA"_s)
                row.type = HistoryRow::Type::Other;
            else if (row.version.isEmpty())
                row.type = HistoryRow::Type::Repeatable;
            rows << row;
        }
        return rows;
    }

    qint64 FlywayHistory::lockKey(PgConnection &, CancelToken *)
    {
        return flywayLockKey(m_table.schema, m_table.name);
    }

    QByteArray FlywayHistory::checksum(const MigrationScript &script) const
    {
        return QByteArray::number(flywayChecksum(script.bytes));
    }

    QList<PipelineStep> FlywayHistory::insertRow(const QString &type, const QVariant &version, const QString &description,
                                                 const QString &script, const QVariant &checksum, bool success, bool timed)
    {
        return {{historySql(u"migrate/flyway_insert", m_table.quoted), {version, description, type, script, checksum, success, timed}}};
    }

    namespace
    {
        /// Flyway writes versions with dots: V1_1__x.sql is version 1.1.
        QVariant flywayVersion(const Migration &m)
        {
            return m.isRepeatable() ? QVariant() : QVariant(QString(m.version.text()).replace(u'_', u'.'));
        }
    }

    QList<PipelineStep> FlywayHistory::recordApplied(const ApplyRecord &record)
    {
        const Migration &m = *record.migration;
        return insertRow(u"SQL"_s, flywayVersion(m), m.description, m.up.fileName, QString::fromLatin1(checksum(m.up)), true, true);
    }

    void FlywayHistory::recordStarted(PgConnection &conn, const ApplyRecord &record, CancelToken *token)
    {
        const Migration &m = *record.migration;
        for (const PipelineStep &s :
             insertRow(u"SQL"_s, flywayVersion(m), m.description, m.up.fileName, QString::fromLatin1(checksum(m.up)), false, false))
            conn.exec(s.sql, s.params, token);
    }

    void FlywayHistory::recordFinished(PgConnection &conn, const ApplyRecord &record, qint64 executionMs, CancelToken *token)
    {
        conn.exec(historySql(u"migrate/flyway_finished", m_table.quoted), {flywayVersion(*record.migration), executionMs}, token);
    }

    QList<PipelineStep> FlywayHistory::recordUndo(const Migration &m, const QString &)
    {
        return insertRow(u"UNDO_SQL"_s, flywayVersion(m), m.description, m.down->fileName, QString::fromLatin1(checksum(*m.down)), true,
                         true);
    }

    QList<PipelineStep> FlywayHistory::recordBaseline(const Version &version, const QString &)
    {
        return insertRow(u"BASELINE"_s, QString(version.text()).replace(u'_', u'.'), u"<< Flyway Baseline >>"_s, u"<< Flyway Baseline >>"_s,
                         QVariant(), true, false);
    }

    QList<PipelineStep> FlywayHistory::realignChecksum(const HistoryRow &row, const QByteArray &sum)
    {
        return {{historySql(u"migrate/flyway_realign", m_table.quoted), {row.rank, QString::fromLatin1(sum)}}};
    }

    QList<PipelineStep> FlywayHistory::removeFailed(const HistoryRow &row)
    {
        return {{historySql(u"migrate/flyway_remove_failed", m_table.quoted), {row.rank}}};
    }

    QList<PipelineStep> FlywayHistory::markResumable(const HistoryRow &)
    {
        throw Exception(ErrorCode::BadInput, u"the Flyway history cannot resume a migration part-way"_s);
    }

    QList<PipelineStep> FlywayHistory::clearDirty(const HistoryRow &row, bool effectsComplete, const QString &)
    {
        if (effectsComplete)
            return {{historySql(u"migrate/flyway_complete", m_table.quoted), {row.rank}}};
        return removeFailed(row);
    }

    QList<PipelineStep> FlywayHistory::markMissing(const HistoryRow &row)
    {
        return insertRow(u"DELETE"_s, row.version, row.description, row.script, QVariant(), true, false);
    }

    // ---- golang-migrate ------------------------------------------------------------------------

    GolangMigrateHistory::GolangMigrateHistory(const QString &table)
        : TableHistory(table, u"schema_migrations"_s)
    {
    }

    void GolangMigrateHistory::create(PgConnection &conn, CancelToken *token)
    {
        conn.exec(historySql(u"migrate/golang_migrate_create", m_table.quoted), {}, token);
    }

    QList<HistoryRow> GolangMigrateHistory::read(PgConnection &conn, CancelToken *token)
    {
        const QueryResult r = conn.exec(historySql(u"migrate/golang_migrate_read", m_table.quoted), {}, token);
        QList<HistoryRow> rows;
        if (r.isEmpty())
            return rows;
        HistoryRow row;
        row.rank = 1;
        row.type = HistoryRow::Type::UpTo;
        row.version = r.value(0, 0).toString();
        row.dirty = r.value(0, 1).toBool();
        row.success = !row.dirty;
        rows << row;
        return rows;
    }

    qint64 GolangMigrateHistory::lockKey(PgConnection &conn, CancelToken *token)
    {
        return golangMigrateLockKey(m_table.schema, m_table.name, currentDatabase(conn, token));
    }

    QList<PipelineStep> GolangMigrateHistory::setVersion(const QString &version, bool dirty) const
    {
        QList<PipelineStep> steps{{historySql(u"migrate/golang_migrate_clear", m_table.quoted), {}}};
        if (!version.isEmpty())
            steps.append({historySql(u"migrate/golang_migrate_set", m_table.quoted),
                          {integerVersion(Version(version), u"golang-migrate"_s), dirty}});
        return steps;
    }

    QList<PipelineStep> GolangMigrateHistory::recordApplied(const ApplyRecord &record)
    {
        if (record.migration->isRepeatable())
            throw Exception(ErrorCode::BadInput, u"golang-migrate has no repeatable migrations: "_s + record.migration->up.fileName);
        return setVersion(record.migration->version.text(), false);
    }

    void GolangMigrateHistory::recordStarted(PgConnection &conn, const ApplyRecord &record, CancelToken *token)
    {
        // As golang-migrate does: dirty while it runs, clean when done.
        for (const PipelineStep &s : setVersion(record.migration->version.text(), true))
            conn.exec(s.sql, s.params, token);
    }

    void GolangMigrateHistory::recordFinished(PgConnection &conn, const ApplyRecord &, qint64, CancelToken *token)
    {
        conn.exec(historySql(u"migrate/golang_migrate_finished", m_table.quoted), {}, token);
    }

    QList<PipelineStep> GolangMigrateHistory::recordUndo(const Migration &, const QString &previousVersion)
    {
        return setVersion(previousVersion, false);
    }

    QList<PipelineStep> GolangMigrateHistory::recordBaseline(const Version &version, const QString &)
    {
        return setVersion(version.text(), false); // golang-migrate's "force V"
    }

    QList<PipelineStep> GolangMigrateHistory::removeFailed(const HistoryRow &row)
    {
        return clearDirty(row, false, {});
    }

    QList<PipelineStep> GolangMigrateHistory::markResumable(const HistoryRow &)
    {
        throw Exception(ErrorCode::BadInput, u"the golang-migrate history cannot resume a migration part-way"_s);
    }

    QList<PipelineStep> GolangMigrateHistory::clearDirty(const HistoryRow &row, bool effectsComplete, const QString &previousVersion)
    {
        return effectsComplete ? setVersion(row.version, false) : setVersion(previousVersion, false);
    }

    QList<PipelineStep> GolangMigrateHistory::markMissing(const HistoryRow &)
    {
        throw Exception(ErrorCode::BadInput, u"the golang-migrate history has no way to mark a deleted file; restore the file"_s);
    }

    // ---- plain ---------------------------------------------------------------------------------

    PlainHistory::PlainHistory(const QString &table, Columns columns)
        : TableHistory(table, u"schema_migrations"_s)
        , m_columns(std::move(columns))
    {
        if (m_columns.key.isEmpty())
            m_columns.key = u"name"_s;
        // An empty table has no rows to copy the style from: its key column says what its tool
        // writes. "version" holds versions; "id" (seed 004's wpp_sync_migrations: id
        // '2026-02-03-001-add-bot-id-column' beside a human description) the file name without
        // its extension; "name", "filename" and "migration" (seed 001) the file name.
        // seed 002's Go migrator keeps `version` "001_create_initial_tables" beside its checksum.
        if (m_columns.key == u"version"_s)
            m_style = m_columns.checksum.isEmpty() ? Style::Version : Style::BaseName;
        else if (m_columns.key == u"id"_s)
            m_style = Style::BaseName;
    }

    void PlainHistory::create(PgConnection &conn, CancelToken *token)
    {
        conn.exec(sqlResource(u"migrate/plain_create", {{u"table", m_table.quoted}, {u"key", quoteIdentifier(m_columns.key)}}), {}, token);
    }

    QList<HistoryRow> PlainHistory::read(PgConnection &conn, CancelToken *token)
    {
        QString sql = u"SELECT "_s + quoteIdentifier(m_columns.key) + u"::text";
        sql += m_columns.description.isEmpty() ? u", NULL"_s : u", "_s + quoteIdentifier(m_columns.description) + u"::text"_s;
        sql += m_columns.appliedAt.isEmpty() ? u", NULL"_s : u", to_char("_s + quoteIdentifier(m_columns.appliedAt) + u", "_s + kUtc + u')';
        sql += m_columns.checksum.isEmpty() ? u", NULL"_s : u", "_s + quoteIdentifier(m_columns.checksum) + u"::text"_s;
        sql += u" FROM "_s + m_table.quoted + u" ORDER BY "_s
               + (m_columns.appliedAt.isEmpty() ? u"ctid"_s : quoteIdentifier(m_columns.appliedAt) + u", ctid"_s);
        const QueryResult r = conn.exec(sql, {}, token);
        QList<HistoryRow> rows;
        bool anyFileName = false, anyBare = false;
        for (int i = 0; i < r.rowCount(); ++i)
        {
            HistoryRow row;
            row.rank = i + 1;
            row.script = r.value(i, 0).toString();
            row.version = versionFromKey(row.script);
            row.description = r.value(i, 1).isValid() ? r.value(i, 1).toString() : QString();
            row.installedOn = utc(r.value(i, 2));
            row.checksum = r.value(i, 3).toString().trimmed().toLower().toUtf8(); // the tool's text, until interpret() reads it
            rows << row;
            if (row.script.endsWith(u".sql"_s, Qt::CaseInsensitive))
                anyFileName = true;
            else if (row.script != row.version)
                anyBare = true;
        }
        // New rows follow the existing style (an empty table keeps the one its columns gave).
        if (anyFileName)
            m_style = Style::FileName;
        else if (anyBare)
            m_style = Style::BaseName;
        else if (!rows.isEmpty())
            m_style = Style::Version;
        return rows;
    }

    qint64 PlainHistory::lockKey(PgConnection &conn, CancelToken *token)
    {
        // Hand-made migrators take no known lock; dbops instances still exclude each other.
        return DbopsHistory::lockKeyFor(currentDatabase(conn, token), m_table.schema, m_table.name);
    }

    QByteArray PlainHistory::checksumWith(ChecksumAlgorithm algorithm, const QByteArray &bytes)
    {
        switch (algorithm)
        {
        case ChecksumAlgorithm::None:
            return {};
        case ChecksumAlgorithm::Sha256Hex:
            return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
        case ChecksumAlgorithm::Md5Hex:
            return QCryptographicHash::hash(bytes, QCryptographicHash::Md5).toHex();
        case ChecksumAlgorithm::Crc32Hex:
            return QByteArray::number(crc32(bytes), 16).rightJustified(8, '0');
        case ChecksumAlgorithm::Crc32Decimal:
            return QByteArray::number(crc32(bytes));
        }
        return {};
    }

    QByteArray PlainHistory::checksum(const MigrationScript &script) const
    {
        return checksumWith(m_algorithm, script.bytes);
    }

    QStringList PlainHistory::interpret(const MigrationSet &set, QList<HistoryRow> &rows)
    {
        QStringList warnings;
        const QString table = m_table.schema + u'.' + m_table.name;
        if (!m_columns.ignored.isEmpty())
            warnings << u"the plain history %1: column(s) %2 not interpreted by dbops (shown nowhere, not validated)"_s.arg(
                table, m_columns.ignored.join(u", "_s));
        m_algorithm = ChecksumAlgorithm::None;
        if (m_columns.checksum.isEmpty())
            return warnings;
        struct Candidate
        {
            ChecksumAlgorithm algorithm;
            const char *name;
            QStringList explained;
        };
        QList<Candidate> candidates{{ChecksumAlgorithm::Sha256Hex, "SHA-256 (hex)", {}},
                                    {ChecksumAlgorithm::Md5Hex, "MD5 (hex)", {}},
                                    {ChecksumAlgorithm::Crc32Hex, "CRC-32 (hex)", {}},
                                    {ChecksumAlgorithm::Crc32Decimal, "CRC-32 (decimal)", {}}};
        QStringList tried; // versions with both a stored checksum and a file
        for (const HistoryRow &row : rows)
        {
            if (row.checksum.isEmpty())
                continue;
            const Migration *m = set.find(Version(row.version));
            if (!m)
                continue;
            tried << row.version;
            for (Candidate &c : candidates)
            {
                const auto hash = [&](const QByteArray &b) { return checksumWith(c.algorithm, b); };
                // A file converted to CRLF (or given a BOM) since still tells the algorithm.
                const MismatchKind kind = classifyMismatch(m->up.bytes, row.checksum, hash, QString());
                if (kind == MismatchKind::None || kind == MismatchKind::LineEndings || kind == MismatchKind::Bom)
                    c.explained << row.version;
            }
        }
        const QString column = u"checksum column %1 of the plain history %2"_s.arg(m_columns.checksum, table);
        if (tried.isEmpty())
        {
            warnings << column + u" ignored: no row has both a checksum and a file to tell its algorithm by"_s;
            return warnings;
        }
        const Candidate *best = nullptr;
        for (const Candidate &c : candidates)
            if (!best || c.explained.size() > best->explained.size())
                best = &c;
        // A hash of the file bytes cannot match by accident: one that explains every row, or at
        // least two rows and a majority, is the tool's algorithm, and the rows it does not explain
        // had their files changed since (reported as mismatches). Fewer is not enough to trust.
        const qsizetype n = best->explained.size();
        if (n == tried.size() || (n >= 2 && 2 * n > tried.size()))
        {
            m_algorithm = best->algorithm;
            warnings << column
                            + u" read as %1 of the file bytes (it matches %2 of %3 row(s) with a file): files are validated against it"_s
                                  .arg(QString::fromLatin1(best->name))
                                  .arg(n)
                                  .arg(tried.size());
            return warnings;
        }
        for (HistoryRow &row : rows)
            row.checksum.clear();
        if (best->explained.isEmpty())
            warnings << column
                            + u" ignored: its algorithm is unknown (SHA-256, MD5 and CRC-32 of the file bytes match none of its %1 row(s) "
                              u"with a file); no file is validated against it"_s.arg(tried.size());
        else
        {
            QStringList unexplained;
            for (const QString &v : tried)
                if (!best->explained.contains(v))
                    unexplained << v;
            warnings << column
                            + u" ignored: %1 of the file bytes matches %2 of %3 row(s), but %4 match(es) no known algorithm (the file may "
                              u"have changed since it ran, or the tool hashes something else); no file is validated against it"_s
                                  .arg(QString::fromLatin1(best->name))
                                  .arg(best->explained.size())
                                  .arg(tried.size())
                                  .arg(unexplained.join(u", "_s));
        }
        return warnings;
    }

    QString PlainHistory::keyFor(const Migration &m) const
    {
        switch (m_style)
        {
        case Style::FileName:
            return m.up.fileName;
        case Style::BaseName:
            return m.up.fileName.left(m.up.fileName.size() - 4);
        case Style::Version:
            return m.version.text();
        }
        return m.up.fileName;
    }

    QList<PipelineStep> PlainHistory::recordApplied(const ApplyRecord &record)
    {
        const Migration &m = *record.migration;
        QStringList columns{quoteIdentifier(m_columns.key)};
        QVariantList values{keyFor(m)};
        if (!m_columns.description.isEmpty())
        {
            columns << quoteIdentifier(m_columns.description);
            values << humanDescription(m);
        }
        if (!m_columns.checksum.isEmpty() && m_algorithm != ChecksumAlgorithm::None)
        {
            // As its tool writes it, so the tool (and dbops) can validate the row later.
            columns << quoteIdentifier(m_columns.checksum);
            values << QString::fromLatin1(checksum(m.up));
        }
        QStringList placeholders;
        for (int i = 1; i <= values.size(); ++i)
            placeholders << u'$' + QString::number(i);
        return {{u"INSERT INTO "_s + m_table.quoted + u" ("_s + columns.join(u", "_s) + u") VALUES ("_s + placeholders.join(u", "_s) + u')',
                 values}};
    }

    void PlainHistory::recordFinished(PgConnection &conn, const ApplyRecord &record, qint64, CancelToken *token)
    {
        // No way to say "in progress": the row is written once the migration has fully run.
        for (const PipelineStep &s : recordApplied(record))
            conn.exec(s.sql, s.params, token);
    }

    QList<PipelineStep> PlainHistory::recordUndo(const Migration &m, const QString &)
    {
        return {
            {sqlResource(u"migrate/plain_delete", {{u"table", m_table.quoted}, {u"key", quoteIdentifier(m_columns.key)}}), {keyFor(m)}}};
    }

    QList<PipelineStep> PlainHistory::recordBaseline(const Version &, const QString &)
    {
        throw Exception(ErrorCode::BadInput, u"a plain history has no baseline; use 'dbops adopt' to move to the dbops history"_s);
    }

    QList<PipelineStep> PlainHistory::removeFailed(const HistoryRow &)
    {
        return {};
    }

    QList<PipelineStep> PlainHistory::markResumable(const HistoryRow &)
    {
        throw Exception(ErrorCode::BadInput, u"a plain history cannot resume a migration part-way"_s);
    }

    QList<PipelineStep> PlainHistory::clearDirty(const HistoryRow &, bool, const QString &)
    {
        return {};
    }

    QList<PipelineStep> PlainHistory::markMissing(const HistoryRow &)
    {
        throw Exception(ErrorCode::BadInput, u"a plain history has no way to mark a deleted file; restore the file"_s);
    }

    // ---- node-pg-migrate -----------------------------------------------------------------------

    NodePgMigrateHistory::NodePgMigrateHistory(const QString &table)
        : TableHistory(table, u"pgmigrations"_s)
    {
    }

    void NodePgMigrateHistory::create(PgConnection &, CancelToken *)
    {
        readOnly();
    }

    QList<HistoryRow> NodePgMigrateHistory::read(PgConnection &conn, CancelToken *token)
    {
        const QueryResult r = conn.exec(historySql(u"migrate/node_pg_migrate_read", m_table.quoted), {}, token);
        QList<HistoryRow> rows;
        for (int i = 0; i < r.rowCount(); ++i)
        {
            HistoryRow row;
            row.rank = i + 1;
            row.script = r.value(i, 0).toString();
            row.version = versionFromKey(row.script);
            row.installedOn = utc(r.value(i, 1));
            rows << row;
        }
        return rows;
    }

    qint64 NodePgMigrateHistory::lockKey(PgConnection &, CancelToken *)
    {
        return kLockKey;
    }

    QList<PipelineStep> NodePgMigrateHistory::readOnly()
    {
        throw Exception(ErrorCode::BadInput, u"the node-pg-migrate history is read-only for dbops: migrate it with node-pg-migrate, "
                                             u"or move it to the dbops history with 'dbops adopt'"_s);
    }
}
