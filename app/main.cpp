#include "app/cli/cli.h"
#include "core/logging/redact.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace
{
    /// `dbops` with no arguments opens the console: hand the process over to `dbops-gui`, which
    /// lives beside this executable. The CLI itself never loads the GUI libraries.
    int execGui(char *argv[])
    {
        char self[4096] = {};
        const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
        const QString dir = n > 0 ? QFileInfo(QString::fromLocal8Bit(self, n)).absolutePath() : QString();
        const QByteArray gui = QFile::encodeName(dir + u"/dbops-gui"_s);
        if (!dir.isEmpty() && QFileInfo(QString::fromLocal8Bit(gui)).isExecutable())
        {
            argv[0] = const_cast<char *>(gui.constData());
            ::execv(gui.constData(), argv);
            std::fprintf(stderr, "dbops: cannot start %s: %s\n", gui.constData(), std::strerror(errno));
            return 5;
        }
        std::fprintf(stderr, "dbops: the console (dbops-gui) is not installed beside %s; run a command, see: dbops --help\n",
                     n > 0 ? self : "dbops");
        return 2;
    }
}

namespace
{
    /// Overwrites passwords in our own argv (postgresql://u:pw@h, password=pw) in place, so `ps`
    /// and /proc/PID/cmdline stop showing them for the rest of the run. The arguments were copied
    /// first; the CLI warns that a password in argv was visible until now.
    void hideSecretsInArgv(int argc, char *argv[])
    {
        for (int i = 1; i < argc; ++i)
        {
            const QString arg = QString::fromLocal8Bit(argv[i]);
            const QByteArray hidden = dbops::redactSecrets(arg).toLocal8Bit();
            const size_t length = std::strlen(argv[i]);
            if (hidden == QByteArray(argv[i]) || size_t(hidden.size()) > length)
                continue;
            std::memcpy(argv[i], hidden.constData(), size_t(hidden.size()));
            std::memset(argv[i] + hidden.size(), 0, length - size_t(hidden.size()));
        }
    }
}

int main(int argc, char *argv[])
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    hideSecretsInArgv(argc, argv);

    if (!dbops::cli::wantsCli(args))
        return execGui(argv);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"dbops"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(DBOPS_VERSION));
    return dbops::cli::run(args);
}
