#pragma once

#include "core/backup/toollocator.h"

#include <QList>
#include <QMap>
#include <QString>

#include <functional>

namespace dbops
{
    class CancelToken;

    /// What reading an archive completely found.
    struct ArchiveContents
    {
        int tocEntries = 0;              ///< pg_restore --list entries
        QMap<QString, qint64> rowCounts; ///< data rows per "schema.table"
    };

    /// Reads and checks backup archives (custom file or directory) with pg_restore.
    namespace archive
    {
        /// One entry of an archive's table of contents (pg_restore --list).
        struct TocEntry
        {
            int id = 0;   ///< the dump id (what -L/--use-list selects); 0 when the line is not understood
            QString type; ///< "TABLE DATA", "BLOBS", "TABLE", "FUNCTION", ...
            /// The role that owns it (the line's last field; empty for entries nobody owns). A role
            /// name with a space in it reads as its last word.
            QString owner;
        };
        /// SHA-256 (hex) of a file, or of a directory archive: every file in name order, each as
        /// its relative name, a NUL, then its bytes. Throws Io / Cancelled.
        QString sha256(const QString &path, CancelToken *token, const std::function<void(qint64)> &onBytes = {});
        /// pg_restore --list, parsed by position (the type never from the names). Throws BadInput
        /// naming pg_restore's complaint.
        QList<TocEntry> toc(const PgTools &tools, const QString &path, CancelToken *token);
        /// pg_restore --list: the table of contents is readable. Returns the number of entries.
        /// Throws BadInput naming pg_restore's complaint.
        int list(const PgTools &tools, const QString &path, CancelToken *token);
        /// Verification: --list, then every data entry (TABLE DATA, BLOBS) selected by its dump id
        /// through pg_restore (each data block decompressed and read), counting each table's rows
        /// from its COPY block parsed as SQL (quoted names). Throws BadInput when unreadable or
        /// when the number of COPY blocks differs from the number of TABLE DATA entries.
        ArchiveContents readCompletely(const PgTools &tools, const QString &path, CancelToken *token,
                                       const std::function<void(qint64 bytes)> &onProgress = {});
        /// fsyncs a file or every file of a directory (and the directory itself).
        void syncToDisk(const QString &path);
        /// fsyncs one directory itself (its entries: a rename into it), not the files in it.
        void syncDirectory(const QString &path);
    }
}
