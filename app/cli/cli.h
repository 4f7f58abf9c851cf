#pragma once

#include <QStringList>

namespace dbops::cli
{
    /// True when the arguments name a subcommand (or --help/--version): run headless.
    bool wantsCli(const QStringList &args);
    /// Runs the headless CLI; args[0] is the program. Returns the process exit code.
    int run(const QStringList &args);
}
