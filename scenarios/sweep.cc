#include "scenarios/sweep.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "scenarios/parallel_runs.h"

namespace bitsh::scenarios {
namespace {

// The size of the file the scenario serves at `path`, nullopt when it serves none there.
std::optional<std::uint64_t> SizeOf(const Scenario& scenario, const std::string& path) {
  for (const ServerFile& file : scenario.server_files) {
    if (file.path == path) return file.content ? file.content->size() : file.size;
  }
  return std::nullopt;
}

std::string ServedPaths(const Scenario& scenario) {
  std::string paths;
  for (const ServerFile& file : scenario.server_files) paths += (paths.empty() ? "" : ", ") + file.path;
  return paths.empty() ? "none" : paths;
}

}  // namespace

Result<SweepPlan> ResolvePlan(const Scenario& scenario, SweepPlan plan) {
  using server::FaultKind;
  if (plan.kind != FaultKind::kCloseAfterBytes && plan.kind != FaultKind::kResetAfterBytes) {
    return Status::InvalidArg("--fault " + std::string(server::ToString(plan.kind)) +
                              " takes no byte offset: a sweep places close_after_bytes or reset_after_bytes");
  }
  if (plan.path.empty()) {
    if (scenario.server_files.size() != 1) {
      return Status::InvalidArg(scenario.path + " serves " + ServedPaths(scenario) + ": name the file with --path");
    }
    plan.path = scenario.server_files.front().path;
  }
  const std::optional<std::uint64_t> size = SizeOf(scenario, plan.path);
  if (!size) {
    return Status::InvalidArg("--path " + plan.path + ": " + scenario.path + " serves no such file (it serves " +
                              ServedPaths(scenario) + ")");
  }
  if (plan.from == kEndOfFile) plan.from = *size;
  if (plan.to == kEndOfFile) plan.to = *size;
  if (plan.from > plan.to) return Status::InvalidArg("--at: the range ends before it starts");
  if (plan.to > *size) {
    return Status::InvalidArg("--at: " + std::to_string(plan.to) + " is past the end of " + plan.path + " (" +
                              std::to_string(*size) + " bytes; END stands for its size)");
  }
  if (plan.from != plan.to && plan.step == 0) return Status::InvalidArg("--at " + std::to_string(plan.from) + ".." +
                                                                        std::to_string(plan.to) + " needs a --step");
  if (plan.first_request < 1 || plan.last_request < plan.first_request) {
    return Status::InvalidArg("--request: GETs are counted from 1, and the range must not end before it starts");
  }
  const std::uint64_t span = plan.to - plan.from;  // from, every step, and `to` when no step lands on it
  const std::uint64_t offsets = span == 0 ? 1 : span / plan.step + 1 + (span % plan.step != 0 ? 1 : 0);
  const std::uint64_t requests = static_cast<std::uint64_t>(plan.last_request - plan.first_request + 1);
  if (offsets > kMaxSweepPoints || offsets * requests > kMaxSweepPoints) {
    return Status::InvalidArg("the sweep has " + std::to_string(offsets) + " offsets x " + std::to_string(requests) +
                              " requests, more than " + std::to_string(kMaxSweepPoints) + " points: take a larger --step");
  }
  return plan;
}

std::vector<SweepPoint> PointsOf(const SweepPlan& plan) {
  std::vector<SweepPoint> points;
  const auto add = [&](std::uint64_t at) {
    for (int request = plan.first_request; request <= plan.last_request; ++request) points.push_back({at, request});
  };
  std::uint64_t at = plan.from;
  for (;; at += plan.step) {
    add(at);
    if (plan.step == 0 || plan.to - at < plan.step) break;
  }
  if (at != plan.to) add(plan.to);  // the last offset is always tried, a step or not (END: the whole body)
  return points;
}

Scenario WithFault(const Scenario& scenario, const SweepPlan& plan, const SweepPoint& point) {
  Scenario swept = scenario;
  server::ServerFault fault{.path = plan.path, .request_number = point.request, .method = "GET", .kind = plan.kind,
                            .after_bytes = point.at};
  swept.server_faults.insert(swept.server_faults.begin(), std::move(fault));
  if (!plan.expectations) swept.expectations.clear();
  return swept;
}

std::string ReproduceLine(const Scenario& scenario, const SweepPlan& plan, const SweepPoint& point,
                          const RunOptions& options) {
  std::string line = "bitsh sweep " + scenario.path + " --fault " + std::string(server::ToString(plan.kind)) +
                     " --path " + plan.path + " --at " + std::to_string(point.at) + " --request " +
                     std::to_string(point.request);
  if (options.seed) line += " --seed " + std::to_string(*options.seed);
  if (!plan.expectations) line += " --invariants-only";
  if (plan.allow_outside_content) line += " --allow-outside-content";
  return line;
}

std::vector<SweepOutcome> RunSweep(const Scenario& scenario, const SweepPlan& plan, const RunOptions& options,
                                   unsigned jobs) {
  const std::vector<SweepPoint> points = PointsOf(plan);
  RunOptions checked = options;
  checked.check_invariants = true;
  std::vector<ScenarioResult> results = RunInParallel(
      points.size(), jobs,
      [&](std::size_t index) {
        ScenarioResult result = RunScenario(WithFault(scenario, plan, points[index]), checked);
        result.name = scenario.name + " [" + std::string(server::ToString(plan.kind)) + " " + plan.path + " at " +
                      std::to_string(points[index].at) + ", GET " + std::to_string(points[index].request) + "]";
        result.reproduce = ReproduceLine(scenario, plan, points[index], options);
        return result;
      },
      DropTraces);
  std::vector<SweepOutcome> outcomes;
  outcomes.reserve(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) outcomes.push_back({points[i], std::move(results[i])});
  return outcomes;
}

std::string SweepTable(const SweepPlan& plan, const std::vector<SweepOutcome>& outcomes) {
  const std::size_t columns = static_cast<std::size_t>(plan.last_request - plan.first_request + 1);
  std::ostringstream table;
  table << std::left << std::setw(26) << "at (bytes)";
  for (int request = plan.first_request; request <= plan.last_request; ++request) {
    table << std::setw(8) << ("GET " + std::to_string(request));
  }
  table << "\n";
  // One row per offset; a run of rows with the same verdicts prints once, with its first and last offset.
  for (std::size_t row = 0; row * columns < outcomes.size();) {
    const auto verdicts = [&](std::size_t r) {
      std::string text;
      for (std::size_t c = 0; c < columns; ++c) text += outcomes[r * columns + c].result.passed ? 'P' : 'F';
      return text;
    };
    std::size_t last = row;
    while ((last + 1) * columns < outcomes.size() && verdicts(last + 1) == verdicts(row)) ++last;
    const std::uint64_t first_at = outcomes[row * columns].point.at, last_at = outcomes[last * columns].point.at;
    table << std::setw(26)
          << (first_at == last_at ? std::to_string(first_at) : std::to_string(first_at) + ".." + std::to_string(last_at));
    for (char verdict : verdicts(row)) table << std::setw(8) << (verdict == 'P' ? "pass" : "FAIL");
    if (last > row) table << "(" << last - row + 1 << " offsets)";
    table << "\n";
    row = last + 1;
  }
  return table.str();
}

}  // namespace bitsh::scenarios
