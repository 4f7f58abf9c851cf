#pragma once

#include "core/error.h"
#include "core/schema/snapshot.h"

#include <QString>

/// Reading a SQLite side (QtSql): tables, columns, primary keys, indexes, foreign keys and views.
/// And the narrowing that makes a SQLite side and a PostgreSQL side comparable: types as families
/// (INTEGER <-> int/bigint/smallint/serial, TEXT <-> text/varchar/char/uuid/enum, REAL <->
/// real/double/numeric, BLOB <-> bytea; booleans and dates as SQLite stores them), only what
/// SQLite has, so a diff reports real differences and never dialect noise.
namespace dbops::schema
{
    /// Reads the SQLite file at `path` (opened read-only; a missing or non-SQLite file is BadInput).
    Expected<Snapshot> snapshotSqlite(const QString &path);

    /// `side` narrowed to what both dialects can say (applied to both sides when their dialects
    /// differ): tables, columns (family, not null, default only when both can say it), primary
    /// keys, unique constraints and indexes by their columns, foreign keys by their columns and
    /// target, views by name, and an enum column as its labels (a SQLite CHECK (col IN (...)) is
    /// read as the same). Its `comparedAs` line says what was left out.
    Snapshot comparableAcrossDialects(const Snapshot &side, QString *comparedAs = nullptr);
}
