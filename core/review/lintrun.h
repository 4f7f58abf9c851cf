#pragma once

#include "core/ops/operation.h"
#include "core/sql/lint.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace dbops
{
    class JobContext;
    class PgConnection;
    class CancelToken;
}

namespace dbops::review
{
    /// What to lint: files and folders (a migrations folder in its order, other .sql files by name)
    /// and, optionally, the target whose live tables grade the findings.
    struct LintRequest
    {
        QStringList paths;
        std::optional<ops::Target> target;
        bool runSetsLockTimeout = false; ///< the run's MigrationSettings set lock_timeout
        bool runSetsStatementTimeout = false;
    };

    struct LintReport
    {
        QStringList files; ///< the files linted, in order (paths as given or found)
        QList<LintFinding> findings;
        QString target; ///< the target whose table sizes graded the findings; empty without one
        int tablesRead = 0;

        int count(LintSeverity severity) const; ///< not counting ignored findings
        int ignored() const;
        QJsonObject toJson() const;
        QString toText() const;
    };

    /// Reads the files (bad input, such as a path that does not exist or a syntax error, is
    /// BadInput naming every file and place), reads the target's tables when one is given, and
    /// lints every file in order: with a target, a table an earlier file creates counts as new.
    LintReport lintFiles(const LintRequest &request, JobContext &jc);

    /// The live tables of a database, by "schema.name": total size and estimated rows (-1: never
    /// analyzed). Read from the catalog; blocking.
    QHash<QString, LintTableFacts> readTableFacts(PgConnection &conn, CancelToken *token);
}
