// bitsh run --seeds A..B: each scenario under every seed of the range (seeded faults draw other
// requests, generated content and job ids change); each failing seed is reported with the line
// that reproduces it.
#include <iostream>

#include "cli/commands.h"
#include "cli/run_seeds.h"
#include "scenarios/parallel_runs.h"
#include "scenarios/reports.h"

namespace bitsh::cli {

using scenarios::ScenarioResult;

namespace {

constexpr std::size_t kFailingSeedsShown = 5;    // in full, with their reproduce lines
constexpr std::size_t kSeedsListed = 50;     // by number
constexpr std::size_t kSeedsInJUnit = 100;   // as failed outcomes of the scenario's test case

// One scenario's runs over the seeds as one result for the summary and JUnit: it passes when
// every seed does; each failing seed's first failure becomes an outcome named by its seed.
ScenarioResult Combined(const scenarios::Scenario& scenario, const std::vector<ScenarioResult>& runs) {
  ScenarioResult combined;
  combined.path = scenario.path;
  combined.name = scenario.name;
  combined.seed = runs.front().seed;
  combined.passed = true;
  std::size_t listed = 0;
  for (const ScenarioResult& run : runs) {
    combined.wall_seconds += run.wall_seconds;
    combined.virtual_time += run.virtual_time;
    if (run.passed) continue;
    combined.passed = false;
    if (++listed > kSeedsInJUnit) continue;
    const std::string seed = "seed " + std::to_string(run.seed) + ": ";
    if (!run.internal_error.empty()) {
      combined.outcomes.push_back({{scenario.path, 1, 1}, false, seed + "the harness runs", run.internal_error});
      continue;
    }
    for (const scenarios::ExpectationOutcome& outcome : run.outcomes) {
      if (outcome.passed) continue;
      combined.outcomes.push_back({outcome.where, false, seed + outcome.what, outcome.actual});
      break;  // the first failure names the seed; the reproduce line shows the rest
    }
  }
  if (combined.passed) {
    combined.outcomes.push_back({{scenario.path, 1, 1}, true, "every seed passes", ""});
  }
  return combined;
}

}  // namespace

ExitCode RunSeeds(const std::vector<scenarios::Scenario>& loaded, const ValueRange& seeds,
                  const scenarios::RunOptions& options, const RunArguments& arguments,
                  const scenarios::ConsoleStyle& style) {
  if (!style.quiet) {
    std::cout << "bitsh: running " << loaded.size() << " scenario(s) against the fake BITS, each with seeds "
              << seeds.first << ".." << seeds.last << " (" << seeds.size() << " runs)\n";
  }
  std::vector<ScenarioResult> combined;
  bool failed_expectation = false;  // a seed failed an expectation, not only the harness
  for (const scenarios::Scenario& scenario : loaded) {
    const std::vector<ScenarioResult> runs = scenarios::RunInParallel(
        seeds.size(), arguments.jobs,
        [&](std::size_t index) {
          scenarios::RunOptions seeded = options;
          seeded.seed = seeds.first + index;
          return scenarios::RunScenario(scenario, seeded);
        },
        scenarios::DropTraces);
    combined.push_back(Combined(scenario, runs));
    std::vector<std::uint64_t> failing;
    for (const ScenarioResult& run : runs) {
      if (!run.passed) failing.push_back(run.seed);
      failed_expectation = failed_expectation || (!run.passed && run.internal_error.empty());
    }
    if (failing.empty()) {
      if (!style.quiet) {
        std::cout << (style.color ? "\033[32mPASS\033[0m" : "PASS") << "  " << scenario.path << "  " << scenario.name
                  << "  (every one of " << runs.size() << " seeds)\n";
      }
      continue;
    }
    std::cout << (style.color ? "\033[1;31mFAIL\033[0m" : "FAIL") << "  " << scenario.path << "  " << scenario.name
              << "  (" << failing.size() << " of " << runs.size() << " seeds fail:";
    for (std::size_t i = 0; i < failing.size() && i < kSeedsListed; ++i) std::cout << " " << failing[i];
    std::cout << (failing.size() > kSeedsListed ? " ...)\n" : ")\n");
    std::size_t shown = 0;
    for (const ScenarioResult& run : runs) {
      if (run.passed) continue;
      if (shown++ == kFailingSeedsShown) break;
      scenarios::PrintResultLine(std::cout, run, {.color = style.color});
    }
  }
  std::size_t failed = 0;
  for (const ScenarioResult& result : combined) failed += result.passed ? 0 : 1;
  std::cout << "\n" << combined.size() - failed << " passed on every seed, " << failed << " failed on some\n";
  // As bitsh run: a failed expectation gives 1; only harness errors (no port...) give 3.
  const ExitCode verdict = failed_expectation ? ExitCode::kFailed : failed > 0 ? ExitCode::kInternal : ExitCode::kOk;
  if (!arguments.junit.empty() && !WriteFileAtomically(arguments.junit, scenarios::JUnitXml(combined))) {
    std::cerr << "bitsh run: cannot write " << arguments.junit << "\n";
    return failed_expectation ? ExitCode::kFailed : ExitCode::kInternal;
  }
  return verdict;
}

}  // namespace bitsh::cli
