#pragma once

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QString>

#include <optional>

class QTimer;

namespace dbops
{
    /// The passwords typed in this session, per profile name, kept in memory only: never written
    /// to a file, a log, the store or the keychain. Without an OS keychain this is what spares the
    /// DBA a prompt on every connect. A profile's entry is dropped on an explicit disconnect of it
    /// (forget()), all of them on quit (clear()), and, when forgetAfterMinutes() > 0, each one that
    /// many minutes after it was typed.
    class PasswordCache final : public QObject
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(PasswordCache)

    public:
        explicit PasswordCache(QObject *parent = nullptr);
        ~PasswordCache() override;

        /// The password typed for `profile` (nullopt: none, or it has expired).
        std::optional<QString> password(const QString &profile) const;
        bool contains(const QString &profile) const { return password(profile).has_value(); }
        /// Keeps `password` for `profile` (an empty one is not kept).
        void store(const QString &profile, const QString &password);
        void forget(const QString &profile);
        void clear();
        /// 0: kept until disconnect or quit.
        void setForgetAfterMinutes(int minutes);
        int forgetAfterMinutes() const { return m_minutes; }
        int size() const { return int(m_entries.size()); }

    signals:
        /// A profile's password was dropped (forget, clear or expiry).
        void forgotten(const QString &profile);

    private:
        struct Entry
        {
            QString password;
            QDateTime typedAt;
        };
        bool expired(const Entry &entry) const;
        void expire();
        void wipe(Entry &entry);

        QHash<QString, Entry> m_entries;
        int m_minutes = 0;
        QTimer *m_timer;
    };
}
