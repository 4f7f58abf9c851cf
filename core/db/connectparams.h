#pragma once

#include "core/error.h"

#include <QList>
#include <QPair>
#include <QString>

namespace dbops
{
    /// libpq connection keywords, in order, without any password (STYLE: no secret in a file or
    /// a log of ours). The password travels separately and only into PQconnectdbParams.
    struct ConnectParams
    {
        QList<QPair<QString, QString>> keywords;
        QString password; ///< from the keychain or a prompt; never logged, never stored

        QString value(const QString &key) const;
        void set(const QString &key, const QString &value);
        void remove(const QString &key);
        bool has(const QString &key) const { return !value(key).isEmpty(); }

        /// Parses a libpq URI (postgresql://...) or keyword string with PQconninfoParse.
        /// A password in the text is moved into `password`. Malformed input -> BadInput with
        /// libpq's own explanation.
        static Expected<ConnectParams> parse(const QString &conninfo);

        /// A keyword string for display and logs, with the password left out.
        QString toDisplayString() const;
        /// "user@host:port/db", the short form for titles; several hosts as "user@h1:5433,h2:5434/db".
        QString shortName() const;
        /// The (host, port) pairs libpq tries in order: `host` (else `hostaddr`) split at commas,
        /// `port` one for all or one per host (empty: the default).
        QList<QPair<QString, QString>> hostPorts() const;
    };
}
