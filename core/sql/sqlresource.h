#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <initializer_list>
#include <utility>

namespace dbops
{
    /// Catalog, admin and history SQL lives in files DBAs can review (STYLE P4), not in C++ strings:
    /// core/<folder>/sql/<file>.sql, compiled in as the resource :/dbops/<folder>/<file>.sql by the
    /// folder's qt_add_resources, and loaded by name through this one loader.

    /// The text of the SQL resource `name`, "<folder>/<file>" (for example "locks/snapshot").
    /// Read once, then cached; thread-safe. Throws Exception(Internal) naming the resource when this
    /// build lacks it.
    QString sqlResource(QStringView name);

    /// One `${placeholder}` of a resource and the identifier that fills it.
    using SqlIdentifier = std::pair<QStringView, QString>;

    /// The resource with each `${placeholder}` replaced by an identifier that is already quoted
    /// (PgConnection::escapeIdentifier, quoteIdentifier), a schema-qualified name of quoted parts
    /// ("s"."t"), or a comma-separated list of those. Only identifiers go into the text: values
    /// always travel as $n parameters. Throws Exception(Internal) naming the resource when a
    /// placeholder has no identifier, an identifier has no placeholder, a filler is not quoted, or
    /// a placeholder stands in a `--` comment (a quoted identifier may hold a newline).
    QString sqlResource(QStringView name, std::initializer_list<SqlIdentifier> identifiers);

    /// The names of every SQL resource in this build ("backup/tables", "locks/snapshot", ...), sorted.
    QStringList sqlResourceNames();
}
