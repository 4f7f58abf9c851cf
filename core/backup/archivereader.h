#pragma once

#include "core/backup/toollocator.h"

#include <QMap>
#include <QString>

#include <functional>

namespace dbops
{
    class CancelToken;

    /// What reading an archive completely found.
    struct ArchiveContents
    {
        int tocEntries = 0;                ///< pg_restore --list entries
        QMap<QString, qint64> rowCounts;   ///< data rows per "schema.table"
    };

    /// Reads and checks backup archives (custom file or directory) with pg_restore.
    namespace archive
    {
        /// SHA-256 (hex) of a file, or of a directory archive: every file in name order, each as
        /// its relative name, a NUL, then its bytes. Throws Io / Cancelled.
        QString sha256(const QString &path, CancelToken *token, const std::function<void(qint64)> &onBytes = {});
        /// pg_restore --list: the table of contents is readable. Returns the number of entries.
        /// Throws BadInput naming pg_restore's complaint.
        int list(const PgTools &tools, const QString &path, CancelToken *token);
        /// Verification: --list, then the whole archive through pg_restore (every data block
        /// decompressed and read), counting each table's rows. Throws BadInput when unreadable.
        ArchiveContents readCompletely(const PgTools &tools, const QString &path, CancelToken *token,
                                       const std::function<void(qint64 bytes)> &onProgress = {});
        /// fsyncs a file or every file of a directory (and the directory itself).
        void syncToDisk(const QString &path);
    }
}
