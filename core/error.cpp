#include "core/error.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    Error Error::make(ErrorCode code, const QString &message, const QString &context)
    {
        Error e;
        e.code = code;
        e.message = message;
        e.context = context;
        return e;
    }

    QString Error::toString() const
    {
        QString text;
        if (!context.isEmpty())
            text += context + u": "_s;
        text += message;
        if (!sqlstate.isEmpty())
            text += u" (SQLSTATE "_s + sqlstate + u')';
        if (!detail.isEmpty())
            text += u"\nDETAIL: "_s + detail;
        if (!hint.isEmpty())
            text += u"\nHINT: "_s + hint;
        return text;
    }

    QString errorCodeName(ErrorCode code)
    {
        switch (code)
        {
        case ErrorCode::Internal:
            return u"internal"_s;
        case ErrorCode::Usage:
            return u"usage"_s;
        case ErrorCode::BadInput:
            return u"bad_input"_s;
        case ErrorCode::Connect:
            return u"connect"_s;
        case ErrorCode::Auth:
            return u"auth"_s;
        case ErrorCode::LockTimeout:
            return u"lock_timeout"_s;
        case ErrorCode::OperationFailed:
            return u"operation_failed"_s;
        case ErrorCode::Cancelled:
            return u"cancelled"_s;
        case ErrorCode::NotFound:
            return u"not_found"_s;
        case ErrorCode::Io:
            return u"io"_s;
        case ErrorCode::ProblemsFound:
            return u"problems_found"_s;
        }
        return u"internal"_s;
    }

    QJsonObject Error::toJson() const
    {
        QJsonObject o{{u"code"_s, errorCodeName(code)}, {u"exit_code"_s, exitCode()}, {u"message"_s, message}};
        for (const auto &[key, value] : {std::pair{u"sqlstate"_s, sqlstate}, std::pair{u"detail"_s, detail}, std::pair{u"hint"_s, hint},
                                         std::pair{u"context"_s, context}})
            if (!value.isEmpty())
                o.insert(key, value);
        if (position > 0)
            o.insert(u"position"_s, position);
        return o;
    }

    int Error::exitCode() const
    {
        switch (code)
        {
        case ErrorCode::ProblemsFound:
            return 1;
        case ErrorCode::Usage:
        case ErrorCode::BadInput:
        case ErrorCode::NotFound: // a named profile/migration/file that does not exist is bad input
            return 2;
        case ErrorCode::Connect:
        case ErrorCode::Auth:
            return 3;
        case ErrorCode::LockTimeout:
            return 4;
        default:
            return 5;
        }
    }

    Exception::Exception(Error error)
        : m_error(std::move(error))
        , m_what(m_error.toString().toUtf8())
    {
    }

    Exception::Exception(ErrorCode code, const QString &message, const QString &context)
        : Exception(Error::make(code, message, context))
    {
    }

    const char *Exception::what() const noexcept
    {
        return m_what.constData();
    }
}
