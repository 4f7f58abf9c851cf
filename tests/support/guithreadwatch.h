#pragma once

#include "core/db/threadguard.h"

#include <QTest>
#include <QThread>

#include <utility>

/// The GUI-thread guard for a UI suite (DESIGN.md, Threads: the GUI thread never calls libpq or
/// SQLite). initTestCase calls watchGuiThread(); the test's own fixture work on that thread (a
/// scratch database, a profile it saves, a row it reads back to check) runs inside fixture(), which
/// the guard does not count; cleanupTestCase calls verifyGuiThreadClean(): the code under test made
/// no libpq and no SQLite call on the GUI thread in the whole suite.
namespace dbops::test
{
    inline void watchGuiThread()
    {
        setGuiThread(QThread::currentThread());
    }

    /// The guard does not count what the test does itself while this lives (no event is handled
    /// meanwhile, so no code under test runs in it).
    class FixtureWork final
    {
    public:
        FixtureWork()
            : m_watched(guiThread())
        {
            setGuiThread(nullptr);
        }
        ~FixtureWork() { setGuiThread(m_watched); }
        FixtureWork(const FixtureWork &) = delete;
        FixtureWork &operator=(const FixtureWork &) = delete;

    private:
        QThread *m_watched;
    };

    template <class F>
    decltype(auto) fixture(F &&work)
    {
        FixtureWork pause;
        return std::forward<F>(work)();
    }

    namespace detail
    {
        /// What the guard's self-tests counted on purpose (countedOnGuiThread).
        inline quint64 excusedDatabaseCalls = 0;
    }

    /// The guard's own self-test: runs `work` (a direct libpq call; no event is handled in it) on the
    /// watched thread, where the guard counts it, and returns how many libpq calls it counted.
    /// verifyGuiThreadClean() excuses exactly those, and no other.
    template <class F>
    quint64 countedOnGuiThread(F &&work)
    {
        const quint64 before = guiThreadDatabaseCalls();
        std::forward<F>(work)();
        const quint64 counted = guiThreadDatabaseCalls() - before;
        detail::excusedDatabaseCalls += counted;
        return counted;
    }

    /// For cleanupTestCase.
    inline void verifyGuiThreadClean()
    {
        QCOMPARE(guiThreadDatabaseCalls() - detail::excusedDatabaseCalls, quint64(0));
        QCOMPARE(guiThreadStoreCalls(), quint64(0));
    }
}
