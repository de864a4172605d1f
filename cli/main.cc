// bitsh: runs BITS scenarios against the fake, checks scenario files, lints WMP job descriptions.
//   bitsh run PATH... [--seed N] [--repeat N] [--jobs N] [--junit F] [--trace F] [--plot F] [--verbose] [--watchdog S]
//             [--allow-outside-content] [--filter REGEX] [--exclude REGEX] [--shard INDEX/COUNT]
//             [--color auto|always|never] [--quiet] [--seeds A..B] [--invariants] [--wine-prefix DIR] [--com-server EXE]
//   bitsh --version
//   bitsh completion bash
//   bitsh sweep SCENARIO --at FROM..TO [--step SIZE] [--fault KIND] [--path P] [--request A..B] [-j N]
//               [--seed N] [--junit F] [--invariants-only] [--allow-outside-content]
//   bitsh shrink FAILING.yaml [-o OUT] [--seed N] [--invariants] [--max-runs N] [--allow-outside-content]
//   bitsh check PATH... [--allow-outside-content]
//   bitsh lint-description DESCRIPTION | --file F [--store KEY]... [--local NAME]...
//   bitsh certify (--queuer LIB.so | --exe PROGRAM [--arg A]... [--timeout S] [--wine-prefix DIR]
//                 [--com-server EXE]) --manifest PURCHASE.yaml [--markdown F] [--html F] [--junit F]
#include <algorithm>
#include <iostream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/completion.h"
#include "scenarios/did_you_mean.h"

namespace {

// `bitsh rnu`: CLI11 would say only that arguments were not expected. A first word that is no
// option and no subcommand is named, with the subcommands, and the one it most likely meant.
std::optional<int> RefuseUnknownCommand(CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return std::nullopt;
  const std::string_view given = argv[1];
  std::vector<std::string_view> names;
  std::string listed;
  for (const CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    names.push_back(command->get_name());
    listed += (listed.empty() ? "" : ", ") + command->get_name();
  }
  if (std::ranges::find(names, given) != names.end()) return std::nullopt;
  const std::string_view meant = bitsh::scenarios::DidYouMean(given, names);
  std::cerr << "bitsh: '" << given << "' is not a command (" << listed << ")"
            << (meant.empty() ? std::string() : "; did you mean '" + std::string(meant) + "'?") << "\n"
            << "Run 'bitsh --help' for usage.\n";
  return bitsh::cli::ToInt(bitsh::cli::ExitCode::kBadInput);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bitsh::cli;
  CLI::App app{"bitsh: a test harness for software that drives Microsoft BITS"};
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();  // --help shows each option's default
  app.footer("Exit codes: 0 everything ran and passed; 1 a scenario failed, or a description has convention "
             "errors; 2 bad input or usage (nothing was run); 3 the harness itself failed (a port, a report "
             "that cannot be written; run gives 1 instead when a scenario also failed).");
  app.set_version_flag("--version", std::string("bitsh ") + BITSH_VERSION);

  RunArguments run;
  CLI::App* run_command = app.add_subcommand("run", "run scenario files or folders against the fake BITS");
  run_command->add_option("paths", run.paths, "scenario files or folders; - reads one scenario from standard input")->required();
  run_command->add_option("--seed", run.seed, "override every scenario's seed");
  run_command->add_option("--repeat", run.repeat, "run each scenario N times and require identical traces")
      ->check(CLI::Range(1u, 1000u));
  run_command->add_option("--jobs,-j", run.jobs, "scenarios to run at once")->check(CLI::Range(1u, 64u));
  run_command->add_option("--junit", run.junit, "write JUnit XML here");
  run_command->add_option("--trace", run.trace, "write Chrome trace-event JSON here (Perfetto, chrome://tracing)");
  run_command->add_option("--plot", run.plot, "write an SVG plot of bytes per job over virtual time here");
  run_command->add_flag("--verbose,-v", run.verbose, "print each scenario's event log");
  run_command->add_option("--log-dir", run.log_dir,
                          "write each scenario's whole event log here as it runs, as <file name>.log, however long");
  run_command->add_option("--log-lines", run.log_lines,
                          "lines of each event log the reports keep, the most recent (default 100000)")
      ->check(CLI::PositiveNumber);
  run_command->add_flag("--keep-work", run.keep_work, "keep each scenario's work folder");
  run_command->add_option("--wine-prefix", run.wine_prefix,
                          "the Wine prefix of a scenario's Windows client (default: WINEPREFIX, ~/.wine)");
  run_command->add_option("--com-server", run.com_server,
                          "bitsh-com-server.exe for a Windows client (default: BITSH_COM_SERVER, beside bitsh, the build tree)")
      ->check(CLI::ExistingFile);
  run_command->add_option("--watchdog", run.watchdog_s,
                          "end a run whose virtual clock stands still for this many real seconds")
      ->check(CLI::Range(1u, 86400u));
  constexpr const char* kAllowOutside = "let content_file name files outside the scenario's folder";
  run_command->add_flag("--allow-outside-content", run.allow_outside_content, kAllowOutside);
  run_command->add_option("--filter,-R", run.filter, "run only scenarios whose name or file matches this regex");
  run_command->add_option("--exclude,-E", run.exclude, "skip scenarios whose name or file matches this regex");
  run_command->add_option("--shard", run.shard,
                          "run shard INDEX of COUNT (1-based, e.g. 2/4); default: GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS");
  run_command->add_option("--color", run.color, "colour PASS and FAIL: auto (on a terminal, unless NO_COLOR is set), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  run_command->add_flag("--quiet,-q", run.quiet, "print only failing scenarios and the totals line");
  run_command->add_flag("--invariants", run.invariants,
                        "also check that no job is lost, every byte is right, every error is documented and no "
                        "temporary file is left");
  run_command->add_option("--seeds", run.seeds,
                          "run each scenario under every seed A..B (seeded faults draw anew) and list the failing seeds");

  SweepArguments sweep;
  CLI::App* sweep_command = app.add_subcommand(
      "sweep", "run a scenario once per placement of a fault (every offset, every request) and table the verdicts");
  sweep_command->add_option("scenario", sweep.scenario, "one scenario file")->required();
  sweep_command->add_option("--fault", sweep.fault, "the fault placed at each offset")
      ->check(CLI::IsMember({"close_after_bytes", "reset_after_bytes"}));
  sweep_command->add_option("--path", sweep.path, "the server path it applies to (default: the scenario's one file)");
  sweep_command->add_option("--at", sweep.at, "the offsets, FROM..TO (sizes; END is the file's size) or one offset")
      ->required();
  sweep_command->add_option("--step", sweep.step, "between offsets (a size: 4KiB, 65536)");
  sweep_command->add_option("--request", sweep.request, "which GET of the path the fault cuts: N or A..B");
  sweep_command->add_option("--jobs,-j", sweep.jobs, "runs at once")->check(CLI::Range(1u, 64u));
  sweep_command->add_option("--seed", sweep.seed, "override the scenario's seed");
  sweep_command->add_option("--junit", sweep.junit, "write JUnit XML here (a test case per point)");
  sweep_command->add_flag("--invariants-only", sweep.invariants_only,
                          "check only the invariants, not the scenario's own expectations (written for one fault)");
  sweep_command->add_flag("--allow-outside-content", sweep.allow_outside_content, kAllowOutside);

  ShrinkArguments shrink;
  CLI::App* shrink_command =
      app.add_subcommand("shrink", "write the smallest scenario that still fails the way a failing one does");
  shrink_command->add_option("scenario", shrink.scenario, "a failing scenario file; - reads standard input")->required();
  shrink_command->add_option("-o,--output", shrink.output, "where to write it (default: FILE.min.yaml beside it)");
  shrink_command->add_option("--seed", shrink.seed, "the seed it fails with (written into the result)");
  shrink_command->add_flag("--invariants", shrink.invariants, "a failing invariant counts as a failure too");
  shrink_command->add_option("--max-runs", shrink.max_runs, "candidates to try at most")->check(CLI::Range(1u, 1'000'000u));
  shrink_command->add_flag("--allow-outside-content", shrink.allow_outside_content, kAllowOutside);

  std::vector<std::filesystem::path> check_paths;
  CLI::App* check_command = app.add_subcommand("check", "load and validate scenario files without running them");
  bool check_allow_outside_content = false;
  check_command->add_option("paths", check_paths, "scenario files or folders; - reads one scenario from standard input")->required();
  check_command->add_flag("--allow-outside-content", check_allow_outside_content, kAllowOutside);

  LintArguments lint;
  AddLintDescriptionCommand(app, lint);  // the subcommand left when no other was chosen

  CertifyArguments certify;
  CLI::App* certify_command = app.add_subcommand("certify", "certify a store's job-queuing code against the WMP convention");
  CLI::Option* queuer_option =
      certify_command->add_option("--queuer", certify.queuer, "the store's queuer module (.so)")->check(CLI::ExistingFile);
  CLI::Option* exe_option = certify_command->add_option(
      "--exe", certify.exe,
      "the store's own program (a .exe runs under Wine), run with the purchase file as its last argument");
  exe_option->excludes(queuer_option);
  certify_command->add_option("--arg", certify.exe_arguments, "an argument for --exe, before the purchase file (repeatable)")
      ->needs(exe_option);
  certify_command->add_option("--timeout", certify.timeout_seconds, "real seconds --exe may take per condition")
      ->needs(exe_option)
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  certify_command->add_option("--wine-prefix", certify.wine_prefix, "the Wine prefix of a .exe (default: WINEPREFIX, ~/.wine)")
      ->needs(exe_option);
  certify_command->add_option("--com-server", certify.com_server,
                              "bitsh-com-server.exe (default: BITSH_COM_SERVER, beside bitsh, the build tree)")
      ->needs(exe_option)
      ->check(CLI::ExistingFile);
  certify_command->callback([queuer_option, exe_option] {
    if (queuer_option->count() + exe_option->count() == 0) {
      throw CLI::ValidationError("certify", "needs --queuer LIB.so (a module) or --exe PROGRAM (a program)");
    }
  });
  certify_command->add_option("--manifest", certify.manifest, "the purchase manifest (YAML)")->required()->check(CLI::ExistingFile);
  certify_command->add_option("--seed", certify.seed, "seed of the simulated runs");
  certify_command->add_option("--markdown", certify.markdown, "write the Markdown report here");
  certify_command->add_option("--html", certify.html, "write the HTML report here");
  certify_command->add_option("--junit", certify.junit, "write JUnit XML here");

  std::string shell;
  CLI::App* completion_command = app.add_subcommand("completion", "print a shell completion script: source <(bitsh completion bash)");
  completion_command->add_option("shell", shell, "the shell")->required()->check(CLI::IsMember({"bash"}));

  if (std::optional<int> stop = RefuseUnknownCommand(app, argc, argv)) return *stop;
  if (std::optional<int> stop = ParseCommandLine(app, argc, argv)) return *stop;
  if (*completion_command) {
    std::cout << BashCompletion(app, "bitsh");
    return 0;
  }
  if (*run_command) return ToInt(RunCommand(run));
  if (*sweep_command) return ToInt(SweepCommand(sweep));
  if (*shrink_command) return ToInt(ShrinkCommand(shrink));
  if (*check_command) return ToInt(CheckCommand(check_paths, check_allow_outside_content));
  if (*certify_command) return ToInt(CertifyCommand(certify));
  return ToInt(LintDescriptionCommand(lint));
}
