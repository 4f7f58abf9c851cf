#pragma once

#include "core/db/profile.h"
#include "core/error.h"

#include <QList>
#include <QString>

/// A diff side as a person names it (`--from`, `--to`, `dbops snapshot --db`):
/// - a PostgreSQL target: a profile name, a libpq URI or a keyword string;
/// - `sqlite:PATH` or a SQLite profile;
/// - `migrations:DIR[@VERSION]`: the schema the migrations say there should be, replayed into a
///   scratch database of a sandbox PostgreSQL (the shadow database);
/// - `snapshot:PATH`: a snapshot written by `dbops snapshot`.
namespace dbops::schema
{
    struct Side
    {
        enum class Kind
        {
            Postgres,
            Sqlite,
            Migrations,
            SnapshotFile,
        };
        Kind kind = Kind::Postgres;
        QString text;              ///< as given
        ConnectionProfile profile; ///< Postgres / Sqlite: the profile named, or one made from the URL
        bool fromProfile = false;  ///< the text named a saved profile
        QString path;              ///< Sqlite file, Migrations folder, snapshot file
        QString version;           ///< Migrations: stop at this version (empty: all)
        /// A password given inside the URL: for this run only, never logged, stored or put in argv.
        QString password;

        /// What reports call it: the profile's name, the URL without a password, the path.
        QString label() const;
    };

    /// Parses a side. A profile name wins over a URL of the same text. Bad input (an empty text,
    /// a missing file or folder, a URL that does not parse, `@` without a version) is BadInput
    /// naming the option and what is wrong; `option` is "--from", "--to" or "--db".
    Expected<Side> parseSide(const QString &text, const QList<ConnectionProfile> &profiles, const QString &option);
}
