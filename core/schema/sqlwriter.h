#pragma once

#include "core/error.h"
#include "core/schema/diff.h"
#include "core/schema/snapshot.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

/// The SQL that turns `from` into `to`: statements in dependency order from one graph over all
/// changes (the objects' dependsOn on each side), dependent views, policies, triggers and
/// functions dropped and recreated around the change that needs it, never a rebuild where an ALTER
/// does it. The default plan applies with `psql --single-transaction`; --online writes the
/// lock-friendly plan in steps.
namespace dbops::schema
{
    struct SqlOptions
    {
        bool online = false;
        /// --online: SET lock_timeout before each locking statement.
        int lockTimeoutMs = 5000;
    };

    struct PlanStatement
    {
        QString sql;      ///< one statement, ending in ';'
        QString changeId; ///< the change (or the dependent recreated for it) it serves
        QString why;      ///< set when it is not the change itself: "recreated around public.t.c's type change"
        /// Must run outside a transaction block (CREATE INDEX CONCURRENTLY, ALTER TYPE ... ADD VALUE
        /// before PostgreSQL 12 use ...): only in an --online plan.
        bool outsideTransaction = false;
    };

    /// --online: the statements between two breaks run together; a step says why it stands alone.
    struct PlanStep
    {
        QList<PlanStatement> statements;
        QString reason; ///< "CREATE INDEX CONCURRENTLY cannot run in a transaction block"
    };

    struct SqlPlan
    {
        QList<PlanStep> steps; ///< one step in the default plan
        bool online = false;

        bool isEmpty() const;
        /// The whole script: a header comment (from, to, dbops version, online or not), then each
        /// step (an --online step begins with a comment giving its reason), statements one per line
        /// or block.
        QString script(const QString &fromLabel, const QString &toLabel) const;
        QStringList statements() const;
    };

    /// Orders and writes the diff's changes. A dependency cycle is Internal naming its path;
    /// a change dbops cannot write (a kind it does not alter, with no drop-and-create) is
    /// BadInput naming the object and why.
    Expected<SqlPlan> writeSql(const SchemaDiff &diff, const Snapshot &from, const Snapshot &to, const SqlOptions &options = {});
}
