#include "core/paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>

using namespace Qt::Literals::StringLiterals;

namespace dbops::paths
{
    QString appDataDir()
    {
        QString dir = qEnvironmentVariable("DBOPS_HOME");
        if (dir.isEmpty())
        {
            dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
            if (dir.isEmpty())
                dir = QDir::homePath() + u"/.local/share"_s;
            dir += u"/dbops"_s;
        }
        QDir().mkpath(dir);
        return QDir(dir).absolutePath();
    }

    QString demoMigrationsDir()
    {
        // Installed: <prefix>/share/dbops/migrations; in the build tree: the source folder.
        const QString appDir = QCoreApplication::instance() ? QCoreApplication::applicationDirPath() : QString();
        const QStringList candidates = {
            appDir + u"/../share/dbops/migrations"_s,
            QStringLiteral(DBOPS_SOURCE_DIR "/migrations"),
        };
        for (const QString &c : candidates)
            if (QDir(c).exists())
                return QDir(c).absolutePath();
        return {};
    }
}
