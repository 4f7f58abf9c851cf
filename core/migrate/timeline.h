#pragma once

#include "core/migrate/checksum.h"
#include "core/migrate/history.h"
#include "core/migrate/migrationsource.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace dbops
{
    enum class MigrationState
    {
        Applied,
        Pending,
        Failed,           ///< a non-transactional migration failed before changing anything
        ChecksumMismatch, ///< applied, but its file changed since
        MissingFile,      ///< applied, but its file is gone
        OutOfOrder,       ///< pending, below the highest applied version
        Baseline,         ///< covered by a baseline: the database already had it
        Dirty             ///< a non-transactional migration stopped part-way: repair before going on
    };
    QString toString(MigrationState state);

    /// One row of the timeline: a migration file, a history row, or both.
    struct TimelineEntry
    {
        QString version; ///< empty for repeatables
        QString description;
        MigrationState state = MigrationState::Pending;
        MismatchKind mismatch = MismatchKind::None;
        bool repeatable = false;
        bool noTransaction = false;
        bool hasDown = false;
        QString script;
        int migrationIndex = -1;       ///< into MigrationSet::migrations, -1 when there is no file
        std::optional<HistoryRow> row; ///< the history row that decides the state
        int resumeFrom = 0;            ///< statement to resume at (repaired partial migration)
        bool acknowledgedMissing = false;
        QString note;
        /// Indexes this migration's CREATE INDEX CONCURRENTLY names that exist but are INVALID
        /// (pg_index.indisvalid = false): an interrupted build left them. Filled by the migrator.
        QStringList invalidIndexes;

        bool isApplied() const;
        QJsonObject toJson() const;
    };

    /// A problem validate reports (and migrate refuses to run with).
    struct TimelineProblem
    {
        QString version;
        MigrationState state;
        MismatchKind mismatch = MismatchKind::None;
        QString message;
    };

    struct Timeline
    {
        QString historyFormat;
        QString historyTable;
        bool historyExists = false;
        QString baselineVersion;
        QString currentVersion; ///< the highest applied (or baselined) version
        QList<TimelineEntry> entries;
        QStringList warnings;
        /// Applied versions the history keeps no checksum for: edits to their files cannot be seen.
        QStringList unchecked;

        QList<TimelineProblem> problems() const;
        /// What migrate would run, in order: pending (and, when allowed, out-of-order) migrations up
        /// to `target` (inclusive; empty = all), then repeatables whose checksum changed.
        QList<const TimelineEntry *> pending(const QString &target = {}, bool allowOutOfOrder = false) const;
        QJsonObject toJson() const;
    };

    /// Builds the timeline from the files and the history rows (plain computation, no I/O).
    Timeline buildTimeline(const MigrationSet &set, const QList<HistoryRow> &rows, const HistoryAdapter &history);
}
