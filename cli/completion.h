// Shell completion for bitsh, generated from its own CLI11 command line, so a new subcommand or
// option is completed without anyone editing a script.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace bitsh::cli {

// A bash completion script for `program`: its subcommands as the first word, each subcommand's
// options after it, file names elsewhere. Load it with `source <(bitsh completion bash)`.
std::string BashCompletion(const CLI::App& app, const std::string& program);

}  // namespace bitsh::cli
