#include "external/external_program.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <csignal>
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

// SIGINT, SIGTERM and SIGHUP while programs run: instead of ending bitsh where it stands (with the
// program running on in its own process group, and the Wine prefix registered and its BITS service
// stopped), the signal is noted; each run kills its program and undoes what it changed, and the
// last run to finish ends the process with that signal, as it would have ended.
class Interruption {
 public:
  Interruption() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (active_++ > 0) return;
    struct sigaction noted {};
    noted.sa_handler = [](int signal_number) { pending_ = signal_number; };
    sigemptyset(&noted.sa_mask);
    for (std::size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &noted, &previous_[i]);
  }
  ~Interruption() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (--active_ > 0) return;
    for (std::size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &previous_[i], nullptr);
    const int signal_number = pending_;
    pending_ = 0;
    lock.unlock();
    if (signal_number != 0) std::raise(signal_number);  // the caller's own handling, or the default: the end
  }
  Interruption(const Interruption&) = delete;
  Interruption& operator=(const Interruption&) = delete;

  // The signal that came, or 0.
  static int Pending() { return pending_; }

 private:
  static constexpr std::array<int, 3> kSignals = {SIGINT, SIGTERM, SIGHUP};
  static inline std::mutex mutex_;
  static inline int active_ = 0;
  static inline std::array<struct sigaction, 3> previous_{};
  static inline volatile std::sig_atomic_t pending_ = 0;
};

// How one child ended.
struct Finished {
  std::optional<int> exit_code;
  bool timed_out = false;
  int interrupted_by = 0;  // the signal that ended the run, or 0
};

// Runs `child` to its end or `timeout`, answering `server`'s calls (if any) meanwhile, and running
// `advance` (if set) whenever no call has come for `quiet`.
// A signal (Interruption) ends the child too, unless `finish_on_signal` (the steps that undo).
Finished Serve(ChildProcess& child, serving::CallServer* server, std::chrono::seconds timeout,
               const std::function<bool()>& advance = {}, std::chrono::milliseconds quiet = {},
               bool finish_on_signal = false) {
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + timeout;
  const std::int64_t started_ns = serving::SteadyNanoseconds();
  while (true) {
    if (std::optional<int> status = child.Exited()) return {status, false, 0};
    if (std::chrono::steady_clock::now() >= deadline) {
      static_cast<void>(child.Kill(std::chrono::seconds(2)));
      return {std::nullopt, true, 0};
    }
    if (const int signal_number = Interruption::Pending(); signal_number != 0 && !finish_on_signal) {
      static_cast<void>(child.Kill(std::chrono::seconds(2)));
      return {std::nullopt, false, signal_number};
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

std::string ProgramOutcome::Result() const {
  if (!error.empty()) return error;
  if (timed_out) return "did not exit within its timeout (killed)";
  return "exited " + std::to_string(exit_code.value_or(-1));
}

std::string ProgramOutcome::Summary() const {
  if (!error.empty()) return error;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f s", real_seconds);
  if (timed_out) return "killed after " + std::string(seconds) + " (its timeout)";
  return Result() + " after " + seconds;
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

std::size_t ProgramWord(const std::vector<std::string>& command) { return NamesWineFirst(command) ? 1 : 0; }

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
  const Interruption interruption;  // first made, last gone: a signal ends the process after the undoing
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
  // One Wine step to its end. The steps that undo (finish_on_signal) run even after a signal.
  const auto step = [&](const std::vector<std::string>& argv, std::chrono::seconds timeout, const std::string& name,
                        bool finish_on_signal) -> Result<int> {
    const std::filesystem::path output = options.work_folder / (name + ".txt");
    Result<std::unique_ptr<ChildProcess>> child = ChildProcess::Start(argv, environment, output);
    if (!child.ok()) return child.status();
    const Finished finished = Serve(**child, server->get(), timeout, {}, {}, finish_on_signal);
    if (finished.interrupted_by != 0) {
      return Status(hr::kFail, ShellQuoted(argv) + " was ended: bitsh got signal " +
                                   std::to_string(finished.interrupted_by));
    }
    if (finished.timed_out) {
      return Status(hr::kFail, ShellQuoted(argv) + " did not finish within " + std::to_string(timeout.count()) +
                                   " s (its output: " + output.string() + ")");
    }
    return *finished.exit_code;
  };
  const WineSetup::RunStep apply_step = [&](const auto& argv, auto timeout, const auto& name) {
    return step(argv, timeout, name, false);
  };
  const WineSetup::RunStep undo_step = [&](const auto& argv, auto timeout, const auto& name) {
    return step(argv, timeout, name, true);
  };

  if (wine) {
    const Status applied = wine->Apply(apply_step, (*server)->url(), (*server)->token_file(), options.user,
                                       options.work_folder / "com-server-log.txt");
    if (!applied.ok()) {
      outcome.error = "cannot run " + outcome.command + ": " + applied.message() + " (output of each step in " +
                      options.work_folder.string() + ")";
      if (const Status undone = wine->Undo(undo_step); !undone.ok()) outcome.error += "; and " + undone.message();
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
    if (finished.interrupted_by != 0) {
      outcome.error = "the program was ended: bitsh got signal " + std::to_string(finished.interrupted_by);
    }
    outcome.real_seconds = SecondsSince(started);
    outcome.output = Tail(outcome.output_file);
  }
  if (wine) {
    if (const Status undone = wine->Undo(undo_step); !undone.ok()) {
      outcome.error += (outcome.error.empty() ? "" : "; and ") + undone.message();
    }
  }
  return outcome;
}

}  // namespace bitsh::external
