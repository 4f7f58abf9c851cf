#include "ui/main/connectionstatus.h"

#include "ui/main/connectioncontroller.h"
#include "ui/widgets/elidedlabel.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QFrame *separator(QWidget *parent)
        {
            auto *line = new QFrame(parent);
            line->setFrameShape(QFrame::VLine);
            line->setFrameShadow(QFrame::Sunken);
            return line;
        }
    }

    ConnectionStatus::ConnectionStatus(QWidget *parent)
        : QWidget(parent)
        , m_dot(new QLabel(this))
        , m_state(new ElidedLabel(this))
        , m_version(new QLabel(this))
        , m_latency(new QLabel(this))
        , m_ssl(new QLabel(this))
        , m_user(new QLabel(this))
    {
        setObjectName(u"connectionStatus"_s);
        m_state->setObjectName(u"connectionStateLabel"_s);
        m_version->setObjectName(u"serverVersionLabel"_s);
        m_latency->setObjectName(u"latencyLabel"_s);
        m_ssl->setObjectName(u"sslLabel"_s);
        m_user->setObjectName(u"userLabel"_s);
        auto *layout = new QHBoxLayout(this);
        layout->setContentsMargins(4, 0, 4, 0);
        layout->setSpacing(8);
        layout->addWidget(m_dot);
        layout->addWidget(m_state, 1);
        layout->addWidget(separator(this));
        layout->addWidget(m_version);
        layout->addWidget(separator(this));
        layout->addWidget(m_latency);
        layout->addWidget(separator(this));
        layout->addWidget(m_ssl);
        layout->addWidget(separator(this));
        layout->addWidget(m_user);
    }

    void ConnectionStatus::update(const ConnectionController &c)
    {
        using State = ConnectionController::State;
        QString color = u"#9e9e9e"_s;
        const QString attempt = c.attemptProfile().name;
        if (c.isConnected())
        {
            // The target, always; an attempt beside it is said after it.
            color = u"#2e7d32"_s;
            QString text = u"Connected to %1"_s.arg(c.profile().name);
            if (c.state() == State::Connecting)
                text += u" · connecting to %1…"_s.arg(attempt);
            else if (c.attemptFailedKeepingTarget())
                text +=
                    c.lastError().isCancelled() ? u" · connect to %1 cancelled"_s.arg(attempt) : u" · connect to %1 failed"_s.arg(attempt);
            m_state->setText(text);
        }
        else
        {
            switch (c.state())
            {
            case State::Disconnected:
                m_state->setText(c.lastError().isCancelled() ? u"Not connected (connect to %1 cancelled)"_s.arg(attempt)
                                                             : u"Not connected"_s);
                break;
            case State::Connecting:
                color = u"#c77800"_s;
                m_state->setText(u"Connecting to %1…"_s.arg(attempt));
                break;
            case State::Failed:
                color = u"#c62828"_s;
                m_state->setText(u"Connection to %1 failed"_s.arg(attempt));
                break;
            case State::Connected:
                break;
            }
        }
        m_state->setDetail(c.hasAttemptError() ? c.lastError().toString() : c.profile().targetDescription());
        m_dot->setText(u"<span style='color:%1; font-size:14pt'>●</span>"_s.arg(color));

        const bool connected = c.isConnected();
        const ServerInfo &s = c.server();
        if (connected && c.isSqlite())
            m_version->setText(u"SQLite %1"_s.arg(c.sqliteVersion()));
        else
            m_version->setText(connected ? u"PostgreSQL %1"_s.arg(s.serverVersion) : u"server —"_s);
        m_latency->setText(connected && !c.isSqlite() ? u"%1 ms round trip"_s.arg(s.latencyMs, 0, 'f', 2) : u"latency —"_s);
        m_ssl->setText(connected && !c.isSqlite() ? (s.ssl ? u"SSL %1"_s.arg(s.sslProtocol) : u"no SSL"_s) : u"SSL —"_s);
        m_user->setText(connected && !c.isSqlite() ? s.currentUser + (s.superuser ? u" (superuser)"_s : QString()) : u"user —"_s);
    }

    QString ConnectionStatus::stateText() const
    {
        return m_state->text();
    }

    QString ConnectionStatus::serverVersionText() const
    {
        return m_version->text();
    }
}
