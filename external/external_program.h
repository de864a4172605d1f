// ExternalProgram: a program outside the harness - a store's shipped queuer, any BITS client - run
// against one user's Backend of a simulated machine (a scenario's `client:`, `bitsh certify
// --exe`). While it runs, that Backend is served over bitshd's protocol (serving/call_server.h) on
// a loopback port, and the program's calls are answered on the caller's thread, one at a time.
// Virtual time holds still meanwhile, unless the owner says how to move it (ProgramOptions::advance):
// the program acts at one instant, as a store's module does when the certification kit calls its
// QueuePurchase, so the run does not depend on how fast the program (or Wine) starts. A program
// that waits for its jobs (a callback, a poll) needs `advance`: then, whenever it has made no call
// for `quiet_period` of real time, the owner's clock runs on (docs/external-programs.md).
//
// How the program reaches the Backend:
//  - A Windows program (the command's first word ends in ".exe", or it is "wine" and the second
//    word does: `wine store.exe ...`) runs under Wine. For the run,
//    bitsh-com-server is registered in the Wine prefix as the BITS manager's class, so that
//    CoCreateInstance(CLSID_BackgroundCopyManager) in the unmodified program reaches the served
//    Backend (docs/com.md); the prefix's own BITS service is stopped for the run. Both are undone
//    afterwards, whatever happened - a SIGINT, SIGTERM or SIGHUP included: the program is ended,
//    the prefix put back, and then the process ends with the signal (a SIGKILL cannot be caught:
//    `bitsh-com-server.exe --unregister --scope machine` and `wine net start BITS` put it back by
//    hand). Windows programs run one at a time in a process, since they share the prefix's
//    registration; two processes must not use one prefix at once.
//  - Any other command gets the address in its environment: BITSHD_URL, BITSHD_TOKEN_FILE and
//    BITSHD_USER, for a client of the protocol (remote/remote_client.h, examples/bitshd/).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "external/wine_setup.h"

namespace bitsh::external {

struct ProgramOptions {
  std::vector<std::string> command;       // argv; "store.exe ..." or "wine store.exe ..." runs under Wine
  std::string user = "user";              // the BITS user the program runs as
  std::chrono::seconds timeout{120};      // real time; the program (its process group) is killed then
  std::filesystem::path work_folder;      // REQUIRED: the token, the program's output and the COM server's log
  WineOptions wine;                       // for a Windows program
  // When set: run whenever the program has made no call for quiet_period (real time), on the
  // serving thread, between calls - the machine's next event, say; it returns false when nothing
  // is left to run. Unset: virtual time holds still until the program exits.
  std::function<bool()> advance;
  std::chrono::milliseconds quiet_period{100};
};

struct ProgramOutcome {
  std::string command;            // as run, quoted for a shell
  std::string error;              // why it could not run (Wine or the COM server missing, ...); "" when it ran
  std::optional<int> exit_code;   // when it ran and exited
  bool timed_out = false;         // killed at ProgramOptions::timeout
  double real_seconds = 0;        // from start to exit
  std::string output;             // its stdout and stderr (the last 16 KiB)
  std::filesystem::path output_file;  // all of it
  // Exited with status 0.
  bool ok() const { return error.empty() && !timed_out && exit_code == 0; }
  // "exited 3", "did not exit within 120 s (killed)", or the error: no real time, for reports
  // that must read the same on every run.
  std::string Result() const;
  // Result() with the real time it took: "exited 0 after 1.2 s". For logs.
  std::string Summary() const;
};

// True when `command` names a Windows program: its first word ends in ".exe" (in any case), or
// its first word is Wine ("wine", "/usr/lib/wine/wine64") and its second ends in ".exe".
bool IsWindowsProgram(const std::vector<std::string>& command);

// Where the program itself is in `command`: 1 for "wine store.exe ...", else 0.
std::size_t ProgramWord(const std::vector<std::string>& command);

// Runs the program as described above and returns how it went; never throws.
ProgramOutcome RunProgram(Backend& backend, const ProgramOptions& given);

// `path` as the program names files: its Windows form (Z:\tmp\...) for a Windows program, as it
// is otherwise. For arguments that name files, such as a purchase file.
std::string PathForProgram(const ProgramOptions& options, const std::filesystem::path& path);
// `text` (a message, the program's output) with `folder` as the program names it replaced by its
// host path, so that a report can make it neutral as it does every host path.
std::string WithHostPaths(const ProgramOptions& options, std::string text, const std::filesystem::path& folder);

}  // namespace bitsh::external
