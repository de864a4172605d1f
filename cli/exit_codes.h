// The exit codes of bitsh, one meaning each, so CI can tell a failed scenario from bad input.
#pragma once

namespace bitsh::cli {

enum class ExitCode : int {
  kOk = 0,              // everything ran and passed (or the description has no errors)
  kFailed = 1,          // a scenario failed, or a description has convention errors
  kBadInput = 2,        // usage error, or scenario files with errors (nothing was run)
  kInternal = 3,        // the harness itself failed (cannot bind a port, cannot write a report);
                        // bitsh run gives 1 instead when a scenario also failed
};

inline int ToInt(ExitCode code) { return static_cast<int>(code); }

}  // namespace bitsh::cli
