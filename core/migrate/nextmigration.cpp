#include "core/migrate/nextmigration.h"

#include "core/migrate/migrationsource.h"
#include "core/migrate/version.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        enum class Style
        {
            Numbered,
            Timestamp,
            Flyway,
            DateId
        };

        /// One versioned file of the folder, as its name reads.
        struct Named
        {
            QString fileName;
            ParsedName name;
            Version version;
            Style style = Style::Numbered;
            bool reversible = false;
            QChar separator = u'_'; ///< between a numbered or timestamp version and the description
        };

        constexpr auto timestampFormat = u"yyyyMMddHHmmss";

        std::optional<QDateTime> timestampOf(const QString &version)
        {
            static const QRegularExpression digits(u"^\\d{14}$"_s);
            if (!digits.match(version).hasMatch())
                return std::nullopt;
            const QDate date = QDate::fromString(version.left(8), u"yyyyMMdd"_s);
            const QTime time = QTime::fromString(version.mid(8), u"HHmmss"_s);
            if (!date.isValid() || !time.isValid())
                return std::nullopt;
            return QDateTime(date, time, Qt::UTC);
        }

        Style styleOf(const ParsedName &name)
        {
            if (name.convention == u"flyway"_s)
                return Style::Flyway;
            static const QRegularExpression dateId(u"^\\d{4}-\\d{2}-\\d{2}-\\d+$"_s);
            if (dateId.match(name.version).hasMatch())
                return Style::DateId;
            return timestampOf(name.version) ? Style::Timestamp : Style::Numbered;
        }

        QString styleName(Style style)
        {
            switch (style)
            {
            case Style::Numbered:
                return u"numbered"_s;
            case Style::Timestamp:
                return u"timestamp"_s;
            case Style::Flyway:
                return u"flyway"_s;
            case Style::DateId:
                return u"date id"_s;
            }
            return u"numbered"_s;
        }

        QString conventionName(Style style, bool reversible)
        {
            return styleName(style) + (reversible ? u", reversible (.up.sql/.down.sql)"_s : QString());
        }

        /// "0009" -> "0010", "1.2" -> "1.3", "99" -> "100": the last run of digits plus one, its width kept.
        QString incrementLastNumber(const QString &text)
        {
            qsizetype end = text.size();
            while (end > 0 && !text[end - 1].isDigit())
                --end;
            qsizetype begin = end;
            while (begin > 0 && text[begin - 1].isDigit())
                --begin;
            QString digits = text.mid(begin, end - begin);
            if (digits.isEmpty())
                return text + u'1';
            qsizetype i = digits.size() - 1;
            for (; i >= 0; --i)
            {
                if (digits[i] != u'9')
                {
                    digits[i] = QChar(digits[i].unicode() + 1);
                    break;
                }
                digits[i] = u'0';
            }
            if (i < 0)
                digits.prepend(u'1');
            return text.left(begin) + digits + text.mid(end);
        }

        QList<Named> versionedFiles(const QDir &folder)
        {
            QList<Named> files;
            const QFileInfoList entries = folder.entryInfoList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
            for (const QFileInfo &info : entries)
            {
                const auto parsed = parseMigrationFileName(info.fileName());
                if (!parsed || parsed->role == ParsedName::Repeatable || parsed->version.isEmpty())
                    continue;
                Named n;
                n.fileName = info.fileName();
                n.name = *parsed;
                n.version = Version(parsed->version);
                n.style = styleOf(*parsed);
                n.reversible = parsed->convention.startsWith(u"reversible"_s);
                if (n.fileName.size() > parsed->version.size() && n.fileName[parsed->version.size()] == u'-')
                    n.separator = u'-';
                files << n;
            }
            return files;
        }

        /// The newest file: the highest version, its up file when it has both.
        const Named *newestOf(const QList<Named> &files)
        {
            const Named *newest = nullptr;
            for (const Named &n : files)
            {
                if (!newest)
                    newest = &n;
                else if (const auto c = n.version <=> newest->version; c > 0 || (c == 0 && n.name.role == ParsedName::Up))
                    newest = &n;
            }
            return newest;
        }

        /// The next date id after every one in `files`: today, or the newest date when it is later.
        QString nextDateId(const QList<Named> &files, const Named &newest, const QDate &today, QString &how)
        {
            const QString todayText = today.toString(u"yyyy-MM-dd"_s);
            QString date = todayText;
            if (newest.name.version.left(10) > todayText) // ISO dates compare as text
            {
                date = newest.name.version.left(10);
                how = u"the newest date, %1, is after today (%2 UTC): its next sequence"_s.arg(date, todayText);
            }
            const Named *last = nullptr;
            for (const Named &n : files)
                if (n.style == Style::DateId && n.name.version.startsWith(date + u'-') && (!last || n.version > last->version))
                    last = &n;
            if (!last)
            {
                if (how.isEmpty())
                    how = u"today's date (UTC), its first sequence"_s;
                return date + u"-001"_s;
            }
            if (how.isEmpty())
                how = u"today's date (UTC), the sequence after %1"_s.arg(last->name.version);
            return incrementLastNumber(last->name.version);
        }
    }

    QString migrationSlug(const QString &description)
    {
        // Accents go (é -> e + a combining mark, which is dropped); any other character is a separator.
        const QString decomposed = description.normalized(QString::NormalizationForm_KD);
        QString slug;
        bool pendingSeparator = false;
        for (const QChar ch : decomposed)
        {
            if (ch.category() == QChar::Mark_NonSpacing)
                continue;
            const QChar lower = ch.toLower();
            if ((lower >= u'a' && lower <= u'z') || (lower >= u'0' && lower <= u'9'))
            {
                if (pendingSeparator && !slug.isEmpty())
                    slug += u'_';
                pendingSeparator = false;
                slug += lower;
            }
            else
                pendingSeparator = true;
        }
        slug.truncate(60);
        while (slug.endsWith(u'_'))
            slug.chop(1);
        return slug.isEmpty() ? u"drift_repair"_s : slug;
    }

    Expected<NextMigration> nextMigration(const QString &dir, const QString &description, const QDateTime &nowUtc)
    {
        const QFileInfo info(dir);
        if (!info.exists())
            return fail(ErrorCode::BadInput, u"the migrations folder does not exist: "_s + dir);
        if (!info.isDir())
            return fail(ErrorCode::BadInput, u"not a folder: "_s + dir);
        if (!nowUtc.isValid())
            return fail(ErrorCode::BadInput, u"the current time is not a valid time"_s);
        const QDir folder(info.absoluteFilePath());
        const QString slug = migrationSlug(description);
        const QList<Named> files = versionedFiles(folder);

        NextMigration next;
        const Named *newest = newestOf(files);
        if (!newest)
        {
            next.version = u"0001"_s;
            next.fileName = next.version + u'_' + slug + u".sql"_s;
            next.convention = conventionName(Style::Numbered, false);
            next.why = u"the folder has no versioned migration yet: numbered, from 0001"_s;
            next.path = folder.absoluteFilePath(next.fileName);
            return next;
        }

        QString how;
        switch (newest->style)
        {
        case Style::Numbered:
            next.version = incrementLastNumber(newest->name.version);
            how = u"the next number after %1, with the same padding"_s.arg(newest->name.version);
            break;
        case Style::Flyway:
            next.version = incrementLastNumber(newest->name.version);
            how = u"the last part of %1 plus one"_s.arg(newest->name.version);
            break;
        case Style::Timestamp: {
            const QDateTime now = nowUtc.toUTC();
            next.version = now.toString(QString::fromUtf16(timestampFormat));
            how = u"the current UTC time"_s;
            if (Version(next.version) <= newest->version)
            {
                next.version = timestampOf(newest->name.version)->addSecs(1).toString(QString::fromUtf16(timestampFormat));
                how =
                    u"one second after %1 (the current UTC time, %2, is not later)"_s.arg(newest->name.version, now.toString(Qt::ISODate));
            }
            break;
        }
        case Style::DateId:
            next.version = nextDateId(files, *newest, nowUtc.toUTC().date(), how);
            break;
        }
        if (Version(next.version) <= newest->version) // each branch above rules this out
            return fail(ErrorCode::Internal, u"the next version %1 is not above %2"_s.arg(next.version, newest->name.version));

        const QString suffix = newest->reversible ? u".up.sql"_s : u".sql"_s;
        switch (newest->style)
        {
        case Style::Numbered:
        case Style::Timestamp:
            next.fileName = next.version + newest->separator + slug + suffix;
            break;
        case Style::Flyway:
            next.fileName = u'V' + next.version + u"__"_s + slug + u".sql"_s;
            break;
        case Style::DateId: // its descriptions are hyphenated: the reader turns '-' (not '_') into spaces
            next.fileName = next.version + u'-' + QString(slug).replace(u'_', u'-') + suffix;
            break;
        }
        next.path = folder.absoluteFilePath(next.fileName);
        next.convention = conventionName(newest->style, newest->reversible);

        QStringList conventions;
        for (const Named &n : files)
            if (const QString c = conventionName(n.style, n.reversible); !conventions.contains(c))
                conventions << c;
        if (conventions.size() > 1)
            next.why = u"the folder mixes conventions (%1); the newest file, %2, is %3: %4"_s.arg(conventions.join(u"; "_s),
                                                                                                  newest->fileName, next.convention, how);
        else
            next.why = u"%1, like the newest file, %2: %3"_s.arg(next.convention, newest->fileName, how);
        if (newest->reversible)
            next.why += u"; its .down.sql goes beside it"_s;
        return next;
    }

    Expected<NextMigration> writeNextMigration(const QString &dir, const QString &description, const QString &sql, const QDateTime &nowUtc)
    {
        if (sql.trimmed().isEmpty())
            return fail(ErrorCode::BadInput, u"the migration has no SQL (an empty file would make the folder unreadable)"_s);
        auto next = nextMigration(dir, description, nowUtc);
        if (!next)
            return next;
        const auto exists = [&] { return QFileInfo(next->path).exists() || QFileInfo(next->path).isSymLink(); };
        const auto refused = [&] {
            return fail(ErrorCode::BadInput, u"the file already exists, not overwritten: "_s + next->path, next->fileName);
        };
        if (exists())
            return refused();
        QSaveFile file(next->path);
        if (!file.open(QIODevice::WriteOnly))
            return fail(ErrorCode::Io, u"cannot write %1: %2"_s.arg(next->path, file.errorString()));
        const QByteArray bytes = sql.toUtf8();
        if (file.write(bytes) != bytes.size())
            return fail(ErrorCode::Io, u"cannot write %1: %2"_s.arg(next->path, file.errorString()));
        // QSaveFile renames over whatever is there: look again just before (someone may have written it meanwhile).
        if (exists())
        {
            file.cancelWriting();
            return refused();
        }
        if (!file.commit())
            return fail(ErrorCode::Io, u"cannot write %1: %2"_s.arg(next->path, file.errorString()));
        return next;
    }
}
