// Parsing a diff side (--from, --to, --db) and naming it in reports.
#include "core/schema/sides.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    namespace
    {
        /// The text with any password in it replaced by *** (a URL's user:password@, password=...).
        QString masked(QString text)
        {
            static const QRegularExpression inUrl(u"(://[^:/@?]*:)[^@/?]*@"_s);
            static const QRegularExpression keyword(u"(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|\\S+)"_s,
                                                    QRegularExpression::CaseInsensitiveOption);
            text.replace(inUrl, u"\\1***@"_s);
            text.replace(keyword, u"\\1***"_s);
            return text;
        }

        Error bad(const QString &option, const QString &text, const QString &problem)
        {
            Error e = Error::make(ErrorCode::BadInput, u"%1 '%2': %3"_s.arg(option, masked(text), masked(problem)));
            e.hint = u"a side is a profile name, a PostgreSQL URL or keyword string, sqlite:PATH, migrations:DIR[@VERSION] or "
                     "snapshot:PATH"_s;
            return e;
        }
    }

    QString Side::label() const
    {
        switch (kind)
        {
        case Kind::Postgres:
            return fromProfile ? profile.name : profile.targetDescription();
        case Kind::Sqlite:
            return fromProfile ? profile.name : u"sqlite:"_s + path;
        case Kind::Migrations:
            return u"migrations:"_s + path + (version.isEmpty() ? QString() : u'@' + version);
        case Kind::SnapshotFile:
            return u"snapshot:"_s + path;
        }
        return text;
    }

    Expected<Side> parseSide(const QString &rawText, const QList<ConnectionProfile> &profiles, const QString &option)
    {
        const QString text = rawText.trimmed();
        Side side;
        side.text = rawText;
        if (text.isEmpty())
            return std::unexpected(bad(option, rawText, u"is empty"_s));

        // A saved profile's name wins over a URL of the same text.
        for (const ConnectionProfile &p : profiles)
            if (p.name == text)
            {
                side.profile = p;
                side.fromProfile = true;
                if (p.isSqlite())
                {
                    side.kind = Side::Kind::Sqlite;
                    side.path = p.sqlitePath;
                    if (!QFileInfo(side.path).isFile())
                        return std::unexpected(
                            bad(option, rawText,
                                u"the SQLite file %1 of profile '%2' does not exist"_s.arg(QDir::toNativeSeparators(side.path), p.name)));
                }
                return side;
            }

        if (text.startsWith(u"migrations:"_s))
        {
            side.kind = Side::Kind::Migrations;
            QString rest = text.mid(11);
            const qsizetype at = rest.lastIndexOf(u'@');
            if (at >= 0)
            {
                side.version = rest.mid(at + 1).trimmed();
                rest = rest.left(at);
                if (side.version.isEmpty())
                    return std::unexpected(bad(option, rawText, u"'@' needs a version after it (migrations:DIR@VERSION)"_s));
            }
            if (rest.isEmpty())
                return std::unexpected(bad(option, rawText, u"needs a folder (migrations:DIR)"_s));
            side.path = QFileInfo(rest).absoluteFilePath();
            if (!QFileInfo(side.path).isDir())
                return std::unexpected(
                    bad(option, rawText, u"the migrations folder %1 does not exist"_s.arg(QDir::toNativeSeparators(side.path))));
            return side;
        }
        if (text.startsWith(u"snapshot:"_s))
        {
            side.kind = Side::Kind::SnapshotFile;
            const QString path = text.mid(9);
            if (path.isEmpty())
                return std::unexpected(bad(option, rawText, u"needs a file (snapshot:PATH)"_s));
            side.path = QFileInfo(path).absoluteFilePath();
            if (!QFileInfo(side.path).isFile())
                return std::unexpected(
                    bad(option, rawText, u"the snapshot file %1 does not exist"_s.arg(QDir::toNativeSeparators(side.path))));
            return side;
        }
        if (text.startsWith(u"sqlite:"_s))
        {
            auto profile = ConnectionProfile::fromUrl(option, text);
            if (!profile)
                return std::unexpected(bad(option, rawText, profile.error().message));
            side.kind = Side::Kind::Sqlite;
            side.profile = *profile;
            side.path = QFileInfo(profile->sqlitePath).absoluteFilePath();
            side.profile.sqlitePath = side.path;
            if (!QFileInfo(side.path).isFile())
                return std::unexpected(
                    bad(option, rawText, u"the SQLite file %1 does not exist"_s.arg(QDir::toNativeSeparators(side.path))));
            return side;
        }

        // A PostgreSQL URI or keyword string. A bare word that is no profile is neither.
        const bool looksLikeUrl = text.startsWith(u"postgresql://"_s) || text.startsWith(u"postgres://"_s) || text.contains(u'=');
        if (!looksLikeUrl)
        {
            QStringList names;
            for (const ConnectionProfile &p : profiles)
                names << p.name;
            return std::unexpected(bad(option, rawText,
                                       names.isEmpty() ? u"is no saved profile and not a URL (there are no profiles)"_s
                                                       : u"is no saved profile (%1) and not a URL"_s.arg(names.join(u", "_s))));
        }
        QString password;
        auto profile = ConnectionProfile::fromUrl(option, text, &password);
        if (!profile)
            return std::unexpected(bad(option, rawText, profile.error().message));
        if (auto params = profile->toConnectParams(); !params)
            return std::unexpected(bad(option, rawText, params.error().message));
        side.kind = Side::Kind::Postgres;
        side.profile = *profile;
        side.password = password;
        return side;
    }
}
