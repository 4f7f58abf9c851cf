#include "app/cli/cli.h"

#include <QCoreApplication>

#ifdef DBOPS_HAVE_UI
#include "app/gui.h"
#endif

using namespace Qt::Literals::StringLiterals;

int main(int argc, char *argv[])
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);

    if (dbops::cli::wantsCli(args))
    {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(u"dbops"_s);
        QCoreApplication::setApplicationVersion(QStringLiteral(DBOPS_VERSION));
        return dbops::cli::run(args);
    }
#ifdef DBOPS_HAVE_UI
    return dbops::runGui(argc, argv);
#else
    return dbops::cli::run({args.value(0), u"--help"_s});
#endif
}
