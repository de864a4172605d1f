#include "external/wine_setup.h"

#include <unistd.h>

#include <cstdlib>
#include <system_error>

namespace bitsh::external {
namespace {

constexpr std::chrono::seconds kStepTimeout(120);  // a first Wine start in a prefix can take a while

std::filesystem::path RunningProgramFolder() {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path() : self.parent_path();
}

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

std::filesystem::path PrefixOf(const WineOptions& options) {
  return std::filesystem::absolute(
      options.prefix.empty() ? std::filesystem::path(EnvOr("WINEPREFIX", EnvOr("HOME", "") + "/.wine")) : options.prefix);
}

}  // namespace

Result<serving::WindowsPaths> WineDrives(const WineOptions& options) {
  const std::filesystem::path prefix = PrefixOf(options);
  if (!std::filesystem::exists(prefix / "system.reg")) {
    return Status(hr::kFail, "no Wine prefix at " + prefix.string() + ": make one with 'WINEPREFIX=" + prefix.string() +
                                 " wineboot --init', or name another with WINEPREFIX");
  }
  return serving::WindowsPaths::FromWinePrefix(prefix);
}

std::vector<std::filesystem::path> ComServerCandidates() {
  std::vector<std::filesystem::path> candidates;
  if (const std::string from_env = EnvOr("BITSH_COM_SERVER", ""); !from_env.empty()) candidates.emplace_back(from_env);
  const std::filesystem::path here = RunningProgramFolder();
  if (!here.empty()) {
    candidates.push_back(here / "bitsh-com-server.exe");                                        // installed side by side
    candidates.push_back(here.parent_path() / "mingw/com/bitsh-com-server.exe");                // build/default/cli/bitsh
    candidates.push_back(here.parent_path().parent_path() / "mingw/com/bitsh-com-server.exe");  // a test's folder
  }
  return candidates;
}

Result<WineSetup> WineSetup::Resolve(const WineOptions& options) {
  WineSetup setup;
  setup.wine_ = options.wine;
  if (setup.wine_.empty()) {
    setup.wine_ = std::filesystem::exists("/usr/lib/wine/wine64") ? "/usr/lib/wine/wine64" : "wine";
  }
  setup.prefix_ = PrefixOf(options);
  Result<serving::WindowsPaths> paths = WineDrives(options);
  if (!paths.ok()) return paths.status();
  setup.paths_ = *std::move(paths);

  std::vector<std::filesystem::path> candidates;
  if (!options.com_server.empty()) candidates.push_back(options.com_server);
  else candidates = ComServerCandidates();
  for (const std::filesystem::path& candidate : candidates) {
    if (std::filesystem::is_regular_file(candidate)) {
      setup.com_server_ = std::filesystem::absolute(candidate);
      break;
    }
  }
  if (setup.com_server_.empty()) {
    std::string looked;
    for (const std::filesystem::path& candidate : candidates) looked += "\n  " + candidate.string();
    return Status(hr::kFail, "bitsh-com-server.exe is not where bitsh looks (--com-server PATH or BITSH_COM_SERVER "
                             "names it; 'cmake --build build/default/mingw --target bitsh-com-server' builds it):" +
                                 looked);
  }
  return setup;
}

std::vector<std::string> WineSetup::Command(const std::vector<std::string>& argv) const {
  std::vector<std::string> command{wine_.string()};
  command.insert(command.end(), argv.begin(), argv.end());
  return command;
}

std::map<std::string, std::string> WineSetup::Environment() const {
  return {{"WINEPREFIX", prefix_.string()}, {"WINEDEBUG", "-all"}};
}

Status WineSetup::Apply(const RunStep& run, const std::string& url, const std::filesystem::path& token_file,
                        const std::string& user, const std::filesystem::path& log) {
  // While the prefix's own BITS service runs, COM hands programs its class object and never reads
  // the registration (docs/com.md). `net stop` fails when it was not running: nothing to undo then.
  Result<int> stopped = run(Command({"net", "stop", "BITS"}), kStepTimeout, "wine-net-stop-bits");
  if (!stopped.ok()) return stopped.status();
  stopped_service_ = *stopped == 0;

  registered_ = true;  // from here on Undo unregisters, even if --register fails half-way
  Result<int> registered =
      run(Command({com_server_.string(), "--register", "--scope", "machine", "--url", url, "--token-file",
                   paths_.ToWindows(token_file.string()), "--user", user, "--log", paths_.ToWindows(log.string()),
                   "--linger-ms", "200"}),
          kStepTimeout, "com-server-register");
  if (!registered.ok()) return registered.status();
  if (*registered != 0) return Status(hr::kFail, "registering bitsh-com-server in " + prefix_.string() + " failed");

  Result<int> status = run(Command({com_server_.string(), "--status", "--scope", "machine"}), kStepTimeout,
                           "com-server-status");
  if (!status.ok()) return status.status();
  if (*status != 0) {
    return Status(hr::kFail, "bitsh-com-server is registered in " + prefix_.string() +
                                 " but programs do not reach it (bitsh-com-server --status)");
  }
  return Status::Ok();
}

Status WineSetup::Undo(const RunStep& run) {
  Status undone = Status::Ok();
  if (registered_) {
    registered_ = false;
    Result<int> unregistered =
        run(Command({com_server_.string(), "--unregister", "--scope", "machine"}), kStepTimeout, "com-server-unregister");
    if (!unregistered.ok() || *unregistered != 0) {
      undone = Status(hr::kFail, "unregistering bitsh-com-server in " + prefix_.string() + " failed (" +
                                     (unregistered.ok() ? "exit status " + std::to_string(*unregistered)
                                                        : unregistered.status().message()) +
                                     "): 'bitsh-com-server.exe --unregister --scope machine' in that prefix undoes it");
    }
  }
  if (stopped_service_) {
    stopped_service_ = false;
    Result<int> started = run(Command({"net", "start", "BITS"}), kStepTimeout, "wine-net-start-bits");
    if ((!started.ok() || *started != 0) && undone.ok()) {
      undone = Status(hr::kFail, "starting the BITS service of " + prefix_.string() + " again failed (" +
                                     (started.ok() ? "exit status " + std::to_string(*started) : started.status().message()) +
                                     "): 'wine net start BITS' in that prefix starts it");
    }
  }
  return undone;
}

}  // namespace bitsh::external
