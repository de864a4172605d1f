// WineSetup: what a Windows program needs to reach a served Backend under Wine - bitsh-com-server
// registered in the prefix as the BITS manager's class (docs/com.md, "Under Wine"), and the
// prefix's own BITS service stopped, since COM hands programs a running service's class object
// whatever the registry says. Made for one run; Undo unregisters the
// server and starts the service again if it was running; RunProgram calls it whatever happened.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "backend/status.h"
#include "serving/windows_paths.h"

namespace bitsh::external {

struct WineOptions {
  std::filesystem::path wine;        // empty: /usr/lib/wine/wine64 when present, else "wine" on PATH
  std::filesystem::path prefix;      // empty: $WINEPREFIX, else ~/.wine (Wine's own default)
  // bitsh-com-server.exe; empty: $BITSH_COM_SERVER, else beside the running program, else where
  // the build tree puts it (ComServerCandidates).
  std::filesystem::path com_server;
};

// Where bitsh looks for bitsh-com-server.exe when WineOptions::com_server is empty, in order.
std::vector<std::filesystem::path> ComServerCandidates();

// The drives of the prefix `options` names (WineOptions::prefix, $WINEPREFIX, ~/.wine): how a
// Windows program names host paths. E_FAIL, saying how to make one, when there is no prefix.
Result<serving::WindowsPaths> WineDrives(const WineOptions& options);

class WineSetup {
 public:
  // Runs one command to its end (a Wine step), answering the program's calls meanwhile; returns
  // its exit status, or an error naming it. Given by RunProgram.
  using RunStep = std::function<Result<int>(const std::vector<std::string>& argv, std::chrono::seconds timeout,
                                            const std::string& name)>;

  // Resolves Wine, the prefix (which must exist: E_FAIL telling how to make one) and the server.
  static Result<WineSetup> Resolve(const WineOptions& options);

  const std::filesystem::path& prefix() const { return prefix_; }
  const serving::WindowsPaths& windows_paths() const { return paths_; }
  // "wine" + argv: how a Windows program is run.
  std::vector<std::string> Command(const std::vector<std::string>& argv) const;
  // The environment every Wine step gets (WINEPREFIX, WINEDEBUG=-all).
  std::map<std::string, std::string> Environment() const;

  // Stops the prefix's BITS service and registers the server for `url`, `token_file`, `user`,
  // logging to `log`; then checks programs reach it (--status). E_FAIL naming the step that failed,
  // with its output file.
  Status Apply(const RunStep& run, const std::string& url, const std::filesystem::path& token_file,
               const std::string& user, const std::filesystem::path& log);
  // Unregisters and starts the service again if Apply stopped it. Safe to call twice.
  Status Undo(const RunStep& run);

 private:
  std::filesystem::path wine_, prefix_, com_server_;
  serving::WindowsPaths paths_;
  bool registered_ = false;
  bool stopped_service_ = false;
};

}  // namespace bitsh::external
