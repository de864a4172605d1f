// ChildProcess: a command run as a child process in its own process group, its stdin /dev/null,
// its stdout and stderr together in one file, no other descriptor of ours, and the signals a
// program launched from a shell has. The owner polls it (Exited) between other work - a program
// under test makes calls that the owner's thread must answer while it runs - and the destructor
// kills its whole group if the child has not been seen to exit. What leaves the group (Wine's
// wineserver starts a session of its own, and ends by itself once its last client has gone) is not
// the child's to kill.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/status.h"

namespace bitsh::external {

class ChildProcess {
 public:
  // Starts argv[0] (looked up in PATH when it has no '/') with `environment` added to this
  // process's. E_INVALIDARG for an empty command; E_FAIL naming the command when it cannot start
  // (not found, not executable) or `output` cannot be written.
  static Result<std::unique_ptr<ChildProcess>> Start(const std::vector<std::string>& argv,
                                                     const std::map<std::string, std::string>& environment,
                                                     const std::filesystem::path& output);
  ~ChildProcess();  // kills the group (SIGKILL) if the child has not been seen to exit
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The exit status once the child has exited (128 + N when signal N ended it), else nullopt.
  // Never blocks.
  std::optional<int> Exited();
  // Ends the child's whole process group: SIGTERM, then SIGKILL after `grace`; waits for the child.
  int Kill(std::chrono::milliseconds grace);

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_;
  std::optional<int> status_;
};

// Quotes `argv` as a shell would need it, for messages and logs ("wine 'my store.exe' Z:\x").
std::string ShellQuoted(const std::vector<std::string>& argv);

}  // namespace bitsh::external
