#pragma once

#include "core/db/profile.h"
#include "core/db/serverinfo.h"
#include "core/jobs/job.h"

#include <QMetaType>

namespace dbops
{
    class ProfileStore;

    /// What a connect or test job returns (as a QVariant).
    struct ProbeResult
    {
        ServerInfo server;
        QString profileName;
        bool sqlite = false;
        QString sqliteVersion;
    };
}

Q_DECLARE_METATYPE(dbops::ProbeResult)

/// Job bodies for profiles: everything here runs on a worker thread (libpq, the keychain's
/// local event loop, the sandbox's processes), never on the GUI thread.
namespace dbops::profilejobs
{
    /// Opens a connection for the profile (Connector starts the managed sandbox on demand) and
    /// probes the server; for a SQLite profile opens the file read-only. Result: ProbeResult.
    /// `password` empty: the keychain (when the profile saves one), ~/.pgpass or PGPASSWORD.
    Job::Body probe(ProfileStore *profiles, ConnectionProfile profile, QString password);
    Job::Body writePassword(QString key, QString password);
    Job::Body deletePassword(QString key);
    /// After a rename: moves the keychain entry from one key to the other.
    Job::Body movePassword(QString fromKey, QString toKey);
}
