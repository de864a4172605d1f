// RunInParallel: many scenario runs (the seeds of `bitsh run --seeds`, the points of a sweep) on
// a bounded number of threads. Runs share nothing (scenario_runner.h), so any order is safe; the
// results come back in index order, so reports do not depend on which thread finished first.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "scenarios/scenario_runner.h"

namespace bitsh::scenarios {

// Calls run(0) ... run(count - 1) on up to `jobs` threads (at least one) and returns the results
// by index. `trim`, when given, is applied to each result on its thread as soon as it is done:
// a thousand runs need not keep a thousand event logs.
std::vector<ScenarioResult> RunInParallel(std::size_t count, unsigned jobs,
                                          const std::function<ScenarioResult(std::size_t)>& run,
                                          const std::function<void(ScenarioResult&)>& trim = {});

// Drops what only a single run's reports need (event log, trace text, request log), keeping
// the verdict, the outcomes, the seed and the times.
void DropTraces(ScenarioResult& result);

}  // namespace bitsh::scenarios
