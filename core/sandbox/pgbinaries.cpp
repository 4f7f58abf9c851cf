#include "core/sandbox/pgbinaries.h"

#include "core/process/pgprocess.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    int programMajorVersion(const QString &programPath)
    {
        QProcess p;
        p.setProcessEnvironment(childEnvironment(QProcessEnvironment::systemEnvironment(), {})); // no secret of ours in a child
        p.start(programPath, {u"--version"_s});
        if (!p.waitForFinished(10000) || p.exitStatus() != QProcess::NormalExit)
            return 0;
        static const QRegularExpression re(u"\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?"_s);
        const auto m = re.match(QString::fromUtf8(p.readAllStandardOutput()));
        if (!m.hasMatch())
            return 0;
        const int first = m.captured(1).toInt();
        // 9.6 and older report "9.6.x": keep the major as 9 (they are all too old for us anyway).
        return first;
    }

    QList<PgInstallation> findPgInstallations(const QString &program)
    {
        QList<PgInstallation> found;
        QStringList dirs;
        if (const QString env = qEnvironmentVariable("DBOPS_PG_BINDIR"); !env.isEmpty())
            dirs << env;
        for (const QString &root : {u"/usr/lib/postgresql"_s, u"/usr/local/lib/postgresql"_s})
        {
            const QDir base(root);
            for (const QString &v : base.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
                dirs << base.filePath(v + u"/bin"_s);
        }
        for (const QString &glob : {u"/usr"_s, u"/opt/homebrew/opt"_s, u"/usr/local/opt"_s})
        {
            const QDir base(glob);
            for (const QString &v : base.entryList({u"pgsql-*"_s, u"postgresql@*"_s}, QDir::Dirs))
                dirs << base.filePath(v + u"/bin"_s);
        }
        const QString onPath = QStandardPaths::findExecutable(program);
        if (!onPath.isEmpty())
            dirs << QFileInfo(onPath).canonicalFilePath().section(u'/', 0, -2);

        QStringList seen;
        for (const QString &dir : dirs)
        {
            const QString exe = dir + u'/' + program;
            const QString canonical = QFileInfo(dir).canonicalFilePath();
            if (canonical.isEmpty() || seen.contains(canonical) || !QFileInfo(exe).isExecutable())
                continue;
            seen << canonical;
            const int major = programMajorVersion(exe);
            if (major > 0)
                found.append({major, canonical});
        }
        std::stable_sort(found.begin(), found.end(), [](const auto &a, const auto &b) { return a.major > b.major; });
        return found;
    }
}
