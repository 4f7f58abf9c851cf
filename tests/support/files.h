#pragma once

#include <QByteArray>
#include <QString>

namespace dbops::test
{
    /// Writes a file (creating folders, replacing what was there); returns its path. A file that
    /// cannot be written ends the test executable with the path (a broken scratch folder).
    QString writeFile(const QString &dir, const QString &name, const QByteArray &bytes);
    /// The file's bytes; empty when it cannot be read.
    QByteArray readFile(const QString &path);
    /// Copies the demo project's migrations into dir.
    void copyDemoMigrations(const QString &dir);
}
