// The subcommands of bitsh-real (real_main.cc), which act on a BITS queue through any Backend: the
// machine's BITS on Windows or under Wine, the fake in tests. A store partner on Windows runs
// `bitsh-real jobs` after their code queued a purchase, to see every job and whether its
// description follows the WMP convention.
#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "backend/backend.h"
#include "cli/exit_codes.h"

namespace bitsh::cli {

struct JobsArguments {
  bool all_users = false;               // every user's jobs (administrators only)
  std::vector<std::string> store_keys;  // known online-store keys, for the Provider rule
};
// Lists the queue, one block per job: id, state, progress, display name; for a job whose
// description starts with "::WMP_" in any case, the description and the convention's findings (the
// job's files included; a marker in the wrong case is WMP-MARKER-CASE). kFailed when a WMP job
// breaks the convention or a BITS call fails.
ExitCode JobsCommand(Backend& bits, const JobsArguments& arguments, std::ostream& out);

struct CreateArguments {
  std::string display_name;
  std::string description;
  std::vector<std::pair<std::string, std::string>> files;  // (remote URL, local name)
  bool resume = false;
};
// Creates a download job as described and prints its id. kFailed naming the call BITS refused;
// a job left half made is cancelled.
ExitCode CreateCommand(Backend& bits, const CreateArguments& arguments, std::ostream& out);

// Cancels the jobs with these ids ("{...}"). kBadInput for an id that does not parse, kFailed
// when BITS refuses one; the others are still cancelled.
ExitCode CancelCommand(Backend& bits, const std::vector<std::string>& ids, std::ostream& out);

}  // namespace bitsh::cli
