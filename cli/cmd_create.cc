// bitsh-real create: queues a download job, as a store's code would, to reproduce a case by hand.
#include "cli/queue_commands.h"

namespace bitsh::cli {

ExitCode CreateCommand(Backend& bits, const CreateArguments& arguments, std::ostream& out) {
  const Result<JobId> job = bits.CreateJob(arguments.display_name, JobType::kDownload);
  if (!job.ok()) {
    out << "CreateJob: " << job.status().ToString() << "\n";
    return ExitCode::kFailed;
  }
  // Every later step names what failed and leaves no half-made job behind.
  const auto refuse = [&](const std::string& call, const Status& status) {
    out << call << ": " << status.ToString() << "\n";
    static_cast<void>(bits.Cancel(*job));
    return ExitCode::kFailed;
  };
  if (!arguments.description.empty()) {
    if (Status set = bits.SetDescription(*job, arguments.description); !set.ok()) return refuse("SetDescription", set);
  }
  for (const auto& [url, local] : arguments.files) {
    if (Status added = bits.AddFile(*job, url, local); !added.ok()) return refuse("AddFile " + url, added);
  }
  if (arguments.resume) {
    if (Status resumed = bits.Resume(*job); !resumed.ok()) return refuse("Resume", resumed);
  }
  out << job->ToString() << "\n";
  return ExitCode::kOk;
}

}  // namespace bitsh::cli
