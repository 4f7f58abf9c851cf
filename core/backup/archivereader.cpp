#include "core/backup/archivereader.h"

#include "core/backup/pgprocess.h"
#include "core/jobs/canceltoken.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <fcntl.h>
#include <unistd.h>

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

        /// Counts the data lines of each COPY block in pg_restore's script output.
        struct CopyCounter
        {
            QMap<QString, qint64> counts;
            QByteArray carry;
            QString current;
            qint64 currentRows = 0;
            bool inCopy = false;

            void line(const char *p, qsizetype n)
            {
                if (inCopy)
                {
                    if (n == 2 && p[0] == '\\' && p[1] == '.')
                    {
                        counts[current] += currentRows;
                        inCopy = false;
                    }
                    else
                        ++currentRows;
                    return;
                }
                if (n > 5 && std::memcmp(p, "COPY ", 5) == 0)
                {
                    const QString text = QString::fromUtf8(p + 5, n - 5);
                    qsizetype end = text.indexOf(u" ("_s);
                    if (end < 0)
                        end = text.indexOf(u" FROM stdin"_s);
                    current = text.left(end).remove(u'"');
                    currentRows = 0;
                    inCopy = true;
                }
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

        int list(const PgTools &tools, const QString &path, CancelToken *token)
        {
            PgProcessSpec spec;
            spec.program = tools.pgRestore;
            spec.args = {u"--list"_s, path};
            spec.dbnameOption.clear();
            int entries = 0;
            bool header = false;
            spec.onStdout = [&entries, &header, carry = QByteArray()](const char *data, qint64 n) mutable {
                carry.append(data, n);
                qsizetype start = 0;
                for (qsizetype nl; (nl = carry.indexOf('\n', start)) >= 0; start = nl + 1)
                {
                    if (nl > start && carry.at(start) != ';')
                        ++entries;
                    else if (QByteArrayView(carry.constData() + start, nl - start).startsWith("; Archive created at"))
                        header = true;
                }
                carry.remove(0, start);
            };
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
            if (!header)
                throw Exception(ErrorCode::BadInput, u"the archive %1 has no table-of-contents header"_s.arg(path));
            return entries;
        }

        ArchiveContents readCompletely(const PgTools &tools, const QString &path, CancelToken *token,
                                       const std::function<void(qint64)> &onProgress)
        {
            ArchiveContents contents;
            contents.tocEntries = list(tools, path, token);
            PgProcessSpec spec;
            spec.program = tools.pgRestore;
            spec.args = {u"--file=-"_s, path};
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
            if (counter.inCopy)
                throw Exception(ErrorCode::BadInput, u"the archive %1 ends inside the data of %2"_s.arg(path, counter.current));
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
    }
}
