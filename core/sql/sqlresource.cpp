#include "core/sql/sqlresource.h"

#include "core/error.h"

#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QMutex>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        const QString kRoot = u":/dbops/"_s;

        /// One or more quoted identifiers, dotted ("s"."t") or listed ("a", "b").
        bool isQuotedIdentifiers(const QString &text)
        {
            static const QRegularExpression quoted(uR"(^"(?:[^"]|"")+"(?:\."(?:[^"]|"")+")*(?:, "(?:[^"]|"")+"(?:\."(?:[^"]|"")+")*)*$)"_s);
            return quoted.match(text).hasMatch();
        }
    }

    QString sqlResource(QStringView name)
    {
        static QMutex mutex;
        static QHash<QString, QString> cache;
        const QString key = name.toString();
        QMutexLocker lock(&mutex);
        if (auto it = cache.constFind(key); it != cache.cend())
            return *it;
        QFile file(kRoot + key + u".sql"_s);
        if (!file.open(QIODevice::ReadOnly))
            throw Exception(ErrorCode::Internal, u"the SQL resource '%1' (%2) is missing from this build"_s.arg(key, file.fileName()));
        const QString text = QString::fromUtf8(file.readAll());
        cache.insert(key, text);
        return text;
    }

    QString sqlResource(QStringView name, std::initializer_list<SqlIdentifier> identifiers)
    {
        QString text = sqlResource(name);
        // A placeholder in a `--` comment would let an identifier holding a newline out of the
        // comment: placeholders stand only in the statement itself.
        static const QRegularExpression inComment(u"--[^\\n]*\\$\\{"_s);
        if (text.contains(inComment))
            throw Exception(ErrorCode::Internal, u"the SQL resource '%1' has a placeholder in a comment"_s.arg(name));
        for (const auto &[placeholder, identifier] : identifiers)
        {
            const QString token = u"${"_s + placeholder + u'}';
            if (!text.contains(token))
                throw Exception(ErrorCode::Internal, u"the SQL resource '%1' has no placeholder %2"_s.arg(name, token));
            if (!isQuotedIdentifiers(identifier))
                throw Exception(ErrorCode::Internal, u"the SQL resource '%1': %2 must be filled with quoted identifiers, not «%3»"_s.arg(
                                                         name, token, identifier));
            text.replace(token, identifier);
        }
        static const QRegularExpression left(u"\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}"_s);
        if (const QRegularExpressionMatch m = left.match(text); m.hasMatch())
            throw Exception(ErrorCode::Internal, u"the SQL resource '%1' needs an identifier for %2"_s.arg(name, m.captured(0)));
        return text;
    }

    QStringList sqlResourceNames()
    {
        QStringList names;
        QDirIterator it(kRoot, {u"*.sql"_s}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
        {
            const QString path = it.next();
            names << path.mid(kRoot.size()).chopped(4);
        }
        names.sort();
        return names;
    }
}
