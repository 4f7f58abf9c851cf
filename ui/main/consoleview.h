#pragma once

#include <QString>

namespace dbops
{
    /// A central view of the console. Every one acts on the console's one target (the connected
    /// profile, ConnectionController::target()) and nothing else, and can be refreshed (F5).
    class ConsoleView
    {
    public:
        virtual ~ConsoleView() = default;
        /// The profile this view shows and acts on now; empty when it is bound to none. Always
        /// the console's target (tests assert it for every view after every connect).
        virtual QString targetProfileName() const = 0;
        /// Reads again what the view shows (F5).
        virtual void refresh() = 0;
    };
}
