#pragma once

#include "core/db/connectparams.h"
#include "core/db/profile.h"
#include "core/error.h"
#include "core/jobs/job.h"

#include <QString>

#include <functional>
#include <optional>
#include <type_traits>

namespace dbops
{
    class CancelToken;
    class ProfileStore;
    class Store;
}

/// The operations layer: one job body per operation (migrate, validate, repair, baseline, down,
/// adopt, backup, verify, test-restore, restore, cancel, terminate), each doing the whole workflow
/// (resolve the target, load, the production rules, run, audit). The console and the CLI gather
/// input, start the job and present its typed result; neither applies a rule of its own.
///
/// Layering: core/ops sits above every other core folder (it needs the migration engine and the
/// backup rule, and the backup rule reads the migration history), and nothing in core includes it.
namespace dbops::ops
{
    /// Who and what an operation runs against, as a face gathered it.
    struct Target
    {
        ConnectionProfile profile;
        /// Given for this run (a prompt, the password inside --db); never stored. Empty: the
        /// keychain, ~/.pgpass or PGPASSWORD, as libpq finds them.
        QString password;
        Store *store = nullptr;           ///< required: the audit log, the backup catalog, the rules
        ProfileStore *profiles = nullptr; ///< the managed sandbox and the keychain
    };

    /// The libpq parameters of the target, password included (blocking: may start the sandbox).
    ConnectParams resolve(const Target &target, CancelToken *token);

    /// The server asked for a password and none was given: a face may ask for one and run the
    /// operation again (the CLI on the terminal, the console in a dialog).
    bool needsPassword(const Error &error);

    /// The production rule for typed confirmation, in one place: a change to a production target
    /// runs only when the person typed `expected` (the database name, or the pid for a signal).
    /// The faces only collect the text (--confirm, a terminal prompt, the plan dialog's field);
    /// the operation checks it and throws Usage naming what was not confirmed otherwise.
    struct Confirmation
    {
        QString typed; ///< what the person typed; ignored outside production
    };
    /// What must be typed to confirm a change to `profile`: its database name (else its name).
    QString confirmationWord(const ConnectionProfile &profile);
    bool needsTypedConfirmation(const ConnectionProfile &profile);
    /// Throws Usage "not confirmed: ...; nothing was changed" when production and typed != expected.
    void requireConfirmed(const ConnectionProfile &profile, const Confirmation &confirmation, const QString &what,
                          const QString &expected = {});

    /// Records one audit entry for an operation that may change a database: action, what it acted
    /// on, the details shown to the person, and the outcome ("ok", or the failure's text).
    void audit(const Target &target, const QString &action, const QString &details, const QString &outcome, const QString &on = {});

    /// Runs `body` and audits it once, whatever happens: "ok", the failure its result carries
    /// (jobFailure), or the exception's error (rethrown). `details` may read the result.
    template <class T>
    T audited(const Target &target, const QString &action, const std::function<QString(const T *)> &details, const std::function<T()> &body,
              const QString &on = {})
    {
        try
        {
            if constexpr (std::is_void_v<T>)
            {
                body();
                audit(target, action, details(nullptr), QStringLiteral("ok"), on);
            }
            else
            {
                T result = body();
                const std::optional<Error> failure = jobFailure(result);
                audit(target, action, details(&result), failure ? failure->toString() : QStringLiteral("ok"), on);
                return result;
            }
        }
        catch (const Exception &e)
        {
            audit(target, action, details(nullptr), e.error().toString(), on);
            throw;
        }
    }
}
