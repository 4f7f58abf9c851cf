#pragma once

// Template body of classifyMismatch (included by checksum.h).

namespace dbops
{
    QByteArray normalizedDigestOf(const QString &sql);
    MismatchKind classifyBySql(const QByteArray &fileBytes, const QString &appliedSql);

    template <typename HashFn>
    MismatchKind classifyMismatch(const QByteArray &fileBytes, const QByteArray &storedChecksum, HashFn hash, const QString &appliedSql)
    {
        if (hash(fileBytes) == storedChecksum)
            return MismatchKind::None;
        for (const QByteArray &variant : {toLf(fileBytes), toCrlf(fileBytes)})
            if (variant != fileBytes && hash(variant) == storedChecksum)
                return MismatchKind::LineEndings;
        for (const QByteArray &variant : {stripBom(fileBytes), addBom(fileBytes), stripBom(toLf(fileBytes)), addBom(toLf(fileBytes)),
                                          stripBom(toCrlf(fileBytes)), addBom(toCrlf(fileBytes))})
            if (variant != fileBytes && hash(variant) == storedChecksum)
                return MismatchKind::Bom;
        return classifyBySql(fileBytes, appliedSql);
    }
}
