#pragma once

#include "core/db/profile.h"
#include "core/db/serverinfo.h"
#include "core/jobs/job.h"

#include <QList>
#include <QMetaType>

#include <functional>
#include <optional>

namespace dbops
{
    class ProfileStore;

    /// What a connect or test job returns.
    struct ProbeResult
    {
        ServerInfo server;
        QString profileName;
        bool sqlite = false;
        QString sqliteVersion;
        /// Set (and nothing else is) when no password was supplied and the server refused the
        /// connection for want of one: the attempt needs a prompt; the job did not fail.
        std::optional<Error> passwordNeeded;
    };

    /// What the console's startup job returns: the profiles, after the "Local sandbox" profile was
    /// created when there were none.
    struct SessionProfiles
    {
        QList<ConnectionProfile> profiles;
        std::optional<Error> defaultProfileError; ///< could not create the sandbox profile
    };
}

Q_DECLARE_METATYPE(dbops::ProbeResult)
Q_DECLARE_METATYPE(dbops::SessionProfiles)

/// Typed job bodies for profiles: everything here runs on a worker thread (libpq, the keychain's
/// local event loop, the sandbox's processes, and the SQLite store: the GUI thread never calls the
/// store), started through ViewJobs. A store call that fails throws its error (the job fails).
namespace dbops::profilejobs
{
    template <class T>
    using Body = std::function<T(JobContext &)>;

    /// Opens a connection for the profile (Connector starts the managed sandbox on demand) and
    /// probes the server; for a SQLite profile opens the file read-only.
    /// `password` empty: the keychain (when the profile saves one), ~/.pgpass or PGPASSWORD; when
    /// none of them has one and the server asks for it, the result says passwordNeeded (the job
    /// succeeds: it is a question, not a failure). A refused typed password fails (Auth).
    Body<ProbeResult> probe(ProfileStore *profiles, ConnectionProfile profile, QString password);

    Body<QList<ConnectionProfile>> list(ProfileStore *profiles);
    /// Creates the "Local sandbox" profile when there are none, then lists them.
    Body<SessionProfiles> startSession(ProfileStore *profiles);
    /// NotFound naming the profile and the ones that exist.
    Body<ConnectionProfile> get(ProfileStore *profiles, QString name);
    /// Validates and stores (inserts or updates by id); returns the stored profile.
    Body<ConnectionProfile> save(ProfileStore *profiles, ConnectionProfile profile);
    /// Removes the profile; returns it as it was.
    Body<ConnectionProfile> remove(ProfileStore *profiles, QString name);

    Body<void> writePassword(QString key, QString password);
    Body<void> deletePassword(QString key);
    /// After a rename: moves the keychain entry from one key to the other.
    Body<void> movePassword(QString fromKey, QString toKey);
}
