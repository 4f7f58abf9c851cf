#pragma once

#include <QByteArray>
#include <QString>

namespace dbops
{
    /// How a changed migration file differs from what was applied (seed 000: sqlx's
    /// VersionMismatch is usually CRLF from git on Windows).
    enum class MismatchKind
    {
        None,
        LineEndings,        ///< the file re-hashed with LF or CRLF line endings matches
        Bom,                ///< only a UTF-8 byte order mark was added or removed
        WhitespaceComments, ///< same parse tree: whitespace or comments only
        SqlChanged,         ///< the SQL itself changed
        Unknown             ///< the stored checksum matches no variant and the applied SQL is unknown
    };
    QString toString(MismatchKind kind);
    /// Whether repair may re-stamp the checksum without --accept-changed.
    bool isCosmetic(MismatchKind kind);

    QByteArray sha256(const QByteArray &bytes);

    /// Byte variants of a file used to explain a mismatch.
    QByteArray toLf(const QByteArray &bytes);
    QByteArray toCrlf(const QByteArray &bytes);
    QByteArray stripBom(const QByteArray &bytes);
    QByteArray addBom(const QByteArray &bytes);

    /// Classifies why `fileBytes` no longer matches a stored checksum. `hash` is the history
    /// format's checksum function over file bytes (SHA-256 for dbops, SHA-384 for sqlx, ...);
    /// `appliedSql` is the SQL that was applied when the history kept it (else empty).
    template <typename HashFn>
    MismatchKind classifyMismatch(const QByteArray &fileBytes, const QByteArray &storedChecksum, HashFn hash, const QString &appliedSql);
}

#include "core/migrate/checksum_impl.h"
