#include "ui/files/migrationfile.h"

#include <QCollator>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace dbops::migrationfiles
{
    namespace
    {
        constexpr qint64 kMaxViewBytes = 8 * 1024 * 1024;
    }

    MigrationFolderListing list(const QString &folder, JobContext &ctx)
    {
        {
            MigrationFolderListing listing;
            listing.folder = folder;
            const QFileInfo info(folder);
            listing.exists = info.isDir();
            if (!listing.exists)
                return listing;
            ctx.progress(0, 0, u"reading %1"_s.arg(folder));
            QDirIterator it(folder, {u"*.sql"_s}, QDir::Files | QDir::Readable);
            while (it.hasNext())
            {
                it.next();
                const QFileInfo f = it.fileInfo();
                listing.files.append({f.fileName(), f.absoluteFilePath(), f.size(), f.lastModified()});
                if (listing.files.size() % 256 == 0)
                {
                    ctx.throwIfCancelled();
                    ctx.progress(0, 0, u"%1 files…"_s.arg(listing.files.size()));
                }
            }
            QCollator collator;
            collator.setNumericMode(true);
            std::sort(listing.files.begin(), listing.files.end(),
                      [&](const MigrationFile &a, const MigrationFile &b) { return collator.compare(a.name, b.name) < 0; });
            ctx.progress(1, 1, u"%1 migration files"_s.arg(listing.files.size()));
            return listing;
        }
    }

    MigrationFileText read(const QString &path, JobContext &ctx)
    {
        {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                throw Exception(ErrorCode::Io, u"cannot read %1: %2"_s.arg(path, file.errorString()));
            MigrationFileText out;
            out.path = path;
            out.size = file.size();
            const QByteArray bytes = file.read(kMaxViewBytes);
            out.truncated = out.size > bytes.size();
            out.text = QString::fromUtf8(bytes);
            ctx.progress(1, 1, u"%1 bytes"_s.arg(out.size));
            return out;
        }
    }
}
