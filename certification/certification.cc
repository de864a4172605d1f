#include "certification/certification.h"

#include <algorithm>
#include <map>
#include <optional>

#include "backend/recording_backend.h"
#include "content/sha256.h"
#include "scenarios/actions.h"
#include "scenarios/scenario_runner.h"
#include "sim/machine.h"
#include "wmp/download_manager.h"
#include "wmp/player.h"

namespace bitsh::certification {
namespace {

constexpr const char* kCustomer = "customer";

// The battery: one scenario per condition, with the manifest's tracks served. The store's code
// and the checks run beside it (ConditionRun, the runner's hooks).
std::vector<scenarios::Scenario> Battery(const Manifest& manifest, std::uint64_t seed) {
  scenarios::Scenario base;
  base.path = "<certification>";
  base.seed = seed;
  base.max_virtual_time = std::chrono::hours(24 * 30);
  base.store_keys = {manifest.store_key};
  base.users = {{.name = kCustomer}};
  for (const ManifestTrack& track : manifest.tracks) {
    base.server_files.push_back({.path = track.path, .size = track.size, .seed = track.seed});
  }
  base.player = scenarios::PlayerSpec{.refresh_download = 1, .poll_interval = std::chrono::seconds(30),
                                      .library = "library", .user = kCustomer};

  std::vector<scenarios::Scenario> battery(6, base);
  battery[0].name = "clean";
  battery[1].name = "drop_and_resume";
  for (const ManifestTrack& track : manifest.tracks) {
    battery[1].server_faults.push_back({.path = track.path, .request_number = 2,
                                        .kind = server::FaultKind::kCloseAfterBytes, .after_bytes = track.size / 2});
  }
  battery[2].name = "throttled_64KiB_s";
  battery[2].network.bandwidth_bytes_per_s = 64 * 1024;
  battery[3].name = "outage_longer_than_retry_delay";
  battery[3].network.outages = {{std::chrono::milliseconds(200), std::chrono::minutes(20)}};
  battery[4].name = "service_restart";
  battery[4].events = {{.at = std::chrono::milliseconds(300), .kind = scenarios::FindMachineEventKind("restart_service")}};
  battery[5].name = "player_polling_off";
  battery[5].player->refresh_download = 0;
  return battery;
}

// Rules checked in every condition, then those that need the Player to act.
const std::vector<std::string> kJobRules = {"queuer-succeeds", "store-resumes-every-job",
                                            "no-job-left-suspended-after-queuing", "metadata-matches-manifest",
                                            "download-manager-shows-each-track"};
const std::vector<std::string> kPlayerOnRules = {"library-has-every-track", "queue-empty-at-end", "no-temp-files-left"};
const std::vector<std::string> kPlayerOffRules = {"player-leaves-jobs-alone-when-refreshdownload-is-0"};

// The store's code and the checks, run by the scenario runner on the condition's machine.
class ConditionRun final : public scenarios::RunHooks {
 public:
  ConditionRun(const scenarios::Scenario& condition, const Manifest& manifest, StoreQueuer& queuer,
               CertificationReport& report)
      : condition_(condition), manifest_(manifest), queuer_(queuer), report_(report) {}

  void Execute() {
    scenarios::RunOptions options;
    options.hooks = this;
    const scenarios::ScenarioResult result = scenarios::RunScenario(condition_, options);
    // Reported only when it fails, so passing reports keep their rows.
    if (!result.internal_error.empty()) Row("simulated-machine-runs", {{result.internal_error, "", "", ""}});
  }

  // At time zero: the store queues the purchase; what can be checked before anything downloads.
  void OnStart(sim::Machine& machine) override {
    machine_ = &machine;
    std::filesystem::create_directories(machine.work_folder() / "downloads");
    Purchase purchase{manifest_.store_key, manifest_.service_id, {}, machine.work_folder() / "downloads", kCustomer};
    for (const ManifestTrack& track : manifest_.tracks) {
      purchase.tracks.push_back(track.track);
      purchase.tracks.back().url = machine.Url(track.path);
    }
    RecordingBackend calls(bits());
    const Status queued = queuer_.QueuePurchase(calls, purchase);
    if (!queued.ok()) {
      Row("queuer-succeeds", {{"QueuePurchase returned " + queued.ToString(), "", "queuer-succeeds", ""}});
    } else {
      Row("queuer-succeeds", {});
    }
    queuer_failed_ = !queued.ok();
    for (const RecordingBackend::Created& created : calls.created()) created_.push_back(created.job);
    purchase_ = purchase;
    CheckConvention();
    CheckStarted(calls);
    CheckMetadata(purchase);
    CheckDownloadManager(purchase);
  }

  // When the Player has done what it will: the library, the queue, the download folder.
  void OnEnd(sim::Machine& machine) override {
    machine_ = &machine;
    if (condition_.player->refresh_download == 0) CheckPlayerLeftJobsAlone();
    else CheckLibraryAndQueue(purchase_);
    machine_ = nullptr;  // gone after the run
  }

 private:
  Backend& bits() { return machine_->Connection(kCustomer); }
  wmp::Player& player() { return *machine_->player(); }
  const std::filesystem::path& work() const { return machine_->work_folder(); }

  // Findings name paths relative to the run's folder and server (both change on every run).
  void Row(const std::string& rule, std::vector<RuleFinding> findings) {
    for (RuleFinding& finding : findings) {
      if (machine_ == nullptr) continue;
      finding.text = machine_->Neutral(finding.text);
      finding.excerpt = machine_->Neutral(finding.excerpt);
    }
    report_.outcomes.push_back({condition_.name, rule, findings.empty(), std::move(findings)});
  }

  // The customer's jobs in the queue now (empty if the queue cannot be read), in the order the
  // queuer created them: EnumJobs has no order, and a report should read like the purchase.
  std::vector<JobId> Jobs() {
    Result<std::vector<JobId>> listed = bits().EnumJobs(EnumScope::kCurrentUser);
    std::vector<JobId> jobs = listed.ok() ? *listed : std::vector<JobId>{};
    const auto rank = [this](const JobId& job) {
      return static_cast<std::size_t>(std::find(created_.begin(), created_.end(), job) - created_.begin());
    };
    std::stable_sort(jobs.begin(), jobs.end(), [&](const JobId& a, const JobId& b) { return rank(a) < rank(b); });
    return jobs;
  }

  std::string JobName(const JobId& job) {
    Result<std::string> name = bits().GetDisplayName(job);
    return "job '" + (name.ok() ? *name : job.ToString()) + "'";
  }

  // The first problem that keeps `job` from reaching the library, as a cause key ("" if none).
  std::string CauseOf(const std::optional<JobId>& job) const {
    if (!job) return queuer_failed_ ? "queuer-succeeds" : "";
    auto found = cause_.find(*job);
    return found == cause_.end() ? "" : found->second;
  }
  void SetCauseOnce(const JobId& job, const std::string& key) { cause_.emplace(job, key); }

  std::optional<JobId> JobFor(const PurchasedTrack& track) const {
    auto found = job_for_url_.find(track.url);
    return found == job_for_url_.end() ? std::nullopt : std::optional<JobId>(found->second);
  }

  // The convention rules, on the jobs as the queuer left them; each error becomes its job's cause.
  void CheckConvention() {
    std::map<std::string, std::vector<RuleFinding>> by_rule;
    for (const JobId& job : Jobs()) {
      Result<std::string> description = bits().GetDescription(job);
      Result<std::vector<FileStatus>> files = bits().GetFiles(job);
      if (!description.ok() || !files.ok()) continue;
      std::vector<std::string> locals;
      for (const FileStatus& file : *files) {
        locals.push_back(file.local_name);
        job_for_url_.emplace(file.remote_url, job);
      }
      const wmp::ParseResult parsed = wmp::ParseDescription(*description);
      if (parsed.fields) fields_of_[job] = *parsed.fields;
      for (const wmp::Finding& finding : wmp::ValidateJob(*description, locals, {{manifest_.store_key}})) {
        if (finding.severity != wmp::Severity::kError) continue;
        const std::string key = finding.rule_id + " on " + JobName(job);
        const std::string excerpt = finding.field == "file" ? "" : wmp::PointAt(*description, finding.offset);
        by_rule[finding.rule_id].push_back({JobName(job) + ": " + wmp::ToString(finding), excerpt, key, ""});
        SetCauseOnce(job, key);
        field_cause_[job].emplace(finding.field, key);
      }
    }
    for (std::string_view rule : wmp::kRuleIds) Row(std::string(rule), by_rule[std::string(rule)]);
  }

  // BITS creates every job SUSPENDED, and WMP never resumes one: the store must call Resume.
  void CheckStarted(const RecordingBackend& calls) {
    std::vector<RuleFinding> never, suspended;
    for (const JobId& job : created_) {
      const std::string never_key = "store-resumes-every-job on " + JobName(job);
      if (!calls.Resumed(job)) {
        never.push_back({JobName(job) + " was created but never resumed: BITS keeps a new job SUSPENDED until "
                         "the store calls Resume, and Windows Media Player never resumes a job for the store",
                         "", never_key, ""});
        SetCauseOnce(job, never_key);
      }
      Result<JobState> state = bits().GetState(job);
      if (state.ok() && *state == JobState::kSuspended) {
        const std::string key = "no-job-left-suspended-after-queuing on " + JobName(job);
        suspended.push_back({JobName(job) + " is SUSPENDED when QueuePurchase returns, so nothing downloads it", "",
                             key, calls.Resumed(job) ? "" : never_key});
        if (calls.Resumed(job)) SetCauseOnce(job, key);
      }
    }
    Row("store-resumes-every-job", never);
    Row("no-job-left-suspended-after-queuing", suspended);
  }

  void CheckMetadata(const Purchase& purchase) {
    std::vector<RuleFinding> metadata;
    for (const PurchasedTrack& track : purchase.tracks) {
      const std::optional<JobId> job = JobFor(track);
      if (!job) {
        metadata.push_back({"no job downloads track '" + track.title + "' (" + track.url + ")", "", "",
                            CauseOf(job)});
        continue;
      }
      auto fields = fields_of_.find(*job);
      if (fields == fields_of_.end()) {
        metadata.push_back({"the description of " + JobName(*job) + " (track '" + track.title +
                                "') cannot be read as the convention's fields",
                            "", "", CauseOf(job)});
        continue;
      }
      const wmp::ConventionRecord& r = fields->second;
      const auto compare = [&](const char* field, const std::string& got, const std::string& want) {
        if (got == want) return;
        auto cause = field_cause_[*job].find(field);
        metadata.push_back({"track '" + track.title + "': field " + field + " is '" + got + "', the manifest says '" +
                                want + "'",
                            "", "", cause == field_cause_[*job].end() ? "" : cause->second});
      };
      compare("serviceId", std::to_string(r.service_id), std::to_string(manifest_.service_id));
      compare("Provider", r.provider, manifest_.store_key);
      compare("AlbumArtist", r.album_artist, track.album_artist);
      compare("AlbumTitle", r.album_title, track.album);
      compare("TrackNumber", r.track_number, track.track_number);
      compare("Title", r.title, track.title);
      compare("Duration", r.duration, track.duration);
      compare("Rating", r.rating, track.rating);
    }
    Row("metadata-matches-manifest", metadata);
  }

  void CheckDownloadManager(const Purchase& purchase) {
    wmp::DownloadManager manager(bits(), player(), work() / "downloads");
    const auto collection_id = static_cast<std::int32_t>(manifest_.service_id);
    wmp::DownloadCollection& collection = manager.getDownloadCollection(collection_id);
    std::vector<std::string> shown;
    for (std::int32_t i = 0; i < collection.count(); ++i) shown.push_back((*collection.item(i))->sourceURL());
    // A serviceId above 2^31-1 is a negative collection id: say so, or the number looks wrong.
    const std::string id_text =
        std::to_string(collection_id) +
        (collection_id < 0 ? " (serviceId " + std::to_string(manifest_.service_id) +
                                 " read as the signed 32-bit long the Download Manager takes)"
                           : "");
    std::vector<RuleFinding> missing;
    for (const PurchasedTrack& track : purchase.tracks) {
      if (std::find(shown.begin(), shown.end(), track.url) != shown.end()) continue;
      missing.push_back({"getDownloadCollection(" + id_text + ") does not show '" + track.title + "' (" + track.url + ")",
                         "", "", CauseOf(JobFor(track))});
    }
    Row("download-manager-shows-each-track", missing);
  }

  std::string StateOf(const JobId& job) {
    Result<JobState> state = bits().GetState(job);
    if (!state.ok()) return state.status().ToString();
    std::string text(ToString(*state));
    if (*state == JobState::kError || *state == JobState::kTransientError) {
      if (Result<JobError> error = bits().GetError(job); error.ok()) text += " with " + HResultName(error->code);
    }
    return text;
  }

  void CheckLibraryAndQueue(const Purchase& purchase) {
    std::vector<RuleFinding> library;
    for (std::size_t i = 0; i < purchase.tracks.size(); ++i) {
      const PurchasedTrack& track = purchase.tracks[i];
      const ManifestTrack& source = manifest_.tracks[i];
      const auto item = std::find_if(player().library().begin(), player().library().end(), [&](const wmp::LibraryItem& it) {
        return it.metadata.title == track.title && it.metadata.track_number == track.track_number;
      });
      const std::optional<JobId> job = JobFor(track);
      if (item == player().library().end()) {
        library.push_back({"track '" + track.title + "' is not in the library" +
                               (job ? "; " + JobName(*job) + " is " + StateOf(*job) : std::string()),
                           "", "", CauseOf(job)});
      } else if (content::FileSha256Hex(item->file) != content::GeneratedSha256Hex(source.seed, source.size)) {
        library.push_back({"track '" + track.title + "' in the library does not have the served bytes", "", "", ""});
      }
    }
    Row("library-has-every-track", library);
    std::vector<RuleFinding> left;
    for (const JobId& job : Jobs()) left.push_back({JobName(job) + " is still " + StateOf(job), "", "", CauseOf(job)});
    Row("queue-empty-at-end", left);
    // BITS keeps the temporary file of a job still in the queue, so while jobs are left, leftover
    // temporary files follow from that (which job owns which file is not visible to a client).
    std::vector<RuleFinding> temps;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(work() / "downloads")) {
      const std::string name = entry.path().filename().string();
      if (!name.starts_with("BIT") || !name.ends_with(".tmp")) continue;
      if (left.empty()) temps.push_back({name + " left in the download folder", "", "", ""});
      else temps.push_back({name + " left in the download folder, as BITS keeps it for a job still in the queue", "", "", "queue-empty-at-end"});
    }
    std::sort(temps.begin(), temps.end(), [](const RuleFinding& a, const RuleFinding& b) { return a.text < b.text; });
    Row("no-temp-files-left", temps);
  }

  void CheckPlayerLeftJobsAlone() {
    std::vector<RuleFinding> touched;
    if (!player().library().empty()) touched.push_back({"the Player filed tracks although RefreshDownload is 0", "", "", ""});
    if (Jobs().size() < manifest_.tracks.size()) {
      touched.push_back({"jobs left the queue although nothing should complete them", "", "", ""});
    }
    Row("player-leaves-jobs-alone-when-refreshdownload-is-0", touched);
  }

  const scenarios::Scenario& condition_;
  const Manifest& manifest_;
  StoreQueuer& queuer_;
  CertificationReport& report_;
  sim::Machine* machine_ = nullptr;  // during the run only
  Purchase purchase_;
  bool queuer_failed_ = false;
  std::vector<JobId> created_;                                        // by the queuer, in order
  std::map<std::string, JobId> job_for_url_;                          // each track's job, by URL
  std::map<JobId, wmp::ConventionRecord> fields_of_;                  // readable descriptions
  std::map<JobId, std::string> cause_;                                // first problem of each job
  std::map<JobId, std::map<std::string, std::string>> field_cause_;  // convention error per field
};

}  // namespace

CertificationReport Certify(StoreQueuer& queuer, const Manifest& manifest, std::uint64_t seed) {
  CertificationReport report;
  for (std::string_view rule : wmp::kRuleIds) report.rules.emplace_back(rule);
  for (const auto* rules : {&kJobRules, &kPlayerOnRules, &kPlayerOffRules}) {
    report.rules.insert(report.rules.end(), rules->begin(), rules->end());
  }
  for (const scenarios::Scenario& condition : Battery(manifest, seed)) {
    report.conditions.push_back(condition.name);
    ConditionRun run(condition, manifest, queuer, report);
    run.Execute();
  }
  return report;
}

bool CertificationReport::passed() const {
  return !outcomes.empty() &&
         std::all_of(outcomes.begin(), outcomes.end(), [](const RuleOutcome& outcome) { return outcome.passed; });
}

}  // namespace bitsh::certification
