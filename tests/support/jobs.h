#pragma once

#include "core/jobs/job.h"

#include <functional>

namespace dbops::test
{
    /// Runs body synchronously as a Job on this thread (the engine's real entry point).
    Expected<QVariant> runInJob(const std::function<QVariant(JobContext &)> &body);
}
