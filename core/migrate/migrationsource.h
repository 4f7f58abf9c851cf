#pragma once

#include "core/error.h"
#include "core/migrate/version.h"
#include "core/sql/sqlsplitter.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace dbops
{
    /// One .sql file, read and parsed.
    struct MigrationScript
    {
        QString path;
        QString fileName;
        QByteArray bytes;           ///< exactly as on disk: checksums are over these
        QString sql;                ///< decoded UTF-8 (a BOM is dropped)
        QByteArray checksum;        ///< SHA-256 of bytes
        bool noTransaction = false; ///< first line "-- dbops:no-transaction" (or sqlx's "-- no-transaction")
        QList<SqlStatement> statements;
    };

    enum class MigrationKind
    {
        Versioned,
        Repeatable ///< Flyway R__: re-applied whenever its checksum changes
    };

    /// A migration: its up script and, when the project has one, its down/undo script.
    struct Migration
    {
        Version version; ///< empty for repeatables
        QString description;
        MigrationKind kind = MigrationKind::Versioned;
        QString convention; ///< "sqlx", "sqlx/golang-migrate reversible", "flyway", "date id"
        MigrationScript up;
        std::optional<MigrationScript> down;

        bool isRepeatable() const { return kind == MigrationKind::Repeatable; }
    };

    /// Every migration of a folder, versioned ones in version order, then repeatables by name.
    struct MigrationSet
    {
        QString dir;
        QList<Migration> migrations;
        QHash<QString, int> byVersion; ///< Version::normalized() -> index of a versioned migration

        /// The versioned migration with this version, or null (constant time).
        const Migration *find(const Version &version) const;
    };

    struct SourceOptions
    {
        bool parse = true; ///< split every script with the PostgreSQL parser (syntax errors are BadInput)
    };

    /// Reads a folder of migrations in any of the conventions DESIGN.md lists:
    /// `<version>_<desc>.sql`, `<version>_<desc>.up.sql` / `.down.sql`, Flyway `V<v>__<d>.sql`,
    /// `U<v>__<d>.sql`, `R__<d>.sql`, and date ids `2026-02-03-001-<desc>.sql`. Other files
    /// (README.md, ...) are ignored. Bad input is BadInput naming every offending file: a duplicate
    /// version, an unparsable name, a file that is not UTF-8, an empty file, a down file without its
    /// up, a syntax error (file:line:column). Blocking; parses on all cores.
    Expected<MigrationSet> loadMigrations(const QString &dir, const SourceOptions &options = {});

    /// Reads, decodes and parses one .sql file as loadMigrations does (the no-transaction first
    /// line, the statements); BadInput naming the file and what is wrong. Blocking.
    Expected<MigrationScript> loadScriptFile(const QString &path);

    /// Parses one file name; nullopt when it follows no convention. Exposed for tests.
    struct ParsedName
    {
        QString version;
        QString description;
        enum Role
        {
            Up,
            Down,
            Repeatable
        } role = Up;
        QString convention;
    };
    std::optional<ParsedName> parseMigrationFileName(const QString &fileName);
}
