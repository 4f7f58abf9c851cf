#include "core/migrate/checksum.h"

#include "core/sql/sqlsplitter.h"

#include <QCryptographicHash>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString toString(MismatchKind kind)
    {
        switch (kind)
        {
        case MismatchKind::None:
            return {};
        case MismatchKind::LineEndings:
            return u"line endings only"_s;
        case MismatchKind::Bom:
            return u"byte order mark only"_s;
        case MismatchKind::WhitespaceComments:
            return u"whitespace/comments only"_s;
        case MismatchKind::SqlChanged:
            return u"SQL changed"_s;
        case MismatchKind::Unknown:
            return u"SQL changed (applied SQL unknown)"_s;
        }
        return {};
    }

    bool isCosmetic(MismatchKind kind)
    {
        return kind == MismatchKind::LineEndings || kind == MismatchKind::Bom;
    }

    QByteArray sha256(const QByteArray &bytes)
    {
        return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
    }

    QByteArray toLf(const QByteArray &bytes)
    {
        QByteArray out = bytes;
        out.replace("\r\n", "\n");
        return out;
    }

    QByteArray toCrlf(const QByteArray &bytes)
    {
        QByteArray out = toLf(bytes);
        out.replace("\n", "\r\n");
        return out;
    }

    QByteArray stripBom(const QByteArray &bytes)
    {
        return bytes.startsWith("\xEF\xBB\xBF") ? bytes.mid(3) : bytes;
    }

    QByteArray addBom(const QByteArray &bytes)
    {
        return bytes.startsWith("\xEF\xBB\xBF") ? bytes : QByteArray("\xEF\xBB\xBF") + bytes;
    }

    QByteArray normalizedDigestOf(const QString &sql)
    {
        return normalizedDigest(sql);
    }

    MismatchKind classifyBySql(const QByteArray &fileBytes, const QString &appliedSql)
    {
        if (appliedSql.isNull())
            return MismatchKind::Unknown;
        const QString fileSql = QString::fromUtf8(stripBom(fileBytes));
        if (toLf(fileSql.toUtf8()) == toLf(stripBom(appliedSql.toUtf8())))
            return MismatchKind::LineEndings;
        const QByteArray a = normalizedDigest(fileSql);
        const QByteArray b = normalizedDigest(appliedSql);
        if (!a.isEmpty() && a == b)
            return MismatchKind::WhitespaceComments;
        return MismatchKind::SqlChanged;
    }
}
