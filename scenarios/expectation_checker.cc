#include "scenarios/expectation_checker.h"

#include <algorithm>
#include <cctype>

#include "content/sha256.h"
#include "scenarios/scenario_sections.h"
#include "backend/units.h"

namespace bitsh::scenarios {
namespace {

std::string When(const Expectation& expectation) {
  return expectation.at ? " at " + FormatDuration(*expectation.at) : " at the end";
}

// "[a, b, c]"; long lists keep their first 8 and last 4 items around "... (N more) ...".
std::string Join(const std::vector<std::string>& items) {
  constexpr std::size_t kHead = 8, kTail = 4;
  std::string text = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items.size() > kHead + kTail + 1 && i == kHead) {
      text += ", ... (" + std::to_string(items.size() - kHead - kTail) + " more) ...";
      i = items.size() - kTail - 1;
      continue;
    }
    text += (i > 0 ? ", " : "") + items[i];
  }
  return text + "]";
}

std::string StatesText(const std::vector<JobState>& states) {
  std::vector<std::string> names;
  for (JobState state : states) names.emplace_back(ToString(state));
  return Join(names);
}

// Accumulates the parts of one expectation; the outcome fails if any part does.
class Outcome {
 public:
  explicit Outcome(const Expectation& expectation) { result_.where = expectation.where; }
  void Part(const std::string& what, bool passed, const std::string& actual) {
    result_.what += (result_.what.empty() ? "" : ", ") + what;
    if (!passed) result_.actual += (result_.actual.empty() ? "" : "; ") + actual;
  }
  ExpectationOutcome Finish(const std::string& suffix) {
    result_.what += suffix;
    result_.passed = result_.actual.empty();
    return result_;
  }

 private:
  ExpectationOutcome result_;
};

// The digest of the server file at `path` ("/a.wma") or of the machine file there ("in/a.wma").
std::optional<std::string> ExpectedDigest(const Scenario& scenario, const std::string& path) {
  const auto& files = !path.empty() && path.front() == '/' ? scenario.server_files : scenario.machine_files;
  for (const ServerFile& file : files) {
    if (file.path != path) continue;
    return file.content ? content::Sha256Hex(*file.content) : content::GeneratedSha256Hex(file.seed, file.size);
  }
  return std::nullopt;
}

// Who owns the job the scenario calls `name`: its JobSpec's owner, or the client's user for a job
// the scenario's client created.
std::string OwnerOf(const std::string& name, const RunView& run) {
  const auto spec = std::find_if(run.scenario.jobs.begin(), run.scenario.jobs.end(),
                                 [&](const JobSpec& job) { return job.id == name; });
  if (spec != run.scenario.jobs.end()) return spec->owner;
  return run.scenario.client ? run.scenario.client->user : std::string("user");
}

void CheckJob(const Expectation& e, RunView& run, Outcome& out) {
  const std::string job = "job " + e.job;
  const auto named = run.jobs.find(e.job);
  if (named == run.jobs.end()) {
    // Only a client's job can be missing: the loader checked the scenario's own names.
    std::vector<std::string> names;
    for (const auto& [name, id] : run.jobs) names.push_back("'" + name + "'");
    out.Part(job + " exists", false, "the client created no job of that display name; the jobs are " + Join(names));
    return;
  }
  const JobId id = named->second;
  Backend& bits = run.machine.Connection(OwnerOf(e.job, run));
  if (e.state) {
    Result<JobState> state = bits.GetState(id);
    out.Part(job + " state " + std::string(ToString(*e.state)), state.ok() && *state == *e.state,
             "state was " + (state.ok() ? std::string(ToString(*state)) : state.status().ToString()));
  }
  if (e.error_count) {
    Result<std::uint32_t> count = bits.GetErrorCount(id);
    out.Part(job + " error_count " + std::to_string(*e.error_count), count.ok() && *count == *e.error_count,
             "error_count was " + (count.ok() ? std::to_string(*count) : count.status().ToString()));
  }
  if (e.error_code || e.error_context) {
    Result<JobError> error = bits.GetError(id);
    const std::string found = error.ok() ? HResultName(error->code) + " in " + std::string(ToString(error->context))
                                         : "no error (" + error.status().ToString() + ")";
    const bool code_ok = !e.error_code || (error.ok() && error->code == *e.error_code);
    const bool context_ok = !e.error_context || (error.ok() && error->context == *e.error_context);
    out.Part(job + " error " + (e.error_code ? HResultName(*e.error_code) : std::string("any")) +
                 (e.error_context ? " in " + std::string(ToString(*e.error_context)) : ""),
             code_ok && context_ok, "error was " + found);
  }
  if (e.bytes_transferred || e.files_transferred) {
    Result<JobProgress> progress = bits.GetProgress(id);
    if (e.bytes_transferred) {
      out.Part(job + " bytes_transferred " + std::to_string(*e.bytes_transferred),
               progress.ok() && progress->bytes_transferred == *e.bytes_transferred,
               "bytes_transferred was " + (progress.ok() ? std::to_string(progress->bytes_transferred) : "unreadable"));
    }
    if (e.files_transferred) {
      out.Part(job + " files_transferred " + std::to_string(*e.files_transferred),
               progress.ok() && progress->files_transferred == *e.files_transferred,
               "files_transferred was " + (progress.ok() ? std::to_string(progress->files_transferred) : "unreadable"));
    }
  }
  const std::vector<JobState> seen = run.machine.bits().log().StatesOf(id.ToString());
  if (!e.states_include.empty()) {
    std::size_t next = 0;
    for (JobState state : seen) {
      if (next < e.states_include.size() && state == e.states_include[next]) ++next;
    }
    out.Part(job + " went through " + StatesText(e.states_include), next == e.states_include.size(),
             "states were " + StatesText(seen));
  }
  for (JobState state : e.states_exclude) {
    out.Part(job + " never " + std::string(ToString(state)), std::find(seen.begin(), seen.end(), state) == seen.end(),
             "states were " + StatesText(seen));
  }
  if (e.callbacks || e.min_modifications) {
    // The fake logs each notification as it is made ("notify"), failed calls included.
    std::vector<std::string> calls;
    std::size_t modifications = 0;
    for (const fake::LogEvent& event : run.notices) {
      if (event.job != id.ToString() || event.kind != "notify") continue;
      if (event.detail.starts_with("JobModification")) ++modifications;
      else if (event.detail.starts_with("JobTransferred")) calls.push_back("transferred");
      else if (event.detail.starts_with("JobError")) calls.push_back("error");
      else if (event.detail.starts_with("FileTransferred")) calls.push_back("file_transferred");
      else if (event.detail.starts_with("command line")) calls.push_back("command_line");
    }
    if (e.callbacks) {
      out.Part(job + " callbacks " + Join(*e.callbacks), calls == *e.callbacks, "callbacks were " + Join(calls));
    }
    if (e.min_modifications) {
      out.Part(job + " at least " + std::to_string(*e.min_modifications) + " JobModification calls",
               modifications >= *e.min_modifications, std::to_string(modifications) + " were made");
    }
  }
  if (e.findings) {
    // The local names as the scenario wrote them, or as a client's job holds them.
    std::vector<std::string> locals;
    const auto spec = std::find_if(run.scenario.jobs.begin(), run.scenario.jobs.end(),
                                   [&](const JobSpec& candidate) { return candidate.id == e.job; });
    if (spec != run.scenario.jobs.end()) {
      for (const FileSpec& file : spec->files) locals.push_back(file.local);
    } else if (Result<std::vector<FileStatus>> files = bits.GetFiles(id); files.ok()) {
      for (const FileStatus& file : *files) locals.push_back(file.local_name);
    }
    Result<std::string> description = bits.GetDescription(id);
    std::vector<std::string> rules;
    for (const wmp::Finding& finding :
         wmp::ValidateJob(description.ok() ? *description : "", locals, {run.scenario.store_keys})) {
      rules.push_back(finding.rule_id);
    }
    std::vector<std::string> expected = *e.findings;
    std::sort(rules.begin(), rules.end());
    std::sort(expected.begin(), expected.end());
    out.Part(job + " convention findings " + Join(expected), rules == expected, "findings were " + Join(rules));
  }
}

void CheckFile(const Expectation& e, RunView& run, Outcome& out) {
  const std::filesystem::path path = run.machine.work_folder() / e.file;
  const bool exists = std::filesystem::is_regular_file(path);
  if (e.exists) {
    out.Part("file " + e.file + (*e.exists ? " exists" : " does not exist"), exists == *e.exists,
             exists ? "it exists" : "it does not exist");
  }
  if (e.sha256 || e.same_as) {
    const std::string expected = e.sha256 ? *e.sha256 : ExpectedDigest(run.scenario, *e.same_as).value_or("?");
    const std::optional<std::string> actual = content::FileSha256Hex(path);
    out.Part("file " + e.file + (e.same_as ? " is the same as " + *e.same_as : " has sha256 " + expected),
             actual && *actual == expected, actual ? "its sha256 is " + *actual : "it cannot be read");
  }
}

// The value of header field `name` (without case) in `record`, or nullopt.
std::optional<std::string> HeaderOf(const server::RequestRecord& record, const std::string& name) {
  for (const auto& [field, value] : record.headers) {
    if (std::equal(field.begin(), field.end(), name.begin(), name.end(),
                   [](unsigned char a, unsigned char b) { return std::tolower(a) == std::tolower(b); })) {
      return value;
    }
  }
  return std::nullopt;
}

void CheckRequests(const Expectation& e, RunView& run, Outcome& out) {
  std::vector<std::string> ranges;
  std::vector<std::string> without;  // "request 2 (GET): no Authorization"
  // The loader refuses 'via: proxy' in a scenario without a proxy, so the machine has one.
  const server::RequestLog& log = e.via_proxy ? run.machine.proxy()->log() : run.machine.server().log();
  const std::string subject = e.via_proxy ? e.requests_path + " via the proxy" : e.requests_path;
  for (const server::RequestRecord& record : log.Records()) {
    if (record.path != e.requests_path) continue;
    ranges.push_back(record.range);
    for (const auto& [name, value] : e.request_headers.value_or(std::vector<std::pair<std::string, std::string>>{})) {
      const std::optional<std::string> got = HeaderOf(record, name);
      if (got != value) {
        without.push_back("request " + std::to_string(ranges.size()) + " (" + record.method + "): " +
                          (got ? name + ": " + *got : "no " + name));
      }
    }
  }
  if (e.request_headers) {
    std::string fields;
    for (const auto& [name, value] : *e.request_headers) fields += (fields.empty() ? "" : ", ") + name + ": " + value;
    out.Part("every request for " + subject + " carried " + fields, !ranges.empty() && without.empty(),
             ranges.empty() ? "there was no request" : Join(without));
  }
  if (e.ranges) {
    out.Part("requests for " + subject + " had ranges " + Join(*e.ranges), ranges == *e.ranges,
             "ranges were " + Join(ranges));
  }
  if (e.request_count) {
    out.Part("requests for " + subject + " numbered " + std::to_string(*e.request_count),
             ranges.size() == *e.request_count, std::to_string(ranges.size()) + " requests");
  }
}

void CheckTempFiles(const Expectation& e, RunView& run, Outcome& out) {
  std::vector<std::string> temps;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(run.machine.work_folder())) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("BIT") && name.ends_with(".tmp")) {
      temps.push_back(std::filesystem::relative(entry.path(), run.machine.work_folder()).string());
    }
  }
  out.Part(*e.temp_files ? "temporary files present" : "no temporary files left", temps.empty() != *e.temp_files,
           "temporary files: " + Join(temps));
}

void CheckLibrary(const Expectation& e, RunView& run, Outcome& out) {
  const std::vector<wmp::LibraryItem>& library = run.machine.player()->library();
  if (e.library_count) {
    out.Part("the library holds " + std::to_string(*e.library_count) + " items", library.size() == *e.library_count,
             "it holds " + std::to_string(library.size()));
    return;
  }
  const std::filesystem::path folder = run.machine.work_folder() / run.scenario.player->library;
  const auto item = std::find_if(library.begin(), library.end(), [&](const wmp::LibraryItem& candidate) {
    return std::filesystem::relative(candidate.file, folder) == std::filesystem::path(e.library_file);
  });
  std::vector<std::string> filed;
  for (const wmp::LibraryItem& candidate : library) filed.push_back(std::filesystem::relative(candidate.file, folder).string());
  out.Part("the library has " + e.library_file, item != library.end(), "the library has " + Join(filed));
  if (item == library.end()) return;
  const auto field = [&](const char* name, const std::optional<std::string>& wanted, const std::string& actual) {
    if (wanted) out.Part(std::string(name) + " '" + *wanted + "'", actual == *wanted, std::string(name) + " is '" + actual + "'");
  };
  field("title", e.title, item->metadata.title);
  field("album", e.album, item->metadata.album_title);
  field("album_artist", e.album_artist, item->metadata.album_artist);
  field("track_number", e.track_number, item->metadata.track_number);
  if (e.same_as) {
    const std::string expected = ExpectedDigest(run.scenario, *e.same_as).value_or("?");
    const std::optional<std::string> actual = content::FileSha256Hex(item->file);
    out.Part("same bytes as " + *e.same_as, actual && *actual == expected, actual ? "its sha256 is " + *actual : "it cannot be read");
  }
}

void CheckQueue(const Expectation& e, RunView& run, Outcome& out) {
  std::vector<std::string> left;
  for (const std::string& user : run.machine.ConnectedUsers()) {
    Result<std::vector<JobId>> jobs = run.machine.Connection(user).EnumJobs(EnumScope::kCurrentUser);
    if (!jobs.ok()) continue;
    for (const JobId& job : *jobs) {
      const auto named = std::find_if(run.jobs.begin(), run.jobs.end(), [&](const auto& entry) { return entry.second == job; });
      left.push_back(named != run.jobs.end() ? named->first : job.ToString());
    }
  }
  out.Part(*e.queue_empty ? "the queue is empty" : "jobs remain in the queue", left.empty() == *e.queue_empty,
           "the queue holds " + Join(left));
}

}  // namespace

ExpectationOutcome Check(const Expectation& expectation, RunView& run) {
  Outcome out(expectation);
  if (!expectation.job.empty()) CheckJob(expectation, run, out);
  if (!expectation.file.empty()) CheckFile(expectation, run, out);
  if (!expectation.requests_path.empty()) CheckRequests(expectation, run, out);
  if (expectation.temp_files) CheckTempFiles(expectation, run, out);
  if (!expectation.library_file.empty() || expectation.library_count) CheckLibrary(expectation, run, out);
  if (expectation.queue_empty) CheckQueue(expectation, run, out);
  return out.Finish(When(expectation));
}

}  // namespace bitsh::scenarios
