// The bitsh subcommands; main.cc parses arguments (CLI11) and calls one of these.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli/exit_codes.h"

namespace bitsh::cli {

struct RunArguments {
  std::vector<std::filesystem::path> paths;
  std::optional<std::uint64_t> seed;
  unsigned repeat = 1;
  unsigned jobs = 1;
  std::string junit, trace, plot;
  bool verbose = false;
  bool keep_work = false;
  unsigned watchdog_s = 30;  // real seconds without virtual-time progress before a run is ended
  // ScenarioLoadOptions::allow_outside_content. A bool, not the struct: this header is also built
  // into bitsh-real (Windows), which has no yaml-cpp for scenario_loader.h.
  bool allow_outside_content = false;
  std::string filter, exclude;  // regular expressions over scenario names and files (-R, -E)
  std::string shard;            // "INDEX/COUNT", 1-based; empty = GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS or all
  std::string color = "auto";   // "auto", "always" or "never" (scenarios::UseColor)
  bool quiet = false;           // failures and the totals line only
  std::string seeds;            // "A..B": run each scenario under every seed of the range (run_seeds.h)
  bool invariants = false;      // also check scenarios/invariants.h after each run
  std::string log_dir;          // write each scenario's whole event log here as it runs (<file stem>.log)
  std::size_t log_lines = 0;    // lines of the event log a report keeps; 0 = the fake's default
  // A Windows client's Wine prefix and bitsh-com-server.exe (external/wine_setup.h); empty: defaults.
  std::string wine_prefix, com_server;
};
ExitCode RunCommand(const RunArguments& arguments);

ExitCode CheckCommand(const std::vector<std::filesystem::path>& paths, bool allow_outside_content);

struct LintArguments {
  std::optional<std::string> description;
  std::string file;
  std::vector<std::string> store_keys;
  std::vector<std::string> local_names;
};
ExitCode LintDescriptionCommand(const LintArguments& arguments);

struct CertifyArguments {
  std::string queuer;    // the store's queuer module (.so exporting bitsh_create_store_queuer), or...
  std::string exe;       // ...the store's own program (certification/program_queuer.h)
  std::vector<std::string> exe_arguments;  // its arguments, before the purchase file
  unsigned timeout_seconds = 120;          // real time per condition
  std::string wine_prefix, com_server;     // for a .exe (external/wine_setup.h); empty: the defaults
  std::string manifest;  // the purchase manifest (YAML)
  std::uint64_t seed = 1;
  std::string markdown, html, junit;
};
ExitCode CertifyCommand(const CertifyArguments& arguments);

struct SweepArguments {
  std::filesystem::path scenario;     // one scenario file
  std::string fault = "close_after_bytes";
  std::string path;                   // the server path; empty: the scenario's one file
  std::string at;                     // "FROM..TO" or "AT": sizes, TO may be END
  std::string step;                   // a size
  std::string request = "1";          // "A..B" or "A": which GET of the path the fault cuts
  unsigned jobs = 2;
  std::optional<std::uint64_t> seed;
  std::string junit;
  bool invariants_only = false;       // leave out the scenario's own expectations
  bool allow_outside_content = false;
};
ExitCode SweepCommand(const SweepArguments& arguments);

struct ShrinkArguments {
  std::string scenario;             // a failing scenario file; "-" reads standard input
  std::string output;               // where the smallest goes; default: FILE's name with .min.yaml
  std::optional<std::uint64_t> seed;
  bool invariants = false;          // a failing invariant counts too
  std::size_t max_runs = 2000;
  bool allow_outside_content = false;
};
ExitCode ShrinkCommand(const ShrinkArguments& arguments);

// Writes `text` to `path` through a temporary file and a rename: never half-written.
bool WriteFileAtomically(const std::string& path, const std::string& text);

}  // namespace bitsh::cli
