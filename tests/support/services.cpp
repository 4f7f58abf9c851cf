#include "tests/support/services.h"

#include "tests/support/guithreadwatch.h"
#include "tests/support/pgfixture.h"

#include <QDebug>

using namespace Qt::Literals::StringLiterals;

namespace dbops::test
{
    bool TestServices::start()
    {
        if (!home.isValid())
            return false;
        usePrivateHome(home.path());
        return true;
    }

    bool TestServices::open()
    {
        store = std::make_unique<Store>(home.filePath(u"store-%1.sqlite"_s.arg(++m_counter)));
        auto opened = fixture([&] { return store->open(); });
        if (!opened)
        {
            qWarning() << "the test store did not open:" << opened.error().toString();
            return false;
        }
        profiles = std::make_unique<ProfileStore>(*store);
        jobs = std::make_unique<JobManager>();
        return true;
    }

    void TestServices::close()
    {
        if (jobs)
            jobs->shutdown(5000);
        jobs.reset();
        profiles.reset();
        store.reset();
    }
}
