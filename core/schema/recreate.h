#pragma once

#include "core/error.h"
#include "core/schema/snapshot.h"
#include "core/schema/sqlwriter.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace dbops
{
    class JobContext;
    class PgConnection;
}

/// A schema made anew in a sandbox: what --prove and the diff of two sides of different major
/// versions share. Blocking: job bodies.
namespace dbops::schema
{
    /// Every role a snapshot names (owners, grantees, grantors, policy roles), postgres left out,
    /// sorted.
    QStringList rolesNamed(const Snapshot &snapshot);
    /// Creates each role (NOLOGIN) that the server does not have yet.
    void createRoles(PgConnection &admin, const QStringList &roles);
    /// Applies a plan: the default plan in one transaction (rolled back when a statement fails),
    /// an --online plan statement by statement. A failure is OperationFailed, its context the statement.
    void applyPlan(PgConnection &conn, const SqlPlan &plan);

    /// The attributes the server prints from its own parse tree (view and function definitions,
    /// defaults, generated expressions, checks, index and constraint definitions, policy
    /// expressions, partition bounds): the ones that one object may read differently in two
    /// major versions.
    bool isServerText(const QString &attribute);

    /// The PostgreSQL majors installed here (an initdb found for each), ascending.
    QList<int> installedMajors();

    /// When `from` and `to` are PostgreSQL snapshots of different major versions, re-creates one
    /// of them on a sandbox PostgreSQL of the other's version (the SQL dbops writes for an empty
    /// database to that schema, applied in one transaction), snapshots it there, and takes that
    /// side's server text (isServerText) from the re-created objects, so that an object both
    /// versions print differently is not reported as changed. `--to` is re-created on `--from`'s
    /// version when that is installed (the SQL is then written as --from's server prints it);
    /// otherwise `--from` on `--to`'s. Returns what was done, for the report: empty when the
    /// versions are the same; when neither version is installed, or the re-creation fails (the
    /// statement and the reason), says so and that the text is compared as each version prints it.
    /// Cancelled (jc's token) throws.
    QString alignMajorVersions(Snapshot &from, Snapshot &to, const QString &fromLabel, const QString &toLabel, JobContext &jc);
}
