#include "core/ops/operation.h"

#include "core/connect/connector.h"
#include "core/store/auditlog.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops::ops
{
    ConnectParams resolve(const Target &target, CancelToken *token)
    {
        return Connector(target.profiles).resolve(target.profile, target.password, token);
    }

    bool needsPassword(const Error &error)
    {
        return error.code == ErrorCode::Auth && error.message.contains(u"no password supplied"_s);
    }

    QString confirmationWord(const ConnectionProfile &profile)
    {
        return profile.database.isEmpty() ? profile.name : profile.database;
    }

    bool needsTypedConfirmation(const ConnectionProfile &profile)
    {
        return profile.isProduction();
    }

    void requireConfirmed(const ConnectionProfile &profile, const Confirmation &confirmation, const QString &what, const QString &expected)
    {
        if (!needsTypedConfirmation(profile))
            return;
        const QString word = expected.isEmpty() ? confirmationWord(profile) : expected;
        if (confirmation.typed == word)
            return;
        Error e =
            Error::make(ErrorCode::Usage,
                        confirmation.typed.isEmpty()
                            ? u"not confirmed: %1 on production '%2' needs '%3' typed; nothing was changed"_s.arg(what, profile.name, word)
                            : u"not confirmed: '%1' is not '%2', so %3 on production '%4' did not run; nothing was changed"_s.arg(
                                confirmation.typed, word, what, profile.name));
        e.hint = u"type '%1' exactly (the CLI also takes --confirm %1)"_s.arg(word);
        throw Exception(e);
    }

    void audit(const Target &target, const QString &action, const QString &details, const QString &outcome, const QString &on)
    {
        if (!target.store)
            throw Exception(ErrorCode::Internal, u"%1: no store to record the audit entry in"_s.arg(action));
        AuditLog(*target.store)
            .record({0,
                     {},
                     {},
                     {},
                     target.profile.name,
                     toString(target.profile.environment),
                     action,
                     on.isEmpty() ? target.profile.targetDescription() : on,
                     details,
                     outcome});
    }
}
