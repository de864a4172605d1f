// bitsh lint-description: the WMP convention findings for one description.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "wmp/convention.h"

namespace bitsh::cli {

namespace {

// `--file -`: one description per line of standard input (a store's list of jobs, a log excerpt),
// each finding prefixed with the line it belongs to. Empty lines are skipped.
ExitCode LintLines(const LintArguments& arguments, const wmp::ValidationOptions& options) {
  std::string line;
  int number = 0, linted = 0, with_errors = 0;
  while (std::getline(std::cin, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    ++linted;
    const std::vector<wmp::Finding> findings = wmp::ValidateJob(line, arguments.local_names, options);
    for (const wmp::Finding& finding : findings) std::cout << "<stdin>:" << number << ": " << wmp::ToString(finding) << "\n";
    if (wmp::HasErrors(findings)) ++with_errors;
  }
  std::cout << linted << " description(s), " << with_errors << " breaking the WMP BITS job convention\n";
  if (linted == 0) {
    std::cerr << "bitsh lint-description: no description on standard input\n";
    return ExitCode::kBadInput;
  }
  return with_errors > 0 ? ExitCode::kFailed : ExitCode::kOk;
}

}  // namespace

ExitCode LintDescriptionCommand(const LintArguments& arguments) {
  // Without --local the job's files are unknown: the file rules are skipped.
  const wmp::ValidationOptions options{arguments.store_keys, /*check_files=*/!arguments.local_names.empty()};
  if (arguments.file == "-") return LintLines(arguments, options);
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
  const std::vector<wmp::Finding> all = wmp::ValidateJob(description, arguments.local_names, options);
  for (const wmp::Finding& finding : all) std::cout << wmp::ToString(finding) << "\n";
  if (all.empty()) std::cout << "no findings: the description follows the WMP BITS job convention\n";
  return wmp::HasErrors(all) ? ExitCode::kFailed : ExitCode::kOk;
}

}  // namespace bitsh::cli
