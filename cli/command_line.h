// What bitsh (main.cc) and bitsh-real (real_main.cc) declare alike on their CLI11 command lines.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>

#include "cli/commands.h"

namespace bitsh::cli {

// The lint-description subcommand, filling `lint`.
inline CLI::App* AddLintDescriptionCommand(CLI::App& app, LintArguments& lint) {
  CLI::App* command = app.add_subcommand("lint-description", "check a job description against the WMP convention");
  auto* text = command->add_option("description", lint.description, "the description text");
  command->add_option("--file", lint.file, "read the description from this file; - reads one description per line from standard input")->excludes(text);
  command->add_option("--store", lint.store_keys, "a known online-store key (repeatable)");
  command->add_option("--local", lint.local_names, "a local file name of the job (repeatable)");
  return command;
}

// Parses the arguments. Returns the exit status to stop with (0 after --help, kBadInput after a
// usage error, which CLI11 has printed), or nullopt to run the chosen subcommand.
inline std::optional<int> ParseCommandLine(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : ToInt(ExitCode::kBadInput);
  }
  return std::nullopt;
}

}  // namespace bitsh::cli
