#include "core/logging/redact.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString redactSecrets(const QString &text)
    {
        // user:password@ in any URI scheme (postgresql://, postgres://, ...). The password runs to
        // the LAST '@' of the URI: a raw '@' in it (p@ss) must not leave its tail ("ss@h1") in the
        // clear, and a user may hold an '@' too (user@server:pw@host). Multi-host lists
        // (h1:5433,h2:5434) after it are kept. Over-redacting a rare '@' later in the URI is the
        // safe side.
        static const QRegularExpression uriPassword(u"([a-zA-Z][a-zA-Z0-9+.-]*://[^:/\\s]*:)(\\S*)(@)"_s);
        // keyword=value forms, quoted or not: password, sslpassword, PGPASSWORD, secret, token
        static const QRegularExpression keyword(
            u"(\\b(?:password|passwd|pwd|sslpassword|pgpassword|secret|token|api[_-]?key)\\s*[=:]\\s*)('(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s&]+)"_s,
            QRegularExpression::CaseInsensitiveOption);
        // (the unquoted form also covers a URI query parameter ?password=...&; it runs to the next
        // space or '&' because libpq allows ';' and ',' inside an unquoted value)
        QString out = text;
        out.replace(uriPassword, u"\\1***\\3"_s);
        out.replace(keyword, u"\\1***"_s);
        return out;
    }

    std::string redactSecrets(std::string_view text)
    {
        return redactSecrets(QString::fromUtf8(text.data(), qsizetype(text.size()))).toStdString();
    }
}
