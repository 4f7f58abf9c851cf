#pragma once

#include "core/backup/premigrationbackup.h"
#include "core/ops/operation.h"
#include "core/schema/sqlwriter.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

/// Applying a diff's SQL to the side it changes (issue 14: repair a drifted environment), one job
/// body for the drift view and `dbops diff --apply`. The whole workflow is here: the target must
/// be a PostgreSQL database; production needs the database name typed and gets a verified backup
/// first (the pre-change backup rule, recorded with the change); the script runs in one
/// transaction (the online plan step by step, with Cancel between steps); every apply is audited
/// with the full SQL, the backup id and the outcome.
namespace dbops::ops
{
    struct SchemaApplyRequest
    {
        /// What results and messages call the target (the side's label); empty: the profile's name.
        QString targetLabel;
        /// The side the SQL changes (the diff's --from): profile, password, store (required).
        Target target;
        /// The script as the person saw it (maybe edited): what runs and what is recorded.
        QString script;
        bool edited = false;
        /// The plan the script was written from, when not edited: an online plan runs by its
        /// steps. Without it (an edited script) the script's statements are split by the parser:
        /// consecutive statements run in one transaction, CREATE INDEX CONCURRENTLY alone.
        std::optional<schema::SqlPlan> plan;
        QString comparedWith; ///< the other side's label, for the audit entry
        Confirmation confirmation;
        /// Receives what the pre-change backup rule did (read it after the job finished).
        std::shared_ptr<PreChangeOutcome> preChange = std::make_shared<PreChangeOutcome>();
    };

    /// One step as it ran.
    struct AppliedStep
    {
        int statements = 0;
        bool committed = false;
        bool inTransaction = true;
        QString reason; ///< an online step's reason
    };

    struct SchemaApplyResult
    {
        QString target; ///< the profile's name
        QList<AppliedStep> steps;
        int statementsRun = 0; ///< statements that ran without error (in committed steps or rolled back with theirs)
        int statementsTotal = 0;
        QString backupId; ///< the pre-change backup (empty: none was required)
        bool edited = false;
        bool cancelled = false;
        /// The failure: the statement (its number and text), the server's message, and what was
        /// rolled back and what stays committed.
        std::optional<Error> failure;

        int committedSteps() const;
        /// "applied 12 statements in one transaction to staging" / "failed at statement 3 of 12
        /// (...): ...; rolled back, nothing changed".
        QString text() const;
        QJsonObject toJson() const;
    };
    std::optional<Error> jobFailure(const SchemaApplyResult &result);

    /// Applies the request's script to its target (blocking: a job body). Throws BadInput (an
    /// empty script, a statement that does not parse: nothing connects), Usage (production, not
    /// confirmed: nothing connected), Connect/Auth, or the backup's error (nothing changed).
    /// Failures while running are in the result (the job fails). Audited once: action
    /// "diff-apply", details the script (with the backup id and whether it was edited).
    SchemaApplyResult applySchemaScript(const SchemaApplyRequest &request, JobContext &jc);

    /// The audit details of an apply, whichever face started it.
    QString schemaApplyAuditDetails(const SchemaApplyRequest &request, const SchemaApplyResult *result);
}
