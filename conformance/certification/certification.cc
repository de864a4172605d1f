#include "conformance/certification/certification.h"

#include <unistd.h>

#include <algorithm>
#include <functional>
#include <map>

#include "content/sha256.h"
#include "fake/fake_service.h"
#include "fake/http_transport.h"
#include "server/file_server.h"
#include "wmp/download_manager.h"
#include "wmp/player.h"

namespace bitsh::certification {
namespace {

// One condition of the battery.
struct Condition {
  std::string name;
  fake::NetworkPlan network;
  bool drop_each_file_midway = false;
  bool restart_service = false;
  std::uint32_t refresh_download = 1;
};

std::vector<Condition> Battery() {
  std::vector<Condition> battery(6);
  battery[0].name = "clean";
  battery[1].name = "drop_and_resume";
  battery[1].drop_each_file_midway = true;
  battery[2].name = "throttled_64KiB_s";
  battery[2].network.bandwidth_bytes_per_s = 64 * 1024;
  battery[3].name = "outage_longer_than_retry_delay";
  battery[3].network.outages = {{std::chrono::milliseconds(200), std::chrono::minutes(20)}};
  battery[4].name = "service_restart";
  battery[4].restart_service = true;
  battery[5].name = "player_polling_off";
  battery[5].refresh_download = 0;
  return battery;
}

// Rules checked in every condition, then those that need the Player to act.
const std::vector<std::string> kJobRules = {"queuer-succeeds", "one-media-file-per-job", "metadata-matches-manifest",
                                            "download-manager-shows-each-track"};
const std::vector<std::string> kPlayerOnRules = {"library-has-every-track", "queue-empty-at-end", "no-temp-files-left"};
const std::vector<std::string> kPlayerOffRules = {"player-leaves-jobs-alone-when-refreshdownload-is-0"};

bool IsMedia(const std::string& name) {
  std::string extension = std::filesystem::path(name).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".wma" || extension == ".wmv" || extension == ".mp3" || extension == ".asf";
}

class ConditionRun {
 public:
  ConditionRun(const Condition& condition, const Manifest& manifest, std::uint64_t seed, StoreQueuer& queuer,
               CertificationReport& report)
      : condition_(condition), manifest_(manifest), seed_(seed), queuer_(queuer), report_(report) {}

  void Execute() {
    std::string pattern = (std::filesystem::temp_directory_path() / "bitsh-certify-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) return;
    work_ = pattern;
    std::filesystem::create_directories(work_ / "downloads");
    for (const ManifestTrack& track : manifest_.tracks) {
      server_.AddGeneratedFile(track.path, track.size, track.seed);
      if (condition_.drop_each_file_midway) {
        server_.AddFault({.path = track.path, .request_number = 2, .kind = server::FaultKind::kCloseAfterBytes,
                          .after_bytes = track.size / 2});
      }
    }
    if (!server_.Start().ok()) return;
    fake::FakeOptions options;
    options.seed = seed_;
    if (condition_.restart_service) options.snapshot_path = work_ / "queue.json";
    service_ = std::make_unique<fake::FakeBitsService>(options, http_);
    bits_ = service_->Connect("customer");
    fake::ApplyNetworkPlan(*service_, condition_.network);
    if (condition_.restart_service) {
      service_->events().ScheduleAfter(std::chrono::milliseconds(300), [this] { service_->Restart(); });
    }
    wmp::PlayerSettings settings{condition_.refresh_download, work_ / "library", {manifest_.store_key}};
    player_ = std::make_unique<wmp::Player>(*bits_, settings);

    Purchase purchase{manifest_.store_key, manifest_.service_id, {}, work_ / "downloads"};
    for (const ManifestTrack& track : manifest_.tracks) {
      purchase.tracks.push_back(track.track);
      purchase.tracks.back().url = server_.base_url() + track.path;
    }
    const Status queued = queuer_.QueuePurchase(*bits_, purchase);
    Row("queuer-succeeds", queued.ok() ? std::vector<std::string>{} : std::vector<std::string>{"QueuePurchase returned " + queued.ToString()});
    CheckJobs(purchase);
    RunPlayer();
    if (condition_.refresh_download == 0) CheckPlayerLeftJobsAlone();
    else CheckLibraryAndQueue(purchase);
  }

  ~ConditionRun() {
    player_.reset();
    bits_.reset();
    service_.reset();
    server_.Stop();
    if (!work_.empty()) std::filesystem::remove_all(work_);
  }

 private:
  // Findings name paths relative to the run's folder (the folder itself is random).
  void Row(const std::string& rule, std::vector<std::string> findings) {
    const std::string base = work_.string(), neutral = "<work>";
    for (std::string& finding : findings) {
      for (std::size_t at = finding.find(base); at != std::string::npos; at = finding.find(base, at + neutral.size())) {
        finding.replace(at, base.size(), neutral);
      }
      const std::string url_base = server_.base_url();
      for (std::size_t at = finding.find(url_base); at != std::string::npos; at = finding.find(url_base)) {
        finding.replace(at, url_base.size(), "http://server");
      }
    }
    report_.outcomes.push_back({condition_.name, rule, findings.empty(), std::move(findings)});
  }

  // The customer's jobs in the queue now (empty if the queue cannot be read).
  std::vector<JobId> Jobs() {
    Result<std::vector<JobId>> jobs = bits_->EnumJobs(EnumScope::kCurrentUser);
    return jobs.ok() ? *jobs : std::vector<JobId>{};
  }

  std::string JobName(const JobId& job) {
    Result<std::string> name = bits_->GetDisplayName(job);
    return "job '" + (name.ok() ? *name : job.ToString()) + "'";
  }

  // The jobs as the queuer left them: convention rules, shape, metadata, the Download Manager.
  void CheckJobs(const Purchase& purchase) {
    std::map<std::string, std::vector<std::string>> by_rule;
    std::vector<std::string> shape, metadata;
    std::map<std::string, wmp::ConventionRecord> record_by_url;
    const std::vector<JobId> jobs = Jobs();
    for (const JobId& job : jobs) {
      Result<std::string> described = bits_->GetDescription(job);
      Result<std::vector<FileStatus>> listed = bits_->GetFiles(job);
      if (!described.ok() || !listed.ok()) continue;
      const std::string& description = *described;
      const std::vector<FileStatus>& files = *listed;
      std::vector<std::string> locals;
      for (const FileStatus& file : files) locals.push_back(file.local_name);
      for (const wmp::Finding& finding : wmp::ValidateJob(description, locals, {{manifest_.store_key}})) {
        if (finding.severity == wmp::Severity::kError) by_rule[finding.rule_id].push_back(JobName(job) + ": " + wmp::ToString(finding));
      }
      if (files.size() != 1 || !IsMedia(files.front().local_name)) {
        shape.push_back(JobName(job) + ": " + std::to_string(files.size()) + " file(s), first '" +
                        (files.empty() ? std::string() : files.front().local_name) + "'");
      }
      if (const wmp::ParseResult parsed = wmp::ParseDescription(description); parsed.fields) {
        for (const FileStatus& file : files) record_by_url[file.remote_url] = *parsed.fields;
      }
    }
    for (std::string_view rule : wmp::kRuleIds) Row(std::string(rule), by_rule[std::string(rule)]);
    Row("one-media-file-per-job", shape);
    for (const PurchasedTrack& track : purchase.tracks) {
      auto found = record_by_url.find(track.url);
      if (found == record_by_url.end()) {
        metadata.push_back("no job with a readable convention description downloads " + track.url);
        continue;
      }
      const wmp::ConventionRecord& r = found->second;
      const auto compare = [&](const char* field, const std::string& got, const std::string& want) {
        if (got != want) metadata.push_back("track '" + track.title + "': field " + field + " is '" + got + "', the manifest says '" + want + "'");
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
    wmp::DownloadManager manager(*bits_, *player_, work_ / "downloads");
    wmp::DownloadCollection& collection = manager.getDownloadCollection(static_cast<std::int32_t>(manifest_.service_id));
    std::vector<std::string> shown, missing;
    for (std::int32_t i = 0; i < collection.count(); ++i) shown.push_back((*collection.item(i))->sourceURL());
    for (const PurchasedTrack& track : purchase.tracks) {
      if (std::find(shown.begin(), shown.end(), track.url) == shown.end()) {
        missing.push_back("getDownloadCollection(" + std::to_string(static_cast<std::int32_t>(manifest_.service_id)) +
                          ") does not show '" + track.title + "' (" + track.url + ")");
      }
    }
    Row("download-manager-shows-each-track", missing);
  }

  void RunPlayer() {
    poll_ = [this] {
      const bool acted = !player_->Poll().empty();
      if (acted || service_->events().pending() > 0) service_->events().ScheduleAfter(std::chrono::seconds(30), poll_);
    };
    service_->events().ScheduleAfter(std::chrono::seconds(30), poll_);
    service_->RunUntilIdle(std::chrono::hours(24 * 30));
  }

  void CheckLibraryAndQueue(const Purchase& purchase) {
    std::vector<std::string> library;
    for (std::size_t i = 0; i < purchase.tracks.size(); ++i) {
      const PurchasedTrack& track = purchase.tracks[i];
      const ManifestTrack& source = manifest_.tracks[i];
      const auto item = std::find_if(player_->library().begin(), player_->library().end(), [&](const wmp::LibraryItem& it) {
        return it.metadata.title == track.title && it.metadata.track_number == track.track_number;
      });
      if (item == player_->library().end()) {
        library.push_back("track '" + track.title + "' is not in the library");
      } else if (content::FileSha256Hex(item->file) != content::GeneratedSha256Hex(source.seed, source.size)) {
        library.push_back("track '" + track.title + "' in the library does not have the served bytes");
      }
    }
    Row("library-has-every-track", library);
    std::vector<std::string> left;
    for (const JobId& job : Jobs()) {
      Result<JobState> state = bits_->GetState(job);
      left.push_back(JobName(job) + " is still " + (state.ok() ? std::string(ToString(*state)) : state.status().ToString()));
    }
    Row("queue-empty-at-end", left);
    std::vector<std::string> temps;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(work_ / "downloads")) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with("BIT") && name.ends_with(".tmp")) temps.push_back(name + " left in the download folder");
    }
    Row("no-temp-files-left", temps);
  }

  void CheckPlayerLeftJobsAlone() {
    std::vector<std::string> touched;
    if (!player_->library().empty()) touched.push_back("the Player filed tracks although RefreshDownload is 0");
    if (Jobs().size() < manifest_.tracks.size()) {
      touched.push_back("jobs left the queue although nothing should complete them");
    }
    Row("player-leaves-jobs-alone-when-refreshdownload-is-0", touched);
  }

  const Condition& condition_;
  const Manifest& manifest_;
  std::uint64_t seed_;
  StoreQueuer& queuer_;
  CertificationReport& report_;
  std::filesystem::path work_;
  server::FileServer server_{server::FileServerOptions{}};
  fake::HttpTransport http_;
  std::unique_ptr<fake::FakeBitsService> service_;
  std::unique_ptr<Backend> bits_;
  std::unique_ptr<wmp::Player> player_;
  std::function<void()> poll_;
};

}  // namespace

CertificationReport Certify(StoreQueuer& queuer, const Manifest& manifest, std::uint64_t seed) {
  CertificationReport report;
  for (std::string_view rule : wmp::kRuleIds) report.rules.emplace_back(rule);
  for (const auto* rules : {&kJobRules, &kPlayerOnRules, &kPlayerOffRules}) {
    report.rules.insert(report.rules.end(), rules->begin(), rules->end());
  }
  for (const Condition& condition : Battery()) {
    report.conditions.push_back(condition.name);
    ConditionRun run(condition, manifest, seed, queuer, report);
    run.Execute();
  }
  return report;
}

bool CertificationReport::passed() const {
  return !outcomes.empty() &&
         std::all_of(outcomes.begin(), outcomes.end(), [](const RuleOutcome& outcome) { return outcome.passed; });
}

}  // namespace bitsh::certification
