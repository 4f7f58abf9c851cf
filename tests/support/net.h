#pragma once

#include <QtGlobal>

namespace dbops::test
{
    /// A TCP port on 127.0.0.1 where nothing listens (bound, then released): a connection is refused.
    int deadPort();

    /// A TCP port on 127.0.0.1 that listens and never accepts nor answers: the kernel completes
    /// the handshake, then a client waits for a reply that never comes (a hung server).
    class HungListener final
    {
    public:
        HungListener();
        ~HungListener();
        HungListener(const HungListener &) = delete;
        HungListener &operator=(const HungListener &) = delete;
        quint16 port() const { return m_port; }

    private:
        int m_fd = -1;
        quint16 m_port = 0;
    };
}
