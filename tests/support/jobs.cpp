#include "tests/support/jobs.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops::test
{
    Expected<QVariant> runInJob(const std::function<QVariant(JobContext &)> &body)
    {
        Job job(u"test"_s, body);
        job.run();
        if (job.state() == JobState::Succeeded)
            return job.result();
        return std::unexpected(job.error());
    }
}
