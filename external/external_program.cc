#include "external/external_program.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <thread>

#include "external/child_process.h"
#include "serving/call_server.h"

namespace bitsh::external {
namespace {

constexpr std::size_t kOutputKept = 16 * 1024;
constexpr std::chrono::milliseconds kServeSlice(10);  // how often a waiting run looks at its child

// The last kOutputKept bytes of `path`.
std::string Tail(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());  // Wine's console writes CRLF
  return text.size() <= kOutputKept ? text : "..." + text.substr(text.size() - kOutputKept);
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// How one child ended.
struct Finished {
  std::optional<int> exit_code;
  bool timed_out = false;
};

// Runs `child` to its end or `timeout`, answering `server`'s calls (if any) meanwhile, and running
// `advance` (if set) whenever no call has come for `quiet`.
Finished Serve(ChildProcess& child, serving::CallServer* server, std::chrono::seconds timeout,
               const std::function<bool()>& advance = {}, std::chrono::milliseconds quiet = {}) {
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + timeout;
  const std::int64_t started_ns = serving::SteadyNanoseconds();
  while (true) {
    if (std::optional<int> status = child.Exited()) return {status, false};
    if (std::chrono::steady_clock::now() >= deadline) {
      static_cast<void>(child.Kill(std::chrono::seconds(2)));
      return {std::nullopt, true};
    }
    if (server == nullptr) {
      std::this_thread::sleep_for(kServeSlice);
      continue;
    }
    // The child may be waiting on a call: answer it (or wait a slice for one).
    if (server->RunNext(kServeSlice) || !advance) continue;
    const auto since_call =
        std::chrono::nanoseconds(serving::SteadyNanoseconds() - std::max(started_ns, server->last_call_ns()));
    if (since_call >= quiet) static_cast<void>(advance());
  }
}

}  // namespace

std::string ProgramOutcome::Summary() const {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f s", real_seconds);
  if (!error.empty()) return error;
  if (timed_out) return "killed after " + std::string(seconds) + " (its timeout)";
  return "exited " + std::to_string(exit_code.value_or(-1)) + " after " + seconds;
}

namespace {

bool EndsInExe(const std::string& word) {
  if (word.size() < 4) return false;
  std::string tail = word.substr(word.size() - 4);
  std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) { return std::tolower(c); });
  return tail == ".exe";
}

// "wine store.exe ..." written out: Wine is the first word, the program the second.
bool NamesWineFirst(const std::vector<std::string>& command) {
  return command.size() > 1 && std::filesystem::path(command[0]).filename().string().starts_with("wine") &&
         EndsInExe(command[1]);
}

// `options` with a command that names Wine first turned into the program's own command, Wine
// becoming WineOptions::wine (unless that is set).
ProgramOptions WithoutWineWord(const ProgramOptions& options) {
  if (!NamesWineFirst(options.command)) return options;
  ProgramOptions program = options;
  if (program.wine.wine.empty()) program.wine.wine = program.command[0];
  program.command.erase(program.command.begin());
  return program;
}

}  // namespace

bool IsWindowsProgram(const std::vector<std::string>& command) {
  return (!command.empty() && EndsInExe(command[0])) || NamesWineFirst(command);
}

std::string PathForProgram(const ProgramOptions& options, const std::filesystem::path& path) {
  if (!IsWindowsProgram(options.command)) return path.string();
  Result<serving::WindowsPaths> drives = WineDrives(options.wine);
  return drives.ok() ? drives->ToWindows(std::filesystem::absolute(path).string()) : path.string();
}

std::string WithHostPaths(const ProgramOptions& options, std::string text, const std::filesystem::path& folder) {
  const std::string as_named = PathForProgram(options, folder);
  const std::string host = std::filesystem::absolute(folder).string();
  if (as_named == host || as_named.empty()) return text;
  for (std::size_t at = text.find(as_named); at != std::string::npos; at = text.find(as_named, at + host.size())) {
    text.replace(at, as_named.size(), host);
  }
  return text;
}

ProgramOutcome RunProgram(Backend& backend, const ProgramOptions& given) {
  const ProgramOptions options = WithoutWineWord(given);
  ProgramOutcome outcome;
  outcome.command = ShellQuoted(options.command);
  const bool windows = IsWindowsProgram(options.command);
  std::optional<WineSetup> wine;
  // One Windows program at a time in this process: they would share the prefix's one registration
  // of the BITS class (bitsh run --jobs N runs scenarios on several threads).
  static std::mutex one_wine_run;
  std::unique_lock<std::mutex> wine_run(one_wine_run, std::defer_lock);
  if (windows) {
    wine_run.lock();
    Result<WineSetup> resolved = WineSetup::Resolve(options.wine);
    if (!resolved.ok()) {
      outcome.error = "cannot run " + outcome.command + " under Wine: " + resolved.status().message();
      return outcome;
    }
    wine = *std::move(resolved);
    outcome.command = ShellQuoted(wine->Command(options.command));
  }

  std::error_code ignored;
  std::filesystem::create_directories(options.work_folder, ignored);
  serving::CallServerOptions server_options;
  server_options.token_file = options.work_folder / "bitshd.token";
  std::filesystem::remove(server_options.token_file, ignored);  // a repeat's
  if (wine) server_options.windows_paths = wine->windows_paths();
  Result<std::unique_ptr<serving::CallServer>> server =
      serving::CallServer::Start(std::move(server_options), serving::ServeOneUser(backend, options.user));
  if (!server.ok()) {
    outcome.error = "cannot serve the program's calls: " + server.status().message();
    return outcome;
  }

  std::map<std::string, std::string> environment = {{"BITSHD_URL", (*server)->url()},
                                                     {"BITSHD_TOKEN_FILE", (*server)->token_file().string()},
                                                     {"BITSHD_USER", options.user}};
  if (wine) environment.merge(wine->Environment());
  const auto run_step = [&](const std::vector<std::string>& argv, std::chrono::seconds timeout,
                            const std::string& name) -> Result<int> {
    const std::filesystem::path output = options.work_folder / (name + ".txt");
    Result<std::unique_ptr<ChildProcess>> child = ChildProcess::Start(argv, environment, output);
    if (!child.ok()) return child.status();
    const Finished finished = Serve(**child, server->get(), timeout);
    if (finished.timed_out) {
      return Status(hr::kFail, ShellQuoted(argv) + " did not finish within " + std::to_string(timeout.count()) +
                                   " s (its output: " + output.string() + ")");
    }
    return *finished.exit_code;
  };

  if (wine) {
    const Status applied = wine->Apply(run_step, (*server)->url(), (*server)->token_file(), options.user,
                                       options.work_folder / "com-server-log.txt");
    if (!applied.ok()) {
      outcome.error = "cannot run " + outcome.command + ": " + applied.message() + " (output of each step in " +
                      options.work_folder.string() + ")";
      static_cast<void>(wine->Undo(run_step));
      return outcome;
    }
  }

  const std::vector<std::string> command = wine ? wine->Command(options.command) : options.command;
  outcome.output_file = options.work_folder / "program-output.txt";
  const auto started = std::chrono::steady_clock::now();
  Result<std::unique_ptr<ChildProcess>> child = ChildProcess::Start(command, environment, outcome.output_file);
  if (!child.ok()) {
    outcome.error = child.status().message();
  } else {
    const Finished finished = Serve(**child, server->get(), options.timeout, options.advance, options.quiet_period);
    outcome.exit_code = finished.exit_code;
    outcome.timed_out = finished.timed_out;
    outcome.real_seconds = SecondsSince(started);
    outcome.output = Tail(outcome.output_file);
  }
  if (wine) {
    if (const Status undone = wine->Undo(run_step); !undone.ok() && outcome.error.empty()) {
      outcome.error = undone.message();
    }
  }
  return outcome;
}

}  // namespace bitsh::external
