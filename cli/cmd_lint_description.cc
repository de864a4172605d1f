// bitsh lint-description: the WMP convention findings for one description.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "wmp/convention.h"

namespace bitsh::cli {

ExitCode LintDescriptionCommand(const LintArguments& arguments) {
  std::string description;
  if (!arguments.file.empty()) {
    std::ifstream in(arguments.file, std::ios::binary);
    if (!in) {
      std::cerr << arguments.file << ": cannot read the file\n";
      return ExitCode::kBadInput;
    }
    std::ostringstream text;
    text << in.rdbuf();
    description = text.str();
    while (!description.empty() && (description.back() == '\n' || description.back() == '\r')) description.pop_back();
  } else if (arguments.description) {
    description = *arguments.description;
  } else {
    std::cerr << "bitsh lint-description: give the description or --file\n";
    return ExitCode::kBadInput;
  }
  // Without --local the job's files are unknown: the file rules are skipped.
  wmp::ValidationOptions options{arguments.store_keys, /*check_files=*/!arguments.local_names.empty()};
  const std::vector<wmp::Finding> all = wmp::ValidateJob(description, arguments.local_names, options);
  for (const wmp::Finding& finding : all) std::cout << wmp::ToString(finding) << "\n";
  if (all.empty()) std::cout << "no findings: the description follows the WMP BITS job convention\n";
  return wmp::HasErrors(all) ? ExitCode::kFailed : ExitCode::kOk;
}

}  // namespace bitsh::cli
