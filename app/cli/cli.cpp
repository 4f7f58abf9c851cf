#include "app/cli/cli.h"

#include "app/cli/common.h"
#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"

#include <span>

using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    // One handler per command, each in its own file (cmd_*.cpp).
    int cmdProfiles(Context &ctx);
    int cmdSandbox(Context &ctx);
    int cmdBackup(Context &ctx);
    int cmdBackups(Context &ctx);
    int cmdRestore(Context &ctx);
    int cmdInfo(Context &ctx);
    int cmdMigrate(Context &ctx);
    int cmdValidate(Context &ctx);
    int cmdRepair(Context &ctx);
    int cmdBaseline(Context &ctx);
    int cmdDown(Context &ctx);
    int cmdAdopt(Context &ctx);
    int cmdLocks(Context &ctx);
    int cmdCancel(Context &ctx);
    int cmdTerminate(Context &ctx);

    namespace
    {
        constexpr Command kCommands[] = {
            {"info", "The migration timeline: every migration with its state", &cmdInfo},
            {"migrate", "Apply pending migrations under the migration lock [--target V] [--dry-run]", &cmdMigrate},
            {"validate", "Check the history against the files; exit 1 listing problems", &cmdValidate},
            {"repair", "Show, then fix the history: checksums, failed rows, missing files", &cmdRepair},
            {"baseline", "Mark an existing database as being at --version V", &cmdBaseline},
            {"down", "Run down/undo migrations back to --target V", &cmdDown},
            {"adopt", "Take over another tool's history (sqlx, Flyway, golang-migrate, plain) into dbops'", &cmdAdopt},
            {"locks", "Sessions, locks and blocking chains [--json] [--watch S]", &cmdLocks},
            {"cancel", "Cancel a backend's running query: cancel PID [--yes]", &cmdCancel},
            {"terminate", "Terminate a backend's session: terminate PID [--yes]", &cmdTerminate},
            {"profiles", "Connection profiles: list, add, remove, test", &cmdProfiles},
            {"sandbox", "The embedded local PostgreSQL: start, stop, url, status", &cmdSandbox},
            {"backup", "A verified backup (pg_dump of the server's version) [--format custom|directory] [--jobs N] [--label T]", &cmdBackup},
            {"backups", "The backup catalog: list, verify ID, test-restore ID, policy, tools", &cmdBackups},
            {"restore", "Restore ID|PATH --into NEWDB, or --replace DBNAME --confirm DBNAME", &cmdRestore},
        };

        void printUsage()
        {
            out() << "dbops " DBOPS_VERSION " - operations console for PostgreSQL\n\n"
                  << "Usage: dbops                  open the console (GUI)\n"
                  << "       dbops COMMAND [options] run a command headless\n\n"
                  << "Commands:\n";
            for (const Command &c : kCommands)
                out() << "  " << QString::fromLatin1(c.name).leftJustified(12) << c.summary << "\n";
            out() << "\nTarget: --db URL (libpq URI or keyword string; sqlite:PATH), --profile NAME, or DATABASE_URL.\n"
                  << "Every command takes --help. --json prints one JSON document on stdout; logs go to stderr.\n"
                  << "Exit codes: 0 ok, 1 problems found, 2 bad usage or input, 3 cannot connect,\n"
                  << "            4 migration lock not acquired, 5 operation failed and rolled back.\n";
            out().flush();
        }
    }

    bool wantsCli(const QStringList &args)
    {
        return args.size() > 1;
    }

    int run(const QStringList &args)
    {
        const QString first = args.value(1);
        if (first == u"--version"_s || first == u"-v"_s || first == u"version"_s)
        {
            out() << "dbops " DBOPS_VERSION << Qt::endl;
            return 0;
        }
        if (first == u"--help"_s || first == u"-h"_s || first == u"help"_s)
        {
            printUsage();
            return 0;
        }
        const Command *command = nullptr;
        for (const Command &c : kCommands)
            if (first == QLatin1StringView(c.name))
                command = &c;
        if (!command)
        {
            err() << "dbops: unknown command '" << first << "'\n";
            printUsage();
            return 2;
        }

        logging::Options logOptions;
        logOptions.toBuffer = false;
        logOptions.stderrLevel = qEnvironmentVariableIsSet("DBOPS_DEBUG") ? spdlog::level::debug : spdlog::level::warn;
        logging::init(logOptions);

        Store store; // opened on first use: `--db` runs that need no profile never load SQLite
        store.openOnFirstUse();
        ProfileStore profiles(store);
        JobManager jobs;
        Context ctx{&store, &profiles, &jobs, args.mid(1)};
        return command->handler(ctx);
    }
}
