#pragma once

#include <QByteArray>
#include <QString>

namespace dbops
{
    /// CRC-32 (IEEE 802.3, as zlib, Java's CRC32 and Go's crc32.ChecksumIEEE compute it).
    quint32 crc32(const QByteArray &bytes, quint32 crc = 0);
    /// Java's String.hashCode() over UTF-16 code units.
    qint32 javaHashCode(const QString &text);

    /// The advisory lock keys other migration tools take, computed exactly as they do, so dbops and
    /// that tool never migrate one database at once.
    /// sqlx: 0x3d32ad9e * crc32(database name), as i64.
    qint64 sqlxLockKey(const QString &database);
    /// Flyway (PostgreSQL): 0x466C79776179 + hashCode of the quoted table name "schema"."table".
    qint64 flywayLockKey(const QString &schema, const QString &table);
    /// golang-migrate (postgres driver): uint32(crc32("schema\0table\0database") * 1486364155).
    qint64 golangMigrateLockKey(const QString &schema, const QString &table, const QString &database);

    /// Flyway's checksum of a script: CRC-32 over its lines without their terminators, a leading
    /// BOM stripped, as a signed 32-bit integer.
    qint32 flywayChecksum(const QByteArray &bytes);
}
