// bitsh run: load every scenario (all errors first, nothing run if any), run them, report.
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include "cli/commands.h"
#include "scenarios/reports.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/scenario_runner.h"

namespace bitsh::cli {

using scenarios::ScenarioResult;

bool WriteFileAtomically(const std::string& path, const std::string& text) {
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

ExitCode RunCommand(const RunArguments& arguments) {
  std::vector<std::string> missing;
  const std::vector<std::filesystem::path> files = scenarios::FindScenarioFiles(arguments.paths, missing);
  for (const std::string& path : missing) std::cerr << path << ": no such file or folder\n";
  std::vector<scenarios::Scenario> loaded;
  bool bad_input = !missing.empty();
  for (const std::filesystem::path& file : files) {
    scenarios::LoadResult result =
        scenarios::LoadScenarioFile(file, {.allow_outside_content = arguments.allow_outside_content});
    for (const scenarios::LoadError& error : result.errors) std::cerr << error.ToString() << "\n";
    if (result.scenario) loaded.push_back(std::move(*result.scenario));
    bad_input = bad_input || !result.errors.empty();
  }
  if (files.empty() && missing.empty()) {
    std::cerr << "bitsh run: no .yaml scenario files found\n";
    return ExitCode::kBadInput;
  }
  if (bad_input) {
    std::cerr << "bitsh run: nothing was run; fix the errors above\n";
    return ExitCode::kBadInput;
  }

  scenarios::RunOptions options;
  options.seed = arguments.seed;
  options.keep_work = arguments.keep_work;
  options.watchdog = std::chrono::seconds(arguments.watchdog_s);
  options.repeat = arguments.repeat;
  std::cout << "bitsh: running " << loaded.size() << " scenario(s) against the fake BITS\n";
  std::vector<ScenarioResult> results(loaded.size());
  std::vector<std::future<ScenarioResult>> pending;
  std::size_t next_to_print = 0, next_to_start = 0;
  while (next_to_print < loaded.size()) {
    while (next_to_start < loaded.size() && next_to_start < next_to_print + arguments.jobs) {
      pending.push_back(std::async(std::launch::async, [&options, &scenario = loaded[next_to_start]] {
        return scenarios::RunScenario(scenario, options);
      }));
      ++next_to_start;
    }
    results[next_to_print] = pending[next_to_print].get();  // print in file order
    scenarios::PrintResultLine(std::cout, results[next_to_print]);
    if (arguments.verbose) std::cout << results[next_to_print].trace;
    ++next_to_print;
  }
  scenarios::PrintSummary(std::cout, results);

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
  if (!reports_ok) return ExitCode::kInternal;
  for (const ScenarioResult& result : results) {
    if (!result.internal_error.empty()) return ExitCode::kInternal;
  }
  const bool all_passed = std::all_of(results.begin(), results.end(), [](const ScenarioResult& r) { return r.passed; });
  return all_passed ? ExitCode::kOk : ExitCode::kFailed;
}

}  // namespace bitsh::cli
