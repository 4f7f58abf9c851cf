#pragma once

#include "core/jobs/jobmanager.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace dbops::test
{
    /// What a console suite builds its windows on: a private data folder (usePrivateHome) and, per
    /// test, a fresh store, profile store and job manager. start() in initTestCase (after
    /// DBOPS_REQUIRE_PG), open() in init, close() in cleanup. The store is opened off the GUI
    /// thread's guard (fixture work), so a suite that watches the GUI thread counts only the code
    /// under test.
    class TestServices final
    {
    public:
        /// The private data folder exists and is this process's DBOPS_HOME.
        bool start();
        /// A new store file (one per test, so no test sees another's rows); false when it did not open.
        bool open();
        /// Waits for running jobs (5 s) and drops the three, jobs first.
        void close();

        QTemporaryDir home;
        std::unique_ptr<Store> store;
        std::unique_ptr<ProfileStore> profiles;
        std::unique_ptr<JobManager> jobs;

    private:
        int m_counter = 0;
    };
}
