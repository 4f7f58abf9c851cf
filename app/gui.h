#pragma once

namespace dbops
{
    /// The GUI's composition root (STYLE L7): builds the services, hands them to MainWindow, runs
    /// the event loop, and at exit stops the local sandbox if this process started it.
    int runGui(int argc, char *argv[]);
}
