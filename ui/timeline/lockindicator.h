#pragma once

#include "core/ops/migrateops.h"

#include <QLabel>
#include <QSet>

namespace dbops
{
    /// The migration lock of the shown profile: free, held by us (one of this console's own
    /// migrate sessions, by backend pid), or held by another session with its pid, user,
    /// application and age. The view feeds it from a periodic job; it only renders values.
    class LockIndicator final : public QLabel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(LockIndicator)

    public:
        enum class Kind
        {
            Unknown,
            Free,
            HeldByUs,
            HeldByOther,
            Error
        };

        explicit LockIndicator(QWidget *parent = nullptr);

        void setStatus(const LockStatus &status, const QSet<int> &ourBackends);
        void setError(const QString &message);
        void setUnknown();
        Kind kind() const { return m_kind; }
        int holderPid() const { return m_pid; }

        /// "3 s", "4 min 12 s", "2 h 5 min".
        static QString formatAge(qint64 seconds);

    private:
        void show(Kind kind, const QString &html, const QString &tooltip);

        Kind m_kind = Kind::Unknown;
        int m_pid = 0;
    };
}
