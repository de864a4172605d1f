// Sweep: one scenario run once per placement of one fault - every byte offset from `from` to `to`
// by `step`, for each of a range of request numbers - each run checked against the scenario's
// expectations and the invariants (invariants.h: no job lost, every byte right, errors
// documented, no temporary file left). A scenario written for one cut says nothing about a cut
// one chunk later; a sweep tries them all, deterministically, so every failing point reproduces
// alone. What `bitsh sweep` runs (docs/scenarios.md, "Sweeps").
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "backend/status.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_runner.h"
#include "server/server_faults.h"

namespace bitsh::scenarios {

// Stands for the swept file's size in SweepPlan::to ("--at 0..END").
inline constexpr std::uint64_t kEndOfFile = std::numeric_limits<std::uint64_t>::max();

struct SweepPlan {
  // A fault placed at a byte offset: close_after_bytes or reset_after_bytes.
  server::FaultKind kind = server::FaultKind::kCloseAfterBytes;
  std::string path;                  // the server path it applies to; empty: the scenario's one file
  std::uint64_t from = 0;            // the first offset
  std::uint64_t to = kEndOfFile;     // the last offset, inclusive (kEndOfFile: the file's size)
  std::uint64_t step = 0;            // between offsets; 0 only when from == to
  int first_request = 1;             // the fault fires on this GET of the path...
  int last_request = 1;              // ...and, in further runs, on each one up to this
  bool expectations = true;          // check the scenario's own expectations, not only the invariants
  bool allow_outside_content = false;  // how the scenario was loaded: its reproduce lines must say so
};

// One run of a sweep: the fault after `at` bytes of the `request`-th GET.
struct SweepPoint {
  std::uint64_t at = 0;
  int request = 1;
};

// The most points one sweep may have: a plan past it is most likely a step left out.
inline constexpr std::size_t kMaxSweepPoints = 100'000;

// The plan with `path` and `to` resolved against the scenario, or E_INVALIDARG saying what is
// wrong: a kind that takes no byte offset, a path the scenario does not serve (or, with no path,
// a scenario serving more than one file), a range past the file's end or a missing step, more
// than kMaxSweepPoints points, request numbers below 1.
Result<SweepPlan> ResolvePlan(const Scenario& scenario, SweepPlan plan);

// The plan's points, offset by offset (from, from + step, ... and `to` itself, even when the
// range is no multiple of the step), each offset's requests in order.
std::vector<SweepPoint> PointsOf(const SweepPlan& plan);

// `scenario` with the point's fault ahead of its own (the first matching rule applies) and, when
// the plan says so, without its expectations.
Scenario WithFault(const Scenario& scenario, const SweepPlan& plan, const SweepPoint& point);

// "bitsh sweep FILE --fault close_after_bytes --path /a.wma --at 65536 --request 2 [--seed N]
// [--invariants-only] [--allow-outside-content]": the command that runs this point alone.
std::string ReproduceLine(const Scenario& scenario, const SweepPlan& plan, const SweepPoint& point,
                          const RunOptions& options);

struct SweepOutcome {
  SweepPoint point;
  ScenarioResult result;  // traces dropped; its reproduce line is the point's
};

// Runs every point of a resolved plan (`jobs` at a time, with `options` and the invariants),
// results in point order.
std::vector<SweepOutcome> RunSweep(const Scenario& scenario, const SweepPlan& plan, const RunOptions& options,
                                   unsigned jobs);

// The table people read: one row per offset, one column per request, PASS or FAIL; rows with the
// same verdicts one after another are folded into one ("4096..61440", with their count).
std::string SweepTable(const SweepPlan& plan, const std::vector<SweepOutcome>& outcomes);

}  // namespace bitsh::scenarios
