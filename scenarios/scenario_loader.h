// Loads a Scenario from YAML (yaml-cpp). Every problem in the file is reported in one pass as
// "file:line:column: message": unknown keys, wrong types, unreadable durations and sizes,
// references to undefined jobs, users and files, and local paths that would leave the scenario's
// work folder. A scenario is returned only when there is no error: nothing half-read ever runs.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/scenario.h"
#include "scenarios/yaml_reader.h"

namespace bitsh::scenarios {

struct LoadResult {
  std::optional<Scenario> scenario;
  std::vector<LoadError> errors;
};

LoadResult LoadScenarioFile(const std::filesystem::path& path);
// `file_name` names the text in messages.
LoadResult LoadScenarioText(const std::string& text, const std::string& file_name);

// The .yaml/.yml files named, folders searched (not recursively), sorted by path.
std::vector<std::filesystem::path> FindScenarioFiles(const std::vector<std::filesystem::path>& paths,
                                                     std::vector<std::string>& missing);

}  // namespace bitsh::scenarios
