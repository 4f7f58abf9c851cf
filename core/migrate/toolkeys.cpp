#include "core/migrate/toolkeys.h"

#include <array>

namespace dbops
{
    quint32 crc32(const QByteArray &bytes, quint32 crc)
    {
        static const std::array<quint32, 256> table = [] {
            std::array<quint32, 256> t{};
            for (quint32 i = 0; i < 256; ++i)
            {
                quint32 c = i;
                for (int k = 0; k < 8; ++k)
                    c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                t[i] = c;
            }
            return t;
        }();
        crc = ~crc;
        for (const char ch : bytes)
            crc = table[(crc ^ quint8(ch)) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    qint32 javaHashCode(const QString &text)
    {
        quint32 h = 0; // Java int arithmetic wraps; do it unsigned and reinterpret
        for (const QChar c : text)
            h = 31 * h + c.unicode();
        return qint32(h);
    }

    qint64 sqlxLockKey(const QString &database)
    {
        return qint64(0x3d32ad9e) * qint64(crc32(database.toUtf8()));
    }

    qint64 flywayLockKey(const QString &schema, const QString &table)
    {
        const QString quoted = QLatin1Char('"') + schema + QStringLiteral("\".\"") + table + QLatin1Char('"');
        return qint64(0x466C79776179LL) + qint64(javaHashCode(quoted));
    }

    qint64 golangMigrateLockKey(const QString &schema, const QString &table, const QString &database)
    {
        QByteArray name = schema.toUtf8();
        name.append('\0').append(table.toUtf8()).append('\0').append(database.toUtf8());
        return qint64(quint32(crc32(name) * quint32(1486364155u)));
    }

    qint32 flywayChecksum(const QByteArray &bytes)
    {
        QByteArray content = bytes.startsWith("\xEF\xBB\xBF") ? bytes.mid(3) : bytes;
        // Lines without terminators, concatenated: CR and LF never reach the checksum.
        content.replace('\r', QByteArray()).replace('\n', QByteArray());
        return qint32(crc32(content));
    }
}
