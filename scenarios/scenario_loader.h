// Loads a Scenario from YAML (yaml-cpp). Every problem in the file is reported in one pass as
// "file:line:column: message": unknown keys, wrong types, unreadable durations and sizes,
// references to undefined jobs, users and files, and local paths that would leave the scenario's
// work folder, content files outside its folder or that are not regular files, duplicate job ids
// and sizes past load_limits. A scenario is returned only when there is no error: nothing half-read ever runs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/scenario.h"
#include "scenarios/yaml_reader.h"

namespace bitsh::scenarios {

// What a scenario may ask of the machine, read from an untrusted file: every bound is checked
// when it loads, with an error at the line that crosses it (docs/scenarios.md, "Limits").
namespace load_limits {
inline constexpr std::size_t kMaxJobs = 10'000;            // jobs in one scenario, after `copies`
inline constexpr std::size_t kMaxJobFiles = 100'000;       // files of all jobs, after `copies`
inline constexpr std::uint64_t kMaxGeneratedBytes = 64ull << 30;    // server `size` + change_file `new_size`, 64 GiB
inline constexpr std::uint64_t kMaxContentFileBytes = 256ull << 20;  // one content_file, held in memory: 256 MiB
}  // namespace load_limits

struct ScenarioLoadOptions {
  // A content_file may resolve (symlinks followed) outside the scenario's folder. Off by default:
  // a scenario someone sent you must not serve the machine's other files (`--allow-outside-content`).
  bool allow_outside_content = false;
};

struct LoadResult {
  std::optional<Scenario> scenario;
  std::vector<LoadError> errors;
};

// "-" as a path names standard input, as in most command-line tools; messages call it "<stdin>" and
// its content_file names are relative to the current folder.
inline constexpr const char* kStandardInputPath = "-";
inline constexpr const char* kStandardInputName = "<stdin>";

// Reads and loads one file (standard input for kStandardInputPath).
LoadResult LoadScenarioFile(const std::filesystem::path& path, const ScenarioLoadOptions& options = {});
// `file_name` names the text in messages; content_file names are relative to its folder.
LoadResult LoadScenarioText(const std::string& text, const std::string& file_name,
                            const ScenarioLoadOptions& options = {});

// Every file named (whatever its extension), and every regular .yaml/.yml file in the folders
// named and in all their subfolders (symbolic links to folders are not followed), sorted by path.
// A name that is neither a file nor a folder goes to `missing`. kStandardInputPath is kept, once,
// ahead of the files (standard input can be read only once).
std::vector<std::filesystem::path> FindScenarioFiles(const std::vector<std::filesystem::path>& paths,
                                                     std::vector<std::string>& missing);

}  // namespace bitsh::scenarios
