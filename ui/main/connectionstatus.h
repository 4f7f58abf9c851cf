#pragma once

#include <QWidget>

class QLabel;

namespace dbops
{
    class ConnectionController;
    class ElidedLabel;

    /// The status bar's connection summary: state, target, server version, round trip, SSL, user.
    class ConnectionStatus final : public QWidget
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(ConnectionStatus)

    public:
        explicit ConnectionStatus(QWidget *parent = nullptr);

        void update(const ConnectionController &connection);

        QString stateText() const;
        QString serverVersionText() const;

    private:
        QLabel *m_dot;
        ElidedLabel *m_state;
        QLabel *m_version;
        QLabel *m_latency;
        QLabel *m_ssl;
        QLabel *m_user;
    };
}
