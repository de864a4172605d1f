// bitsh run: load every scenario (all errors first, nothing run if any), run them, report.
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <set>
#include <sstream>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/run_seeds.h"
#include "cli/value_range.h"
#include "cli/scenario_selection.h"
#include "scenarios/reports.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/scenario_runner.h"

namespace bitsh::cli {

using scenarios::ScenarioResult;

bool WriteFileAtomically(const std::string& path, const std::string& text) {
  // CI jobs name report paths in folders nobody created yet (reports/junit/run.xml).
  if (const std::filesystem::path parent = std::filesystem::path(path).parent_path(); !parent.empty()) {
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    if (error) return false;
  }
  const std::string temporary = path + ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      std::filesystem::remove(temporary);
      return false;
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) std::filesystem::remove(temporary);
  return !error;
}

namespace {

// --log-dir's file for each scenario: its file name with ".log" for ".yaml" ("stdin.log" for a
// scenario read from standard input), "-2", "-3"... after the stem when that name is taken (two
// folders hold the same file name, or a file is called "x-2.yaml" too), so that no run writes over
// another's log.
std::vector<std::string> LogFileNames(const std::vector<scenarios::Scenario>& scenarios) {
  std::vector<std::string> names;
  std::set<std::string> taken;
  for (const scenarios::Scenario& scenario : scenarios) {
    const std::string stem = scenario.path == "<stdin>" ? "stdin" : std::filesystem::path(scenario.path).stem().string();
    std::string name = stem + ".log";
    for (int count = 2; taken.contains(name); ++count) name = stem + "-" + std::to_string(count) + ".log";
    taken.insert(name);
    names.push_back(name);
  }
  return names;
}

}  // namespace

ExitCode RunCommand(const RunArguments& arguments) {
  std::vector<std::string> missing;
  const std::vector<std::filesystem::path> files = scenarios::FindScenarioFiles(arguments.paths, missing);
  std::vector<scenarios::LoadError> input_errors;
  for (const std::string& path : missing) input_errors.push_back({{path, 0, 0}, "no such file or folder"});
  if (files.empty() && missing.empty()) input_errors.push_back({{"bitsh run", 0, 0}, "no .yaml scenario files found"});
  std::vector<scenarios::Scenario> loaded;
  for (const std::filesystem::path& file : files) {
    scenarios::LoadResult result =
        scenarios::LoadScenarioFile(file, {.allow_outside_content = arguments.allow_outside_content});
    if (result.scenario) loaded.push_back(std::move(*result.scenario));
    input_errors.insert(input_errors.end(), result.errors.begin(), result.errors.end());
  }
  // Usage mistakes in the selection are input errors too: reported with the files' errors.
  Selection selection;
  const auto option_error = [&input_errors](const Status& status) {
    input_errors.push_back({{"bitsh run", 0, 0}, status.message()});
  };
  if (auto filter = CompilePattern("--filter", arguments.filter); filter.ok()) selection.filter = *filter;
  else option_error(filter.status());
  if (auto exclude = CompilePattern("--exclude", arguments.exclude); exclude.ok()) selection.exclude = *exclude;
  else option_error(exclude.status());
  if (!arguments.shard.empty()) {
    if (Result<Shard> shard = ParseShard(arguments.shard); shard.ok()) selection.shard = *shard;
    else option_error(shard.status());
  } else if (Result<std::optional<Shard>> shard = ShardFromEnvironment(); !shard.ok()) {
    option_error(shard.status());
  } else if (shard->has_value()) {
    selection.shard = **shard;
  }
  std::optional<ValueRange> seeds;
  if (!arguments.seeds.empty()) {
    if (Result<ValueRange> range = ParseValueRange("--seeds", arguments.seeds, "a whole number", ReadWholeNumber);
        !range.ok()) {
      option_error(range.status());
    } else if (range->size() > 1'000'000 || range->size() == 0) {
      option_error(Status::InvalidArg("--seeds '" + arguments.seeds + "' names more than 1000000 seeds"));
    } else {
      seeds = *range;
    }
    // Each of these asks for one run's reports, which a thousand runs cannot give.
    if (arguments.seed || arguments.repeat > 1 || !arguments.trace.empty() || !arguments.plot.empty() ||
        arguments.verbose || arguments.keep_work || !arguments.log_dir.empty()) {
      option_error(Status::InvalidArg("--seeds runs many seeds: it does not go with --seed, --repeat, --trace, "
                                      "--plot, --verbose, --keep-work or --log-dir (reproduce one seed with --seed N)"));
    }
  }
  if (!input_errors.empty()) {
    for (const scenarios::LoadError& error : input_errors) {
      std::cerr << (error.where.line > 0 ? error.where.ToString() : error.where.file) << ": " << error.message << "\n";
    }
    std::cerr << "bitsh run: nothing was run; fix the errors above\n";
    // CI reads the JUnit file, not the log: it says what was wrong even though nothing ran.
    if (!arguments.junit.empty() && !WriteFileAtomically(arguments.junit, scenarios::JUnitXmlForInputErrors(input_errors))) {
      std::cerr << "bitsh run: cannot write " << arguments.junit << "\n";
    }
    return ExitCode::kBadInput;
  }

  Selected selected = Select(std::move(loaded), selection);
  if (selected.matched == 0) {
    std::cerr << "bitsh run: no scenario is left after" << (arguments.filter.empty() ? "" : " --filter '" + arguments.filter + "'")
              << (arguments.exclude.empty() ? "" : " --exclude '" + arguments.exclude + "'") << "\n";
    return ExitCode::kBadInput;
  }
  loaded = std::move(selected.scenarios);
  if (selection.shard.count > 1) {
    std::cout << "bitsh: shard " << selection.shard.index + 1 << "/" << selection.shard.count << ": " << loaded.size()
              << " of " << selected.matched << " scenario(s)\n";
  }

  scenarios::RunOptions options;
  options.seed = arguments.seed;
  options.keep_work = arguments.keep_work;
  options.watchdog = std::chrono::seconds(arguments.watchdog_s);
  options.wine.prefix = arguments.wine_prefix;
  options.wine.com_server = arguments.com_server;
  options.repeat = arguments.repeat;
  options.check_invariants = arguments.invariants;
  if (arguments.log_lines > 0) options.log_lines_kept = arguments.log_lines;
  const scenarios::ConsoleStyle style{
      .color = scenarios::UseColor(arguments.color, ::isatty(STDOUT_FILENO) == 1, std::getenv("NO_COLOR"), std::getenv("TERM"))
                   .value_or(false),
      .quiet = arguments.quiet};
  if (seeds) return RunSeeds(loaded, *seeds, options, arguments, style);
  if (!style.quiet) std::cout << "bitsh: running " << loaded.size() << " scenario(s) against the fake BITS\n";
  // Each scenario's own options: with --log-dir, its own log file.
  std::vector<scenarios::RunOptions> each(loaded.size(), options);
  if (!arguments.log_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(arguments.log_dir, error);
    if (error) {
      std::cerr << "bitsh run: cannot create --log-dir " << arguments.log_dir << ": " << error.message() << "\n";
      return ExitCode::kBadInput;
    }
    const std::vector<std::string> names = LogFileNames(loaded);
    for (std::size_t i = 0; i < loaded.size(); ++i) each[i].log_file = std::filesystem::path(arguments.log_dir) / names[i];
  }
  std::vector<ScenarioResult> results(loaded.size());
  std::vector<std::future<ScenarioResult>> pending;
  std::size_t next_to_print = 0, next_to_start = 0;
  while (next_to_print < loaded.size()) {
    while (next_to_start < loaded.size() && next_to_start < next_to_print + arguments.jobs) {
      pending.push_back(std::async(std::launch::async, [&options = each[next_to_start], &scenario = loaded[next_to_start]] {
        return scenarios::RunScenario(scenario, options);
      }));
      ++next_to_start;
    }
    results[next_to_print] = pending[next_to_print].get();  // print in file order
    scenarios::PrintResultLine(std::cout, results[next_to_print], style);
    const bool shown = !(style.quiet && results[next_to_print].passed);  // quiet: failures only
    if (shown && !results[next_to_print].work_folder.empty()) {
      std::cout << "      work folder kept: " << results[next_to_print].work_folder.string() << "\n";
    }
    if (shown && arguments.verbose) std::cout << results[next_to_print].trace;
    ++next_to_print;
  }
  scenarios::PrintSummary(std::cout, results, style);

  bool reports_ok = true;
  const auto write = [&](const std::string& path, const std::string& text) {
    if (path.empty()) return;
    if (!WriteFileAtomically(path, text)) {
      std::cerr << "bitsh run: cannot write " << path << "\n";
      reports_ok = false;
    }
  };
  write(arguments.junit, scenarios::JUnitXml(results));
  write(arguments.trace, scenarios::ChromeTraceJson(results));
  write(arguments.plot, scenarios::SvgPlot(results));
  // A failed expectation outranks a harness problem: exit 3 must never hide a failing test.
  const bool expectation_failed = std::any_of(results.begin(), results.end(), [](const ScenarioResult& r) {
    return r.internal_error.empty() && !r.passed;
  });
  if (expectation_failed) return ExitCode::kFailed;
  const bool harness_failed = !reports_ok || std::any_of(results.begin(), results.end(), [](const ScenarioResult& r) {
    return !r.internal_error.empty();
  });
  return harness_failed ? ExitCode::kInternal : ExitCode::kOk;
}

}  // namespace bitsh::cli
