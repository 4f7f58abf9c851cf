#pragma once

#include "app/cli/command.h"

namespace dbops::cli
{
    // Each command's declaration, in its own file (cmd_*.cpp).
    CommandGroup profilesCommands();
    CommandSpec sandboxCommand();
    QList<CommandSpec> migrationCommands(); ///< info, migrate, validate, repair, baseline, down, adopt
    QList<CommandSpec> lockCommands();      ///< locks, cancel, terminate
    CommandSpec backupCommand();
    CommandGroup backupsCommands();
    CommandSpec restoreCommand();
    QList<CommandSpec> schemaCommands(); ///< diff, snapshot
    CommandSpec lintCommand();
}
