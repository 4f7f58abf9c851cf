#include "core/backup/archivereader.h"

#include "core/process/pgprocess.h"
#include "core/jobs/canceltoken.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryFile>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QStringList filesOf(const QString &dir)
        {
            QStringList files;
            QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext())
                files << QDir(dir).relativeFilePath(it.next());
            files.sort();
            return files;
        }

        void hashFile(QCryptographicHash &hash, const QString &path, CancelToken *token, const std::function<void(qint64)> &onBytes)
        {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                throw Exception(ErrorCode::Io, u"cannot read %1: %2"_s.arg(path, f.errorString()));
            QByteArray buf(1 << 20, Qt::Uninitialized);
            for (qint64 n; (n = f.read(buf.data(), buf.size())) > 0;)
            {
                hash.addData(QByteArrayView(buf.constData(), n));
                if (onBytes)
                    onBytes(n);
                if (token)
                    token->throwIfCancelled();
            }
        }

        /// Counts the rows of each COPY block in the script pg_restore writes for the archive's data
        /// entries (TABLE DATA only, selected by dump id with -L: no function body, comment or other
        /// entry's text is in this stream). A COPY statement is parsed as SQL: its table name is a
        /// (possibly quoted) qualified identifier, and a quoted identifier may contain spaces,
        /// parentheses, doubled quotes and newlines; the statement ends at the first ';' outside
        /// quotes. Data rows are one line each (COPY text format escapes newlines), ending at "\\.".
        struct CopyCounter
        {
            QMap<QString, qint64> counts;
            QByteArray carry;
            QByteArray statement;
            QString current;
            qint64 currentRows = 0;
            int blocks = 0;
            enum class State
            {
                Between,
                InStatement,
                InData
            } state = State::Between;
            QString malformed; ///< a COPY statement that could not be parsed

            /// The table of "COPY schema.name (cols) FROM stdin;", unquoted; empty when unparsable.
            static QString tableOf(const QByteArray &stmt)
            {
                qsizetype i = 5; // after "COPY "
                auto ident = [&](QString &out) {
                    if (i < stmt.size() && stmt[i] == '"')
                    {
                        QByteArray raw;
                        for (++i; i < stmt.size(); ++i)
                        {
                            if (stmt[i] == '"')
                            {
                                if (i + 1 < stmt.size() && stmt[i + 1] == '"')
                                {
                                    raw += '"';
                                    ++i;
                                    continue;
                                }
                                ++i;
                                out = QString::fromUtf8(raw);
                                return true;
                            }
                            raw += stmt[i];
                        }
                        return false;
                    }
                    const qsizetype begin = i;
                    while (i < stmt.size() && stmt[i] != '.' && stmt[i] != ' ' && stmt[i] != '(' && stmt[i] != ';')
                        ++i;
                    out = QString::fromUtf8(stmt.constData() + begin, i - begin);
                    return i > begin;
                };
                QString first;
                QString second;
                if (!ident(first))
                    return {};
                if (i < stmt.size() && stmt[i] == '.')
                {
                    ++i;
                    if (!ident(second))
                        return {};
                    return first + u'.' + second;
                }
                return first;
            }

            /// True when the statement has its ';' outside quoted identifiers at the end.
            static bool complete(const QByteArray &stmt)
            {
                bool quoted = false;
                for (qsizetype i = 0; i < stmt.size(); ++i)
                {
                    if (stmt[i] == '"')
                        quoted = !quoted; // a doubled quote toggles twice
                    else if (stmt[i] == ';' && !quoted)
                        return true;
                }
                return false;
            }

            void line(const char *p, qsizetype n)
            {
                switch (state)
                {
                case State::InData:
                    if (n == 2 && p[0] == '\\' && p[1] == '.')
                    {
                        counts[current] += currentRows;
                        ++blocks;
                        state = State::Between;
                    }
                    else
                        ++currentRows;
                    return;
                case State::Between:
                    if (n < 5 || std::memcmp(p, "COPY ", 5) != 0)
                        return;
                    statement = QByteArray(p, n);
                    state = State::InStatement;
                    break;
                case State::InStatement:
                    statement += '\n';
                    statement.append(p, n);
                    break;
                }
                if (!complete(statement))
                    return;
                current = tableOf(statement);
                if (current.isEmpty() && malformed.isEmpty())
                    malformed = QString::fromUtf8(statement.left(200));
                currentRows = 0;
                state = State::InData;
            }
            void feed(const char *data, qint64 size)
            {
                const char *p = data;
                const char *end = data + size;
                if (!carry.isEmpty())
                {
                    const char *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
                    if (!nl)
                    {
                        carry.append(p, end - p);
                        return;
                    }
                    carry.append(p, nl - p);
                    line(carry.constData(), carry.size());
                    carry.clear();
                    p = nl + 1;
                }
                while (p < end)
                {
                    const char *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
                    if (!nl)
                    {
                        carry.append(p, end - p);
                        return;
                    }
                    line(p, nl - p);
                    p = nl + 1;
                }
            }
        };

        /// pg_restore --list, parsed: "<dump id>; <tableoid> <oid> <TYPE> <schema> <name> <owner>".
        /// pg_restore writes one entry per line (names are sanitized of newlines); the type is read
        /// from its fixed position, never from the names.
        struct TocReader
        {
            QList<archive::TocEntry> entries;
            bool header = false;
            QByteArray carry;

            void line(QByteArrayView l)
            {
                if (l.isEmpty())
                    return;
                if (l.startsWith(";"))
                {
                    if (l.startsWith("; Archive created at"))
                        header = true;
                    return;
                }
                static const QRegularExpression re(u"^(\\d+); (\\d+) (\\d+) (.*)$"_s);
                const auto m = re.match(QString::fromUtf8(l));
                archive::TocEntry e;
                if (m.hasMatch())
                {
                    e.id = m.captured(1).toInt();
                    const QString rest = m.captured(4);
                    for (const QString &type : {u"TABLE DATA"_s, u"BLOBS"_s, u"BLOB"_s, u"SEQUENCE SET"_s})
                        if (rest.startsWith(type + u' '))
                        {
                            e.type = type;
                            break;
                        }
                    if (e.type.isEmpty())
                        e.type = rest.section(u' ', 0, 0);
                    e.owner = rest.section(u' ', -1);
                }
                entries << e;
            }
            void feed(const char *data, qint64 n)
            {
                carry.append(data, n);
                qsizetype start = 0;
                for (qsizetype nl; (nl = carry.indexOf('\n', start)) >= 0; start = nl + 1)
                    line(QByteArrayView(carry.constData() + start, nl - start));
                carry.remove(0, start);
            }
        };
    }

    namespace archive
    {
        QString sha256(const QString &path, CancelToken *token, const std::function<void(qint64)> &onBytes)
        {
            QCryptographicHash hash(QCryptographicHash::Sha256);
            const QFileInfo info(path);
            if (info.isDir())
            {
                for (const QString &rel : filesOf(path))
                {
                    hash.addData(rel.toUtf8());
                    hash.addData(QByteArrayView("\0", 1));
                    hashFile(hash, QDir(path).filePath(rel), token, onBytes);
                }
            }
            else
                hashFile(hash, path, token, onBytes);
            return QString::fromLatin1(hash.result().toHex());
        }

        QList<TocEntry> toc(const PgTools &tools, const QString &path, CancelToken *token)
        {
            PgProcessSpec spec;
            spec.program = tools.pgRestore;
            spec.args = {u"--list"_s, path};
            spec.dbnameOption.clear();
            TocReader reader;
            spec.onStdout = [&reader](const char *data, qint64 n) { reader.feed(data, n); };
            try
            {
                runPgProcess(spec, token);
            }
            catch (const Exception &e)
            {
                if (e.error().code != ErrorCode::OperationFailed)
                    throw;
                throw Exception(ErrorCode::BadInput, u"the archive %1 is not readable: %2"_s.arg(path, e.error().message));
            }
            // An empty database has an empty table of contents; an archive always has its header.
            if (!reader.header)
                throw Exception(ErrorCode::BadInput, u"the archive %1 has no table-of-contents header"_s.arg(path));
            return reader.entries;
        }

        int list(const PgTools &tools, const QString &path, CancelToken *token)
        {
            return int(toc(tools, path, token).size());
        }

        ArchiveContents readCompletely(const PgTools &tools, const QString &path, CancelToken *token,
                                       const std::function<void(qint64)> &onProgress)
        {
            ArchiveContents contents;
            const QList<TocEntry> entries = toc(tools, path, token);
            contents.tocEntries = int(entries.size());
            // Every data block is read (decompressed) by pg_restore: the tables' data and the large
            // objects'. Only these entries are selected (-L), so the stream holds nothing but their
            // COPY blocks and lo_* calls: no function body or comment can look like data.
            QByteArray listing;
            int tableData = 0;
            for (const TocEntry &e : entries)
                if (e.id > 0 && (e.type == u"TABLE DATA"_s || e.type == u"BLOBS"_s || e.type == u"BLOB"_s))
                {
                    listing += QByteArray::number(e.id) + "; " + e.type.toUtf8() + '\n';
                    tableData += e.type == u"TABLE DATA"_s;
                }
            if (listing.isEmpty())
                return contents;
            QTemporaryFile listFile(QDir::tempPath() + u"/dbops-toc-XXXXXX.list"_s);
            if (!listFile.open() || listFile.write(listing) != listing.size() || !listFile.flush())
                throw Exception(ErrorCode::Io,
                                u"cannot write a temporary list file in %1: %2"_s.arg(QDir::tempPath(), listFile.errorString()));
            PgProcessSpec spec;
            spec.program = tools.pgRestore;
            spec.args = {u"--use-list=%1"_s.arg(listFile.fileName()), u"--file=-"_s, path};
            spec.dbnameOption.clear();
            CopyCounter counter;
            qint64 bytes = 0;
            spec.onStdout = [&](const char *data, qint64 n) {
                counter.feed(data, n);
                bytes += n;
                if (onProgress)
                    onProgress(bytes);
            };
            try
            {
                runPgProcess(spec, token);
            }
            catch (const Exception &e)
            {
                if (e.error().code != ErrorCode::OperationFailed)
                    throw;
                throw Exception(ErrorCode::BadInput, u"the archive %1 cannot be read completely: %2"_s.arg(path, e.error().message));
            }
            if (counter.state != CopyCounter::State::Between)
                throw Exception(ErrorCode::BadInput, u"the archive %1 ends inside the data of %2"_s.arg(path, counter.current));
            if (!counter.malformed.isEmpty())
                throw Exception(ErrorCode::BadInput,
                                u"the archive %1 has a data entry whose COPY statement cannot be read: %2"_s.arg(path, counter.malformed));
            if (counter.blocks != tableData)
                throw Exception(
                    ErrorCode::BadInput,
                    u"the archive %1 lists %2 table data entries but pg_restore read the data of %3"_s.arg(path).arg(tableData).arg(
                        counter.blocks));
            contents.rowCounts = counter.counts;
            return contents;
        }

        void syncToDisk(const QString &path)
        {
            const QFileInfo info(path);
            QStringList files;
            if (info.isDir())
            {
                for (const QString &rel : filesOf(path))
                    files << QDir(path).filePath(rel);
                files << path;
            }
            else
                files << path;
            for (const QString &f : std::as_const(files))
            {
                const int fd = ::open(QFile::encodeName(f).constData(), O_RDONLY);
                if (fd < 0)
                    throw Exception(ErrorCode::Io, u"cannot open %1 to sync it"_s.arg(f));
                const int rc = ::fsync(fd);
                ::close(fd);
                if (rc != 0)
                    throw Exception(ErrorCode::Io, u"fsync of %1 failed"_s.arg(f));
            }
        }

        void syncDirectory(const QString &path)
        {
            const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY);
            if (fd < 0)
                throw Exception(ErrorCode::Io,
                                u"cannot open the folder %1 to sync it: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno))));
            const int rc = ::fsync(fd);
            const int saved = errno;
            ::close(fd);
            if (rc != 0)
                throw Exception(ErrorCode::Io,
                                u"fsync of the folder %1 failed: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(saved))));
        }
    }
}
