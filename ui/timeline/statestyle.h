#pragma once

#include "core/migrate/timeline.h"

#include <QColor>
#include <QIcon>
#include <QString>

namespace dbops::statestyle
{
    /// How a migration state looks everywhere (timeline, matrix, plan): each state has its own
    /// icon shape and glyph and a word, so it reads without colour too.
    QString label(MigrationState state); ///< "Applied", "Checksum mismatch", ...
    QString glyph(MigrationState state); ///< ✓ ○ ✕ ≠ ? ↯ ◆ !
    QColor color(MigrationState state);  ///< the accent (icon, text)
    QColor tint(MigrationState state);   ///< a light background for cells
    QIcon icon(MigrationState state);    ///< 16 px, distinct shape per state
    /// "Checksum mismatch — line endings only" when there is a classification.
    QString describe(MigrationState state, MismatchKind mismatch);
    /// Whether the state needs the DBA's attention (drawn bold).
    bool isProblem(MigrationState state);
}
