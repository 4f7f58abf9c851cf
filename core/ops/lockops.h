#pragma once

#include "core/locks/lockqueries.h"
#include "core/locks/locksnapshot.h"
#include "core/ops/operation.h"

#include <optional>

/// Cancel and terminate as one job body each, shared by the lock monitor view and the CLI
/// (dbops cancel / terminate). Blocking, for a job body.
namespace dbops
{
    /// A signal the server refused (sent == false, e.g. a backend of another role) is a failed
    /// job: OperationFailed "not sent: the server refused" (the CLI exits 5).
    std::optional<Error> jobFailure(const SignalResult &result);
} // namespace dbops

namespace dbops::ops
{
    /// The backend `pid` on `target`'s server, for the face to show before asking for
    /// confirmation. NotFound "no server process with pid N (it may have ended)" when it is gone.
    BackendSession session(const Target &target, int pid, JobContext &jc);

    /// The text the audit entry records of a session: "user@database (application): query"
    /// (the query on one line, at most 500 characters).
    QString sessionDetails(const BackendSession &session);

    /// What must be typed to confirm a signal to `pid` on production: the pid.
    QString signalConfirmationWord(int pid);

    /// pg_cancel_backend / pg_terminate_backend of `pid` on `target`'s server, the whole rule:
    /// Usage for pid <= 0; the session is looked up (NotFound when gone); on production the pid
    /// must be typed (`confirmation.typed`), else Usage "not confirmed ... nothing was changed"
    /// and nothing is sent; then the signal. Every outcome after the pid check is audited once:
    /// action "cancel" / "terminate", on "pid N on <target>", details sessionDetails(), outcome
    /// "ok", the error, or (server refusal, a failed job by jobFailure) "not sent: the server
    /// refused".
    SignalResult signalBackend(const Target &target, int pid, BackendSignal signal, const Confirmation &confirmation, JobContext &jc);
} // namespace dbops::ops
