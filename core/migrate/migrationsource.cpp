#include "core/migrate/migrationsource.h"

#include "core/migrate/checksum.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    const Migration *MigrationSet::find(const Version &version) const
    {
        const auto it = byVersion.constFind(version.normalized());
        return it == byVersion.constEnd() ? nullptr : &migrations[*it];
    }

    std::optional<ParsedName> parseMigrationFileName(const QString &fileName)
    {
        if (!fileName.endsWith(u".sql"_s, Qt::CaseInsensitive))
            return std::nullopt;
        ParsedName out;
        QString base = fileName.left(fileName.size() - 4);

        static const QRegularExpression flyway(u"^([VU])([0-9]+(?:[._][0-9]+)*)__(.+)$"_s);
        static const QRegularExpression repeatable(u"^R__(.+)$"_s);
        if (const auto m = repeatable.match(base); m.hasMatch())
        {
            out.role = ParsedName::Repeatable;
            out.description = m.captured(1).replace(u'_', u' ');
            out.convention = u"flyway"_s;
            return out;
        }
        if (const auto m = flyway.match(base); m.hasMatch())
        {
            out.role = m.captured(1) == u"U"_s ? ParsedName::Down : ParsedName::Up;
            out.version = m.captured(2);
            out.description = m.captured(3).replace(u'_', u' ');
            out.convention = u"flyway"_s;
            return out;
        }

        out.convention = u"sqlx"_s;
        if (base.endsWith(u".up"_s, Qt::CaseInsensitive) || base.endsWith(u".down"_s, Qt::CaseInsensitive))
        {
            const bool down = base.endsWith(u".down"_s, Qt::CaseInsensitive);
            out.role = down ? ParsedName::Down : ParsedName::Up;
            base.chop(down ? 5 : 3);
            out.convention = u"reversible (sqlx/golang-migrate)"_s;
        }
        static const QRegularExpression dateId(u"^(\\d{4}-\\d{2}-\\d{2}-\\d+)-(.+)$"_s);
        static const QRegularExpression plain(u"^(\\d+(?:\\.\\d+)*)(?:[_-](.+))?$"_s);
        if (const auto m = dateId.match(base); m.hasMatch())
        {
            out.version = m.captured(1);
            out.description = m.captured(2).replace(u'-', u' ');
            if (out.convention == u"sqlx"_s)
                out.convention = u"date id"_s;
            return out;
        }
        if (const auto m = plain.match(base); m.hasMatch())
        {
            out.version = m.captured(1);
            out.description = m.captured(2).replace(u'_', u' ');
            return out;
        }
        return std::nullopt;
    }

    namespace
    {
        struct Entry
        {
            QFileInfo info;
            ParsedName name;
        };

        /// Why an entry named like a migration cannot be used as one, or empty when it is a readable file.
        QString unusableEntry(const QFileInfo &info)
        {
            if (info.isSymLink())
            {
                struct stat st
                {
                };
                if (::stat(QFile::encodeName(info.absoluteFilePath()).constData(), &st) != 0)
                {
                    const int why = errno;
                    return why == ELOOP ? u"a symbolic link loop (through %1)"_s.arg(info.symLinkTarget())
                                        : u"a dangling symbolic link to %1 (%2)"_s.arg(info.symLinkTarget(),
                                                                                       QString::fromLocal8Bit(std::strerror(why)));
                }
            }
            if (info.isDir())
                return u"is a folder, not a migration file"_s;
            if (!info.isFile())
                return u"is not a regular file"_s;
            QFile f(info.absoluteFilePath());
            if (!f.open(QIODevice::ReadOnly))
                return u"cannot be read: "_s + f.errorString();
            return {};
        }

        /// Reads, decodes and (optionally) parses one file; returns an error message or empty.
        QString loadScript(MigrationScript &script, bool parse)
        {
            QFile f(script.path);
            if (!f.open(QIODevice::ReadOnly))
                return u"cannot read: "_s + f.errorString();
            script.bytes = f.readAll();
            script.checksum = sha256(script.bytes);
            QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
            script.sql = decoder.decode(stripBom(script.bytes));
            if (decoder.hasError())
                return u"is not valid UTF-8"_s;
            if (script.sql.trimmed().isEmpty())
                return u"is empty"_s;
            const QString firstLine = script.sql.section(u'\n', 0, 0).trimmed().toLower();
            script.noTransaction = firstLine == u"-- dbops:no-transaction"_s || firstLine == u"-- no-transaction"_s;
            if (!parse)
                return {};
            auto statements = splitStatements(script.sql, script.fileName);
            if (!statements)
                return u"syntax error at "_s + statements.error().context + u": "_s + statements.error().message;
            if (statements->isEmpty())
                return u"has no SQL statements (only comments)"_s;
            script.statements = std::move(*statements);
            return {};
        }
    }

    Expected<MigrationScript> loadScriptFile(const QString &path)
    {
        const QFileInfo info(path);
        MigrationScript script;
        script.path = info.absoluteFilePath();
        script.fileName = info.fileName();
        if (!info.exists())
            return fail(ErrorCode::BadInput, u"%1: no such file"_s.arg(path));
        if (const QString why = unusableEntry(info); !why.isEmpty())
            return fail(ErrorCode::BadInput, u"%1 %2"_s.arg(path, why));
        if (const QString why = loadScript(script, true); !why.isEmpty())
            return fail(ErrorCode::BadInput, u"%1 %2"_s.arg(path, why));
        return script;
    }

    Expected<MigrationSet> loadMigrations(const QString &dir, const SourceOptions &options)
    {
        const QDir folder(dir);
        if (!folder.exists())
            return fail(ErrorCode::BadInput, u"the migrations folder does not exist: "_s + dir);
        QStringList problems;
        QList<Entry> entries;
        // Every entry named like a migration is listed, whatever it is (QDir::System brings dangling
        // symlinks): one that cannot be read is bad input, never silently skipped, or later
        // migrations would be applied past it.
        const QFileInfoList files =
            folder.entryInfoList({u"*.sql"_s, u"*.SQL"_s}, QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
        for (const QFileInfo &info : files)
        {
            if (const QString why = unusableEntry(info); !why.isEmpty())
            {
                problems << info.fileName() + u": "_s + why;
                continue;
            }
            auto parsed = parseMigrationFileName(info.fileName());
            if (!parsed)
            {
                problems << u"%1: the name follows no migration convention (expected e.g. 0001_create_users.sql, "
                            u"0001_x.up.sql, V1__x.sql, R__x.sql or 2026-02-03-001-x.sql)"_s.arg(info.fileName());
                continue;
            }
            entries.append({info, *parsed});
        }

        // Group: versioned ups and downs by version, repeatables by description.
        struct Group
        {
            std::optional<Entry> up;
            std::optional<Entry> down;
        };
        std::map<Version, Group> groups;
        std::map<QString, Entry> repeatables;
        for (const Entry &e : entries)
        {
            if (e.name.role == ParsedName::Repeatable)
            {
                auto [it, inserted] = repeatables.emplace(e.name.description.toLower(), e);
                if (!inserted)
                    problems << u"%1: duplicate repeatable migration (also %2)"_s.arg(e.info.fileName(), it->second.info.fileName());
                continue;
            }
            Group &g = groups[Version(e.name.version)];
            std::optional<Entry> &slot = e.name.role == ParsedName::Down ? g.down : g.up;
            if (slot)
                problems << u"%1: duplicate version %2 (also %3)"_s.arg(e.info.fileName(), e.name.version, slot->info.fileName());
            else
                slot = e;
        }

        MigrationSet set;
        set.dir = folder.absolutePath();
        for (auto &[version, g] : groups)
        {
            if (!g.up)
            {
                problems << u"%1: a down/undo file without its up migration (version %2)"_s.arg(g.down->info.fileName(), version.text());
                continue;
            }
            Migration m;
            m.version = Version(g.up->name.version);
            m.description = g.up->name.description;
            m.convention = g.up->name.convention;
            m.up.path = g.up->info.absoluteFilePath();
            m.up.fileName = g.up->info.fileName();
            if (g.down)
            {
                MigrationScript down;
                down.path = g.down->info.absoluteFilePath();
                down.fileName = g.down->info.fileName();
                m.down = down;
            }
            set.migrations << m;
        }
        for (auto &[key, e] : repeatables)
        {
            Migration m;
            m.kind = MigrationKind::Repeatable;
            m.description = e.name.description;
            m.convention = e.name.convention;
            m.up.path = e.info.absoluteFilePath();
            m.up.fileName = e.info.fileName();
            set.migrations << m;
        }

        // Read and parse every script on all cores.
        QList<MigrationScript *> scripts;
        for (Migration &m : set.migrations)
        {
            scripts << &m.up;
            if (m.down)
                scripts << &*m.down;
        }
        const bool parse = options.parse;
        const QList<QString> errors = QtConcurrent::blockingMapped(scripts, [parse](MigrationScript *s) {
            const QString why = loadScript(*s, parse);
            return why.isEmpty() ? QString() : s->fileName + u": "_s + why;
        });
        for (const QString &e : errors)
            if (!e.isEmpty())
                problems << e;

        for (int i = 0; i < set.migrations.size(); ++i)
            if (!set.migrations[i].isRepeatable())
                set.byVersion.insert(set.migrations[i].version.normalized(), i);

        if (!problems.isEmpty())
        {
            problems.sort();
            Error e = Error::make(ErrorCode::BadInput, problems.size() == 1
                                                           ? u"bad migration file: "_s + problems.first()
                                                           : u"%1 bad migration files in %2"_s.arg(problems.size()).arg(set.dir));
            if (problems.size() > 1)
                e.detail = problems.join(u'\n');
            e.context = set.dir;
            return std::unexpected(e);
        }
        return set;
    }
}
