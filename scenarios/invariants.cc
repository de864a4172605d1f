#include "scenarios/invariants.h"

#include <algorithm>
#include <set>

#include "content/sha256.h"
#include "scenarios/actions.h"

namespace bitsh::scenarios {
namespace {

bool Ended(const std::vector<JobState>& states) {
  return !states.empty() && (states.back() == JobState::kAcknowledged || states.back() == JobState::kCancelled);
}

// The job's state in whichever queue has it (TakeOwnership moves it to another user), with the
// connection that can see it; nullopt when no connected user can.
std::optional<std::pair<JobState, Backend*>> StateInAnyQueue(RunView& run, const JobSpec& spec, const JobId& id) {
  Backend& owner = run.machine.Connection(spec.owner);
  if (Result<JobState> state = owner.GetState(id); state.ok()) return std::pair(*state, &owner);
  for (const std::string& user : run.machine.ConnectedUsers()) {
    Backend& other = run.machine.Connection(user);
    if (Result<JobState> state = other.GetState(id); state.ok()) return std::pair(*state, &other);
  }
  return std::nullopt;
}

// Whether Complete renamed the file to `local`: only then is it whole. Complete on a job with
// files still under way acknowledges it too, but deletes those (BG_S_PARTIAL_COMPLETE).
bool Renamed(const std::vector<fake::LogEvent>& log, const std::string& job, const std::filesystem::path& local) {
  const std::string suffix = " -> " + local.string();
  return std::ranges::any_of(log, [&](const fake::LogEvent& event) {
    return event.job == job && event.kind == "rename" && event.detail.ends_with(suffix);
  });
}

// Every server fault the run may have had: the scenario's, and those its triggers add.
std::vector<server::ServerFault> ServerFaults(const Scenario& scenario) {
  std::vector<server::ServerFault> faults = scenario.server_faults;
  for (const Trigger& trigger : scenario.triggers) {
    if (trigger.fault) faults.push_back(*trigger.fault);
  }
  return faults;
}

// Server paths a file may have been served from: its own, and those a redirect fault or a
// replace_remote_prefix action of its job leads to.
std::set<std::string> ServedFrom(const Scenario& scenario, const JobSpec& job, const std::string& path) {
  std::set<std::string> paths{path};
  for (bool grew = true; grew;) {
    grew = false;
    for (const std::string& known : std::vector<std::string>(paths.begin(), paths.end())) {
      for (const server::ServerFault& fault : ServerFaults(scenario)) {
        if (fault.kind == server::FaultKind::kRedirect && fault.path == known && fault.redirect_to.starts_with('/')) {
          grew |= paths.insert(fault.redirect_to).second;
        }
      }
      for (const JobAction& action : job.actions) {
        if (action.kind->takes_from_and_to && action.from.starts_with('/') && known.starts_with(action.from)) {
          grew |= paths.insert(action.to + known.substr(action.from.size())).second;
        }
      }
    }
  }
  return paths;
}

// The SHA-256 of every version the server had at `path`: as the scenario wrote it, then each
// change_file fault's.
std::set<std::string> VersionsAt(const Scenario& scenario, const std::string& path) {
  std::set<std::string> digests;
  for (const ServerFile& file : scenario.server_files) {
    if (file.path != path) continue;
    digests.insert(file.content ? content::Sha256Hex(*file.content) : content::GeneratedSha256Hex(file.seed, file.size));
  }
  for (const server::ServerFault& fault : ServerFaults(scenario)) {
    if (fault.kind == server::FaultKind::kChangeFile && fault.path == path) {
      digests.insert(content::GeneratedSha256Hex(fault.new_seed, fault.new_size));
    }
  }
  return digests;
}

// Whether `code` is an error BITS documents (see the header).
bool Documented(HResult code) {
  if (Succeeded(code)) return false;
  const std::uint32_t facility = (static_cast<std::uint32_t>(code) >> 16) & 0x1FFF;
  constexpr std::uint32_t kFacilityWin32 = 7, kFacilityBits = 0x20;
  return facility == kFacilityBits || facility == kFacilityWin32 || hr::IsHttpError(code) ||
         !HResultName(code).starts_with("0x");
}

ExpectationOutcome Invariant(const Scenario& scenario, std::string what, const std::vector<std::string>& broken) {
  std::string actual;
  for (const std::string& line : broken) actual += (actual.empty() ? "" : "; ") + line;
  return {{scenario.path, 1, 1}, broken.empty(), "invariant: " + std::move(what), actual};
}

}  // namespace

std::vector<ExpectationOutcome> CheckInvariants(RunView& run) {
  std::vector<std::string> lost, wrong_bytes, undocumented, left_behind;
  std::set<std::filesystem::path> temporary_files_in_use;
  for (const JobSpec& spec : run.scenario.jobs) {
    const auto created = run.jobs.find(spec.id);
    if (created == run.jobs.end()) continue;  // CreateJob failed: the run already says so
    const JobId& id = created->second;
    const std::string job = "job " + spec.id;
    const std::vector<JobState> logged = run.machine.bits().log().StatesOf(id.ToString());
    // A final job may still answer GetState (as a held IBackgroundCopyJob does) or be gone.
    const std::optional<std::pair<JobState, Backend*>> found = StateInAnyQueue(run, spec, id);
    if (!found && !Ended(logged)) lost.push_back(job + " is in no queue, and never was completed or cancelled");
    const JobState state = found ? found->first : JobState::kCancelled;  // gone: as good as ended
    const bool acknowledged = found ? state == JobState::kAcknowledged
                                    : !logged.empty() && logged.back() == JobState::kAcknowledged;
    const bool in_queue = found && state != JobState::kAcknowledged && state != JobState::kCancelled;
    if (!in_queue && !acknowledged) continue;
    Backend& bits = found ? *found->second : run.machine.Connection(spec.owner);
    if (in_queue && (state == JobState::kError || state == JobState::kTransientError)) {
      Result<JobError> error = bits.GetError(id);
      const std::string in = job + " is in " + std::string(ToString(state));
      if (!error.ok()) undocumented.push_back(in + " but GetError fails: " + error.status().ToString());
      else if (!Documented(error->code)) undocumented.push_back(in + " with " + HResultName(error->code));
    }
    for (std::size_t index = 0; index < spec.files.size(); ++index) {
      std::optional<std::filesystem::path> holder;  // the file that holds the job's bytes
      if (in_queue) {
        if (Result<std::string> temporary = bits.GetTemporaryName(id, index); temporary.ok()) {
          temporary_files_in_use.insert(std::filesystem::path(*temporary).lexically_normal());
          if (state == JobState::kTransferred) holder = *temporary;
        }
      } else if (acknowledged) {
        const std::filesystem::path local = run.machine.work_folder() / spec.files[index].local;
        if (Renamed(run.notices, id.ToString(), local)) holder = local;
      }
      const FileSpec& file = spec.files[index];
      if (!holder || !file.ranges.empty() || !file.url.starts_with('/')) continue;
      if (!std::filesystem::exists(*holder) && acknowledged && run.machine.player() != nullptr) continue;  // filed away
      std::set<std::string> versions;
      const std::set<std::string> paths = ServedFrom(run.scenario, spec, file.url);
      for (const std::string& path : paths) versions.merge(VersionsAt(run.scenario, path));
      if (versions.empty()) continue;  // a path the scenario does not serve: the job is in ERROR
      if (std::ranges::any_of(ServerFaults(run.scenario), [&](const server::ServerFault& fault) {
            return fault.kind == server::FaultKind::kCorruptBytes && paths.contains(fault.path);
          })) {
        continue;  // a lying server: what it sent is not the file, by design
      }
      // The fake makes a temporary file at the first byte: a whole file of none may have none.
      const std::optional<std::string> digest = std::filesystem::exists(*holder) || acknowledged
                                                    ? content::FileSha256Hex(*holder)
                                                    : content::Sha256Hex("");
      if (!digest) {
        wrong_bytes.push_back(job + " file " + std::to_string(index) + ": " + holder->filename().string() + " cannot be read");
      } else if (!versions.contains(*digest)) {
        wrong_bytes.push_back(job + " file " + std::to_string(index) + ": " + holder->filename().string() +
                              " is not byte-identical to " + file.url + " (sha256 " + digest->substr(0, 16) + "...)");
      }
    }
  }
  std::error_code error;
  for (auto entry = std::filesystem::recursive_directory_iterator(run.machine.work_folder(), error);
       !error && entry != std::filesystem::recursive_directory_iterator(); entry.increment(error)) {
    const std::string name = entry->path().filename().string();
    if (!entry->is_regular_file() || !name.starts_with("BIT") || !name.ends_with(".tmp")) continue;
    if (!temporary_files_in_use.contains(entry->path().lexically_normal())) {
      left_behind.push_back(std::filesystem::relative(entry->path(), run.machine.work_folder()).string() +
                            " belongs to no job in a queue");
    }
  }
  return {Invariant(run.scenario, "no job lost", lost), Invariant(run.scenario, "every file byte-identical", wrong_bytes),
          Invariant(run.scenario, "every error documented", undocumented),
          Invariant(run.scenario, "no temporary file left behind", left_behind)};
}

}  // namespace bitsh::scenarios
