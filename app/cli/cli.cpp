#include "app/cli/cli.h"

#include "app/cli/commands.h"
#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    namespace
    {
        /// Every command of the CLI, declared (commands.h); a group holds subcommands.
        struct Entry
        {
            std::optional<CommandSpec> command;
            std::optional<CommandGroup> group;
            QString name() const { return command ? command->name : group->name; }
            QString summary() const { return command ? command->summary : group->summary; }
        };

        QList<Entry> commands()
        {
            QList<Entry> all;
            for (const CommandSpec &c : migrationCommands())
                all.append({c, {}});
            for (const CommandSpec &c : lockCommands())
                all.append({c, {}});
            all.append({{}, profilesCommands()});
            all.append({sandboxCommand(), {}});
            all.append({backupCommand(), {}});
            all.append({{}, backupsCommands()});
            all.append({restoreCommand(), {}});
            for (const CommandSpec &c : schemaCommands())
                all.append({c, {}});
            all.append({lintCommand(), {}});
            return all;
        }

        void printUsage(const QList<Entry> &all)
        {
            out() << "dbops " DBOPS_VERSION " - operations console for PostgreSQL\n\n"
                  << "Usage: dbops                  open the console (GUI)\n"
                  << "       dbops COMMAND [options] run a command headless\n\n"
                  << "Commands:\n";
            for (const Entry &e : all)
                out() << "  " << e.name().leftJustified(12) << e.summary() << "\n";
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
            printUsage(commands());
            return 0;
        }
        const QList<Entry> all = commands();
        const auto command = std::find_if(all.begin(), all.end(), [&first](const Entry &e) { return e.name() == first; });
        if (command == all.end())
        {
            err() << "dbops: unknown command '" << first << "'\n";
            printUsage(all);
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
        return command->command ? runCommand(*command->command, ctx, ctx.args) : runGroup(*command->group, ctx, ctx.args);
    }
}
