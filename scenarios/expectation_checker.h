// Checks a scenario's expectations against a finished (or paused, for timed ones) run.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "backend/backend.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_runner.h"
#include "sim/machine.h"

namespace bitsh::scenarios {

// What the checker may look at.
struct RunView {
  const Scenario& scenario;
  sim::Machine& machine;                     // its Player is null without a player section
  const std::map<std::string, JobId>& jobs;  // scenario id -> BITS id
  // Every "notify" (a callback made) and "rename" (a file completed) line of the fake's log, all of
  // them however few lines the log keeps: the checks read callbacks and renames here.
  const std::vector<fake::LogEvent>& notices;
};

ExpectationOutcome Check(const Expectation& expectation, RunView& run);

}  // namespace bitsh::scenarios
