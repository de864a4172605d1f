// bitsh check: load and validate scenario files; report every error; run nothing.
#include <iostream>

#include "cli/commands.h"
#include "scenarios/scenario_loader.h"

namespace bitsh::cli {

ExitCode CheckCommand(const std::vector<std::filesystem::path>& paths, bool allow_outside_content) {
  const scenarios::ScenarioLoadOptions load{.allow_outside_content = allow_outside_content};
  std::vector<std::string> missing;
  const std::vector<std::filesystem::path> files = scenarios::FindScenarioFiles(paths, missing);
  bool bad = !missing.empty() || files.empty();
  for (const std::string& path : missing) std::cerr << path << ": no such file or folder\n";
  for (const std::filesystem::path& file : files) {
    scenarios::LoadResult result = scenarios::LoadScenarioFile(file, load);
    for (const scenarios::LoadError& error : result.errors) std::cerr << error.ToString() << "\n";
    const bool from_stdin = file == scenarios::kStandardInputPath;
    if (result.errors.empty()) std::cout << "ok  " << (from_stdin ? scenarios::kStandardInputName : file.string()) << "\n";
    bad = bad || !result.errors.empty();
  }
  return bad ? ExitCode::kBadInput : ExitCode::kOk;
}

}  // namespace bitsh::cli
