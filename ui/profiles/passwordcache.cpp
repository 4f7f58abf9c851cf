#include "ui/profiles/passwordcache.h"

#include <QTimer>

namespace dbops
{
    PasswordCache::PasswordCache(QObject *parent)
        : QObject(parent)
        , m_timer(new QTimer(this))
    {
        m_timer->setInterval(15 * 1000);
        connect(m_timer, &QTimer::timeout, this, &PasswordCache::expire);
    }

    PasswordCache::~PasswordCache()
    {
        for (Entry &e : m_entries)
            wipe(e);
    }

    bool PasswordCache::expired(const Entry &entry) const
    {
        return m_minutes > 0 && entry.typedAt.secsTo(QDateTime::currentDateTimeUtc()) >= qint64(m_minutes) * 60;
    }

    std::optional<QString> PasswordCache::password(const QString &profile) const
    {
        const auto it = m_entries.constFind(profile);
        if (it == m_entries.constEnd() || expired(*it))
            return std::nullopt;
        return it->password;
    }

    void PasswordCache::store(const QString &profile, const QString &password)
    {
        if (profile.isEmpty() || password.isEmpty())
            return;
        m_entries.insert(profile, Entry{password, QDateTime::currentDateTimeUtc()});
    }

    void PasswordCache::wipe(Entry &entry)
    {
        entry.password.fill(QChar(u'\0'));
        entry.password.clear();
    }

    void PasswordCache::forget(const QString &profile)
    {
        auto it = m_entries.find(profile);
        if (it == m_entries.end())
            return;
        wipe(*it);
        m_entries.erase(it);
        emit forgotten(profile);
    }

    void PasswordCache::clear()
    {
        const QStringList names = m_entries.keys();
        for (const QString &name : names)
            forget(name);
    }

    void PasswordCache::setForgetAfterMinutes(int minutes)
    {
        m_minutes = qMax(0, minutes);
        if (m_minutes > 0)
            m_timer->start();
        else
            m_timer->stop();
        expire();
    }

    void PasswordCache::expire()
    {
        QStringList gone;
        for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
            if (expired(*it))
                gone << it.key();
        for (const QString &name : gone)
            forget(name);
    }
}
