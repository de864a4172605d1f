#include "scenarios/parallel_runs.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace bitsh::scenarios {

std::vector<ScenarioResult> RunInParallel(std::size_t count, unsigned jobs,
                                          const std::function<ScenarioResult(std::size_t)>& run,
                                          const std::function<void(ScenarioResult&)>& trim) {
  std::vector<ScenarioResult> results(count);
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t index = next++; index < count; index = next++) {
      results[index] = run(index);  // each index is written by one thread only
      if (trim) trim(results[index]);
    }
  };
  const std::size_t threads = std::min<std::size_t>(std::max(jobs, 1u), count);
  std::vector<std::thread> workers;
  for (std::size_t i = 1; i < threads; ++i) workers.emplace_back(work);
  work();  // this thread works too
  for (std::thread& worker : workers) worker.join();  // before `results` is returned (moved)
  return results;
}

void DropTraces(ScenarioResult& result) {
  result.events = {};
  result.trace = {};
  result.requests = {};
}

}  // namespace bitsh::scenarios
