// bitsh-real cancel: cancels jobs by id (their temporary files go with them).
#include "cli/queue_commands.h"

namespace bitsh::cli {

ExitCode CancelCommand(Backend& bits, const std::vector<std::string>& ids, std::ostream& out) {
  ExitCode outcome = ExitCode::kOk;
  for (const std::string& text : ids) {
    const std::optional<JobId> job = JobId::Parse(text);
    if (!job) {
      out << "'" << text << "' is not a job id like {5D5A0C2E-0000-0000-0000-000000000000}\n";
      outcome = ExitCode::kBadInput;
      continue;
    }
    if (Status cancelled = bits.Cancel(*job); !cancelled.ok()) {
      out << "Cancel " << text << ": " << cancelled.ToString() << "\n";
      if (outcome == ExitCode::kOk) outcome = ExitCode::kFailed;
      continue;
    }
    out << "cancelled " << job->ToString() << "\n";
  }
  return outcome;
}

}  // namespace bitsh::cli
