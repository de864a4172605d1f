// bitsh sweep: one scenario once per placement of a fault (scenarios/sweep.h); a table of the
// verdicts, each failing point with the line that reproduces it alone, and a JUnit file.
#include <chrono>
#include <iostream>

#include "cli/commands.h"
#include "cli/value_range.h"
#include "scenarios/reports.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/sweep.h"
#include "backend/units.h"

namespace bitsh::cli {
namespace {

constexpr std::size_t kFailingPointsShown = 10;  // in full; the table shows the rest

// The plan the options describe, before it is resolved against the scenario.
Result<scenarios::SweepPlan> PlanOf(const SweepArguments& arguments) {
  scenarios::SweepPlan plan;
  const std::optional<server::FaultKind> kind = server::ParseFaultKind(arguments.fault);
  if (!kind) return Status::InvalidArg("--fault '" + arguments.fault + "' is not a fault kind");
  plan.kind = *kind;
  plan.path = arguments.path;
  const auto size_or_end = [](std::string_view text) -> std::optional<std::uint64_t> {
    if (text == "END") return scenarios::kEndOfFile;
    return ParseSize(text);
  };
  Result<ValueRange> at = ParseValueRange("--at", arguments.at, "a size (65536, 64KiB) or END", size_or_end);
  if (!at.ok()) return at.status();
  plan.from = at->first;
  plan.to = at->last;
  if (!arguments.step.empty()) {
    const std::optional<std::uint64_t> step = ParseSize(arguments.step);
    if (!step || *step == 0) return Status::InvalidArg("--step '" + arguments.step + "' is not a size above 0 (4KiB, 65536)");
    plan.step = *step;
  }
  Result<ValueRange> requests = ParseValueRange("--request", arguments.request, "a whole number", ReadWholeNumber);
  if (!requests.ok()) return requests.status();
  if (requests->last > 1000) return Status::InvalidArg("--request '" + arguments.request + "': at most GET 1000");
  plan.first_request = static_cast<int>(requests->first);
  plan.last_request = static_cast<int>(requests->last);
  plan.expectations = !arguments.invariants_only;
  plan.allow_outside_content = arguments.allow_outside_content;
  return plan;
}

}  // namespace

ExitCode SweepCommand(const SweepArguments& arguments) {
  scenarios::LoadResult loaded =
      scenarios::LoadScenarioFile(arguments.scenario, {.allow_outside_content = arguments.allow_outside_content});
  for (const scenarios::LoadError& error : loaded.errors) std::cerr << error.ToString() << "\n";
  if (!loaded.scenario) {
    std::cerr << "bitsh sweep: nothing was run; fix the errors above\n";
    return ExitCode::kBadInput;
  }
  Result<scenarios::SweepPlan> plan = PlanOf(arguments);
  if (plan.ok()) plan = scenarios::ResolvePlan(*loaded.scenario, *plan);
  if (!plan.ok()) {
    std::cerr << "bitsh sweep: " << plan.status().message() << "\n";
    return ExitCode::kBadInput;
  }
  scenarios::RunOptions options;
  options.seed = arguments.seed;
  const std::size_t points = scenarios::PointsOf(*plan).size();
  std::cout << "bitsh sweep: " << server::ToString(plan->kind) << " on " << plan->path << " after " << plan->from;
  if (plan->to != plan->from) std::cout << ".." << plan->to << " bytes, step " << plan->step;
  else std::cout << " bytes";
  std::cout << ", GET " << plan->first_request;
  if (plan->last_request != plan->first_request) std::cout << ".." << plan->last_request;
  std::cout << ": " << points << " run(s), " << arguments.jobs << " at a time, checking "
            << (plan->expectations ? "the scenario's expectations and " : "") << "the invariants\n";

  const auto started = std::chrono::steady_clock::now();
  const std::vector<scenarios::SweepOutcome> outcomes = scenarios::RunSweep(*loaded.scenario, *plan, options, arguments.jobs);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::cout << "\n" << scenarios::SweepTable(*plan, outcomes);
  std::size_t failed = 0, internal = 0;
  std::vector<scenarios::ScenarioResult> results;
  for (const scenarios::SweepOutcome& outcome : outcomes) {
    if (!outcome.result.passed) {
      if (failed++ == 0) std::cout << "\n";
      if (failed <= kFailingPointsShown) scenarios::PrintResultLine(std::cout, outcome.result);
      internal += outcome.result.internal_error.empty() ? 0 : 1;
    }
    results.push_back(outcome.result);
  }
  if (failed > kFailingPointsShown) std::cout << "      ... and " << failed - kFailingPointsShown << " more failing points\n";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", wall);
  std::cout << "\n" << outcomes.size() - failed << " of " << outcomes.size() << " points passed, " << failed
            << " failed (" << seconds << "s wall)\n";
  if (!arguments.junit.empty() && !WriteFileAtomically(arguments.junit, scenarios::JUnitXml(results))) {
    std::cerr << "bitsh sweep: cannot write " << arguments.junit << "\n";
    return failed > internal ? ExitCode::kFailed : ExitCode::kInternal;
  }
  if (failed > internal) return ExitCode::kFailed;
  return internal > 0 ? ExitCode::kInternal : ExitCode::kOk;
}

}  // namespace bitsh::cli
