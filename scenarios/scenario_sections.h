// The scenario loader's readers for its larger sections (internal to scenarios/).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scenarios/scenario.h"
#include "scenarios/yaml_reader.h"

namespace bitsh::scenarios {

// jobs: (scenario_jobs.cc)
void ReadJobs(YamlReader& in, const YAML::Node& node, Scenario& scenario);
// expect: (scenario_expectations.cc)
void ReadExpectations(YamlReader& in, const YAML::Node& node, Scenario& scenario);
// Every name used is defined: jobs, users, server files, local files (scenario_expectations.cc).
void CheckScenarioReferences(YamlReader& in, const Scenario& scenario,
                             const std::vector<std::pair<std::string, SourceLocation>>& user_refs);

// A local path that stays inside the work folder: relative, no "..", no backslash.
bool StaysInside(const std::string& local);
// "/album/01.wma" for "/album/01.wma" or "http://host:1/album/01.wma".
std::string PathOfUrl(const std::string& url);

}  // namespace bitsh::scenarios
