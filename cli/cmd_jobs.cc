// bitsh-real jobs: the queue as BITS reports it, with the WMP convention's verdict on each job.
#include "cli/queue_commands.h"
#include "wmp/convention.h"

namespace bitsh::cli {
namespace {

std::string ProgressText(const Result<JobProgress>& progress) {
  if (!progress.ok()) return "progress: " + progress.status().ToString();
  const std::string total = progress->bytes_total == kSizeUnknown ? "?" : std::to_string(progress->bytes_total);
  return std::to_string(progress->bytes_transferred) + "/" + total + " bytes, " +
         std::to_string(progress->files_transferred) + "/" + std::to_string(progress->files_total) + " files";
}

// Prints one job; false when it is a WMP job that breaks the convention or cannot be read.
bool PrintJob(Backend& bits, const JobId& job, const JobsArguments& arguments, std::ostream& out) {
  const Result<JobState> state = bits.GetState(job);
  const Result<std::string> name = bits.GetDisplayName(job);
  out << job.ToString() << "  " << (state.ok() ? std::string(ToString(*state)) : state.status().ToString()) << "  "
      << ProgressText(bits.GetProgress(job)) << "  \"" << (name.ok() ? *name : name.status().ToString()) << "\"\n";
  const Result<std::string> description = bits.GetDescription(job);
  if (!description.ok()) {
    out << "  description: " << description.status().ToString() << "\n";
    return false;
  }
  // "::WMP_" in any case: a store that wrote "::wmp_job:" meant a WMP job, and the Player will
  // ignore it (the marker is case-sensitive), so the listing flags it (WMP-MARKER-CASE).
  if (!wmp::ClaimsConvention(*description)) return true;  // not a WMP job: nothing to check
  out << "  " << *description << "\n";
  std::vector<std::string> local_names;
  const Result<std::vector<FileStatus>> files = bits.GetFiles(job);
  if (files.ok()) {
    for (const FileStatus& file : *files) local_names.push_back(file.local_name);
  }
  const wmp::ValidationOptions options{arguments.store_keys, /*check_files=*/files.ok()};
  const std::vector<wmp::Finding> findings = wmp::ValidateJob(*description, local_names, options);
  for (const wmp::Finding& finding : findings) out << "  " << wmp::ToString(finding) << "\n";
  if (!files.ok()) out << "  (files unknown: " << files.status().ToString() << "; file rules skipped)\n";
  if (findings.empty()) out << "  follows the WMP BITS job convention\n";
  return !wmp::HasErrors(findings);
}

}  // namespace

ExitCode JobsCommand(Backend& bits, const JobsArguments& arguments, std::ostream& out) {
  const Result<std::vector<JobId>> jobs =
      bits.EnumJobs(arguments.all_users ? EnumScope::kAllUsers : EnumScope::kCurrentUser);
  if (!jobs.ok()) {
    out << "EnumJobs: " << jobs.status().ToString() << "\n";
    return ExitCode::kFailed;
  }
  int failing = 0;
  for (const JobId& job : *jobs) failing += PrintJob(bits, job, arguments, out) ? 0 : 1;
  out << jobs->size() << " job(s); " << failing << " WMP job(s) breaking the convention or unreadable\n";
  return failing == 0 ? ExitCode::kOk : ExitCode::kFailed;
}

}  // namespace bitsh::cli
