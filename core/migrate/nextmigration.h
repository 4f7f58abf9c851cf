#pragma once

#include "core/error.h"

#include <QDateTime>
#include <QString>

namespace dbops
{
    /// The file the next migration of a folder gets.
    struct NextMigration
    {
        QString fileName;   ///< "0004_drift_repair.sql"
        QString path;       ///< absolute: the folder's path joined with fileName
        QString version;    ///< as in the name: "0004", "20260201120000", "1.3", "2026-02-03-002"
        QString convention; ///< "numbered", "timestamp", "flyway" or "date id", then ", reversible (.up.sql/.down.sql)" for up/down pairs
        QString why;        ///< one sentence: the convention followed, read from which file, and how the version was chosen
    };

    /// The name the next migration gets in `dir`, in that folder's own convention, read from its
    /// file names with parseMigrationFileName (migrationsource.h); the contents are not read, so a
    /// folder loadMigrations refuses still gets a name. Files of no convention and Flyway's R__
    /// files are ignored.
    /// - numbered (0001_desc.sql, 7-desc.sql, 1.2_desc.sql): the last number plus one, with the same
    ///   zero padding and separator;
    /// - timestamp (14 digits, yyyyMMddHHmmss): `nowUtc`, or one second after the newest when that is
    ///   not later (a clock behind, a file from the future);
    /// - Flyway (V3__desc.sql, V1.2__, V1_1__): the last numeric part of the version plus one;
    /// - date id (2026-02-03-001-desc.sql): today's date (UTC) and the next sequence for it, with the
    ///   same padding (001 when today has none; the newest date with its next sequence when that
    ///   date is after today);
    /// - reversible up/down pairs (<v>_<desc>.up.sql): the same, written as .up.sql.
    /// A folder with no versioned file: numbered, 0001_. Mixed conventions: that of the newest
    /// (highest version) file, and `why` says the folder mixes them. The version is always above
    /// every existing one, so the file does not exist yet.
    /// `description` is slugged: lower case ASCII (accents dropped), every run of other characters
    /// one '_', at most 60 characters, never empty ("drift_repair" when nothing is left); in a date id
    /// folder the '_' are '-' ("2026-02-03-002-drift-repair.sql"), as the reader expects there.
    /// BadInput when `dir` does not exist or is not a folder. Blocking (lists the folder); any thread.
    Expected<NextMigration> nextMigration(const QString &dir, const QString &description,
                                          const QDateTime &nowUtc = QDateTime::currentDateTimeUtc());

    /// nextMigration, then writes `sql` (UTF-8, as given) as that file through a QSaveFile. BadInput
    /// when `sql` has no text (loadMigrations would refuse the folder) or a file of that name
    /// exists (it is never overwritten: the error names it); Io when it cannot be written.
    /// Returns what was written.
    Expected<NextMigration> writeNextMigration(const QString &dir, const QString &description, const QString &sql,
                                               const QDateTime &nowUtc = QDateTime::currentDateTimeUtc());

    /// The slug nextMigration puts in the name. Exposed for tests.
    QString migrationSlug(const QString &description);
}
