// Checks a scenario's expectations against a finished (or paused, for timed ones) run.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "backend/backend.h"
#include "fake/fake_service.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_runner.h"
#include "server/file_server.h"
#include "wmp/player.h"

namespace bitsh::scenarios {

// What the checker may look at.
struct RunView {
  const Scenario& scenario;
  fake::FakeBitsService& service;
  const server::FileServer& server;
  const std::filesystem::path& work;
  const std::map<std::string, JobId>& jobs;                     // scenario id -> BITS id
  std::map<std::string, std::unique_ptr<Backend>>& backends;    // owner -> connection
  const wmp::Player* player;                                    // null without a player section
};

ExpectationOutcome Check(const Expectation& expectation, RunView& run);

}  // namespace bitsh::scenarios
