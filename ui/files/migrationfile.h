#pragma once

#include "core/jobs/job.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace dbops
{
    /// One file of a migrations folder, as listed by listMigrationFolder (a value crossing threads).
    struct MigrationFile
    {
        QString name;
        QString path;
        qint64 size = 0;
        QDateTime modified;
    };

    struct MigrationFolderListing
    {
        QString folder;
        bool exists = false;
        QList<MigrationFile> files; ///< the *.sql files, sorted by name
    };

    /// The text of one file; `truncated` when it was larger than the viewer's limit.
    struct MigrationFileText
    {
        QString path;
        QString text;
        qint64 size = 0;
        bool truncated = false;
    };

    /// Job bodies for the files view (worker thread; folders may hold thousands of files).
    namespace migrationfiles
    {
        /// The .sql files of `folder`, in natural order (a job body; cancellable between files).
        MigrationFolderListing list(const QString &folder, JobContext &ctx);
        /// The file as text (UTF-8, at most 8 MiB shown). A job body.
        MigrationFileText read(const QString &path, JobContext &ctx);
    }
}

Q_DECLARE_METATYPE(dbops::MigrationFolderListing)
Q_DECLARE_METATYPE(dbops::MigrationFileText)
