#pragma once

#include "core/db/profile.h"
#include "core/error.h"

namespace dbops
{
    class CancelToken;
    class ProfileStore;

    /// The embedded default: a persistent cluster in the app data folder behind the "Local
    /// sandbox" profile, pointing at the demo project, started on demand and stopped on exit.
    /// Blocking: call from a job or the CLI.
    class LocalSandbox final
    {
    public:
        static QString profileName();
        static QString demoDatabase();
        static QString dataDir();

        /// With no profiles at all, creates the "Local sandbox" profile. Returns true if it did.
        static Expected<bool> ensureDefaultProfile(ProfileStore &profiles);
        /// Starts the cluster (initdb and the demo database on first use), and points the
        /// managed profile(s) at its socket and port. Returns the up-to-date profile.
        static Expected<ConnectionProfile> start(ProfileStore &profiles, CancelToken *token = nullptr);
        static Expected<void> stop();
        static bool isRunning();
        /// The libpq URI of the demo database, when running.
        static Expected<QString> url();
    };
}
