#include "core/db/secretstore.h"

#include <QEventLoop>
#include <QTimer>

#include <qt6keychain/keychain.h>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        const QString kService = u"dbops"_s;

        /// Runs a keychain job to completion with a local event loop and a time limit.
        bool runJob(QKeychain::Job &job)
        {
            job.setAutoDelete(false);
            job.setInsecureFallback(false); // never a plain-text file
            QEventLoop loop;
            QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
            QTimer::singleShot(10000, &loop, &QEventLoop::quit);
            job.start();
            loop.exec();
            return job.error() == QKeychain::NoError;
        }
    }

    bool SecretStore::isAvailable()
    {
        if (qEnvironmentVariable("DBOPS_KEYCHAIN") == u"off"_s)
            return false;
#if defined(Q_OS_LINUX)
        return !qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS").isEmpty();
#else
        return true;
#endif
    }

    Expected<QString> SecretStore::readPassword(const QString &key)
    {
        if (!isAvailable())
            return fail(ErrorCode::NotFound, u"no OS keychain is available"_s);
        QKeychain::ReadPasswordJob job(kService);
        job.setKey(key);
        if (!runJob(job))
        {
            if (job.error() == QKeychain::EntryNotFound)
                return fail(ErrorCode::NotFound, u"no password stored for "_s + key);
            return fail(ErrorCode::Io, u"keychain: "_s + job.errorString());
        }
        return job.textData();
    }

    Expected<void> SecretStore::writePassword(const QString &key, const QString &password)
    {
        if (!isAvailable())
            return fail(ErrorCode::Io, u"no OS keychain is available; use ~/.pgpass or enter the password when asked"_s);
        QKeychain::WritePasswordJob job(kService);
        job.setKey(key);
        job.setTextData(password);
        if (!runJob(job))
            return fail(ErrorCode::Io, u"keychain: "_s + job.errorString());
        return {};
    }

    Expected<void> SecretStore::deletePassword(const QString &key)
    {
        if (!isAvailable())
            return {};
        QKeychain::DeletePasswordJob job(kService);
        job.setKey(key);
        if (!runJob(job) && job.error() != QKeychain::EntryNotFound)
            return fail(ErrorCode::Io, u"keychain: "_s + job.errorString());
        return {};
    }
}
