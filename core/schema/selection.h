#pragma once

#include "core/schema/diff.h"
#include "core/schema/snapshot.h"

#include <QList>
#include <QSet>

/// Choosing some changes of a diff (the drift view's check boxes): which change needs which, so
/// that a chosen set always writes a script that applies.
namespace dbops::schema
{
    /// A column, constraint, index, trigger, policy or rule: a part of a table or view.
    bool isPart(ObjectKind kind);

    /// For each change of `diff` (by index), the indexes of the changes it cannot go without:
    /// - an added, altered or renamed object needs the added (or renamed) objects it depends on
    ///   on `to` (its dependsOn), its schema when added, and its table or view when added;
    /// - a removed object needs the removal of every object on `from` that depends on it, and a
    ///   removed schema the removal of every object in it.
    /// The relation is direct; neededClosure() follows it.
    QList<QList<int>> changeNeeds(const SchemaDiff &diff, const Snapshot &from, const Snapshot &to);

    /// `chosen` and everything it needs, transitively.
    QSet<int> neededClosure(const QList<QList<int>> &needs, const QSet<int> &chosen);

    /// The chosen changes that need `index` (transitively): what must go too when it is unchosen.
    QSet<int> chosenDependents(const QList<QList<int>> &needs, const QSet<int> &chosen, int index);

    /// The diff with only the chosen changes (in their order); renames and not-compared kept.
    SchemaDiff chosenChanges(const SchemaDiff &diff, const QSet<int> &chosen);
}
