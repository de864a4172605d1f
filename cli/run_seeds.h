// bitsh run --seeds: one scenario set over a range of seeds (cmd_run.cc hands over to it).
#pragma once

#include <vector>

#include "cli/commands.h"
#include "cli/value_range.h"
#include "scenarios/reports.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_runner.h"

namespace bitsh::cli {

// Runs every scenario of `loaded` once per seed in `seeds` (arguments.jobs at a time), prints a
// line per scenario (its failing seeds, the first few in full with their reproduce lines) and
// writes arguments.junit (one test case per scenario). As bitsh run: kFailed when a seed failed an
// expectation anywhere, kInternal when seeds failed only because the harness did.
ExitCode RunSeeds(const std::vector<scenarios::Scenario>& loaded, const ValueRange& seeds,
                  const scenarios::RunOptions& options, const RunArguments& arguments,
                  const scenarios::ConsoleStyle& style);

}  // namespace bitsh::cli
