#pragma once

#include "core/db/profile.h"

#include <QFrame>

class QLabel;

namespace dbops
{
    /// The strip across the top of the window naming the environment of the profile in use, in
    /// its colour. Production is a red band with a bold PRODUCTION and a thick dark border.
    class EnvironmentBanner final : public QFrame
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(EnvironmentBanner)

    public:
        explicit EnvironmentBanner(QWidget *parent = nullptr);

        /// No target: a neutral strip (no environment colour); `status` says what is going on.
        void showDisconnected(const QString &status = {});
        void showProfile(const ConnectionProfile &profile, const QString &status);

        /// "PRODUCTION", "DEVELOPMENT", ... or empty when no profile is shown.
        QString environmentText() const;
        QString detailText() const;
        QString statusText() const;
        bool isProduction() const { return m_production; }

    private:
        QLabel *m_environment;
        QLabel *m_detail;
        QLabel *m_status;
        bool m_production = false;
    };
}
