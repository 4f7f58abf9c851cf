#include "tests/support/files.h"

#include "core/paths.h"

#include <QDir>
#include <QFile>

using namespace Qt::Literals::StringLiterals;

namespace dbops::test
{
    QString writeFile(const QString &dir, const QString &name, const QByteArray &bytes)
    {
        QDir().mkpath(dir);
        const QString path = dir + u'/' + name;
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    void copyDemoMigrations(const QString &dir)
    {
        const QDir demo(paths::demoMigrationsDir());
        QDir().mkpath(dir);
        for (const QString &name : demo.entryList({u"*.sql"_s}, QDir::Files))
            QFile::copy(demo.filePath(name), dir + u'/' + name);
    }
}
