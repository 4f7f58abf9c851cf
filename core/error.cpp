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
