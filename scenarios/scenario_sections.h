// The scenario loader's readers for its larger sections (internal to scenarios/).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scenarios/scenario.h"
#include "scenarios/yaml_reader.h"

namespace bitsh::scenarios {

// A transfer policy as scenarios write it: always, not_roaming, no_surcharge, standard,
// unrestricted (BITS_JOB_TRANSFER_POLICY), or a number (0x80000021). Errors at the node.
std::optional<std::uint32_t> TransferPolicy(YamlReader& in, const YAML::Node& node);
// A network cost: no_cost, capped, below_cap, near_cap, over_cap, over_cap_throttled, metered, roaming.
std::optional<std::uint32_t> NetworkCost(YamlReader& in, const YAML::Node& node);

// Definitions that had errors. A name that one of them might have defined is not reported as
// missing too: the definition's own error is the root cause, and fixing it may define the name.
struct FlawedDefinitions {
  // Job ids and local names as written ("{n}" kept, "" when missing) of jobs with an error.
  std::vector<std::string> job_ids;
  std::vector<std::string> locals;
  bool user_without_name = false;         // or a user, or the users list, that could not be read
  bool server_file_without_path = false;  // likewise for server files
  bool player_unread = false;             // a 'player' section that is not a map
};

// jobs: (scenario_jobs.cc)
void ReadJobs(YamlReader& in, const YAML::Node& node, Scenario& scenario, FlawedDefinitions& flawed);
// expect: (scenario_expectations.cc)
void ReadExpectations(YamlReader& in, const YAML::Node& node, Scenario& scenario, const FlawedDefinitions& flawed);
// Every name used is defined: jobs, users, server files, local files (scenario_references.cc).
void CheckScenarioReferences(YamlReader& in, const Scenario& scenario,
                             const std::vector<std::pair<std::string, SourceLocation>>& user_refs,
                             const FlawedDefinitions& flawed);

// A local path that stays inside the work folder: relative, no "..", no backslash.
bool StaysInside(const std::string& local);
// "/album/01.wma" for "/album/01.wma" or "http://host:1/album/01.wma".
std::string PathOfUrl(const std::string& url);
// An error at `node` when `text` (a proxy or bypass list) names "{proxy}" and the scenario has no
// 'proxy' section (which the loader reads before 'machine' and 'jobs').
void CheckProxyToken(YamlReader& in, const YAML::Node& node, std::string_view text, const Scenario& scenario);
// `text` with every kWorkFolderToken ("{work}") replaced by `folder`.
std::string WithWorkFolder(std::string text, std::string_view folder);

}  // namespace bitsh::scenarios
