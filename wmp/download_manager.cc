#include "wmp/download_manager.h"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

namespace bitsh::wmp {
namespace {

std::int32_t AsLong(std::uint64_t value) {
  if (value == kSizeUnknown) return -1;
  return static_cast<std::int32_t>(std::min<std::uint64_t>(value, std::numeric_limits<std::int32_t>::max()));
}

bool IsMediaUrl(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  const std::size_t dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return false;
  return IsMediaExtension(path.substr(dot));
}

}  // namespace

std::string_view ToString(DownloadState state) {
  constexpr std::array<std::string_view, 5> kNames = {"Downloading", "Paused", "Processing", "Completed", "Cancelled"};
  return kNames[static_cast<std::size_t>(state)];
}

// --- DownloadItem -----------------------------------------------------------------------------

std::int32_t DownloadItem::size() const {
  Result<std::vector<FileStatus>> files = manager_.bits_.GetFiles(job_);
  return files.ok() && !files->empty() ? AsLong(files->front().progress.bytes_total) : -1;
}

std::int32_t DownloadItem::progress() const {
  Result<std::vector<FileStatus>> files = manager_.bits_.GetFiles(job_);
  return files.ok() && !files->empty() ? AsLong(files->front().progress.bytes_transferred) : -1;
}

DownloadState DownloadItem::downloadState() const {
  if (manager_.player_.Completed(job_)) return DownloadState::kCompleted;
  if (cancelled_here_) return DownloadState::kCancelled;
  Result<JobState> state = manager_.bits_.GetState(job_);
  if (!state.ok()) return DownloadState::kCompleted;  // gone from the queue without a cancel
  switch (*state) {
    case JobState::kSuspended: return DownloadState::kPaused;
    case JobState::kTransferred: return DownloadState::kProcessing;
    case JobState::kAcknowledged: return DownloadState::kCompleted;
    case JobState::kCancelled: return DownloadState::kCancelled;
    default: return DownloadState::kDownloading;  // includes ERROR (G17): no DM state exists for it
  }
}

Status DownloadItem::pause() { return manager_.bits_.Suspend(job_); }

Status DownloadItem::resume() { return manager_.bits_.Resume(job_); }

Status DownloadItem::cancel() {
  Status status = manager_.bits_.Cancel(job_);
  if (status.ok()) cancelled_here_ = true;
  return status;
}

Result<std::string> DownloadItem::getItemInfo(const std::string& name) const {
  const std::array<std::pair<const char*, const std::string*>, 7> kAttributes = {{
      {"AlbumArtist", &metadata_.album_artist},
      {"Album", &metadata_.album_title},
      {"Duration", &metadata_.duration},
      {"WM/Provider", &metadata_.provider},
      {"Title", &metadata_.title},
      {"UserRating", &metadata_.rating},
      {"WM/TrackNumber", &metadata_.track_number},
  }};
  for (const auto& [attribute, value] : kAttributes) {
    if (name == attribute) return *value;
  }
  return Status::InvalidArg("getItemInfo: '" + name + "' is not an attribute the Download Manager exposes");
}

// --- DownloadCollection -----------------------------------------------------------------------

void DownloadCollection::Refresh() {
  Result<std::vector<JobId>> jobs = manager_.bits_.EnumJobs(EnumScope::kCurrentUser);
  if (!jobs.ok()) return;
  for (const JobId& job : *jobs) {
    if (known_.contains(job)) continue;
    Result<std::string> description = manager_.bits_.GetDescription(job);
    if (!description.ok()) continue;
    const ParseResult parsed = ParseDescription(*description);
    if (!parsed.record || parsed.record->CollectionId() != id_) continue;
    Result<std::vector<FileStatus>> files = manager_.bits_.GetFiles(job);
    const std::string url = files.ok() && !files->empty() ? files->front().remote_url : "";
    known_.insert(job);
    items_.push_back(std::unique_ptr<DownloadItem>(new DownloadItem(manager_, job, url, *parsed.record)));
  }
}

std::int32_t DownloadCollection::count() {
  Refresh();
  return static_cast<std::int32_t>(items_.size());
}

Result<DownloadItem*> DownloadCollection::item(std::int32_t index) {
  Refresh();
  if (index < 0 || static_cast<std::size_t>(index) >= items_.size()) {
    return Status::InvalidArg("item(" + std::to_string(index) + "): the collection has " +
                              std::to_string(items_.size()) + " items");
  }
  return items_[static_cast<std::size_t>(index)].get();
}

Result<DownloadItem*> DownloadCollection::startDownload(const std::string& url, const std::string& type) {
  if (type == "real time") return Status::NotImplemented("real-time downloads are not simulated");
  if (type != "background") return Status::InvalidArg("type '" + type + "' is neither 'background' nor 'real time'");
  if (!IsMediaUrl(url)) return Status::InvalidArg("startDownload: only ASF, MP3, WMA and WMV content: " + url);
  const std::string file_name = url.substr(url.find_last_of('/') + 1);
  ConventionRecord record;
  record.service_id = static_cast<std::uint32_t>(id_);
  record.provider = manager_.player_.settings().store_keys.empty() ? "DownloadManager"
                                                                   : manager_.player_.settings().store_keys.front();
  record.title = file_name.substr(0, file_name.rfind('.'));
  Result<std::string> description = FormatDescription(record);
  if (!description.ok()) return description.status();
  Backend& bits = manager_.bits_;
  Result<JobId> job = bits.CreateJob("Download Manager: " + file_name, JobType::kDownload);
  if (!job.ok()) return job.status();
  const std::filesystem::path local = manager_.download_folder_ / file_name;
  for (Status status : {bits.SetDescription(*job, *description), bits.AddFile(*job, url, local.string()), bits.Resume(*job)}) {
    if (!status.ok()) {
      (void)bits.Cancel(*job);
      return status;
    }
  }
  known_.insert(*job);
  items_.push_back(std::unique_ptr<DownloadItem>(new DownloadItem(manager_, *job, url, record)));
  return items_.back().get();
}

Status DownloadCollection::removeItem(std::int32_t index) {
  Result<DownloadItem*> found = item(index);
  if (!found.ok()) return found.status();
  const DownloadState state = (*found)->downloadState();
  if (state != DownloadState::kCompleted && state != DownloadState::kCancelled) {
    Status cancelled = (*found)->cancel();
    if (!cancelled.ok() && !cancelled.IsInvalidState()) return cancelled;
  }
  items_.erase(items_.begin() + index);  // known_ keeps the job: it never comes back
  return Status::Ok();
}

Status DownloadCollection::Clear() {
  while (!items_.empty()) {
    if (Status removed = removeItem(0); !removed.ok()) return removed;
  }
  return Status::Ok();
}

// --- DownloadManager --------------------------------------------------------------------------

DownloadManager::DownloadManager(Backend& bits, Player& player, std::filesystem::path download_folder)
    : bits_(bits), player_(player), download_folder_(std::move(download_folder)) {}

DownloadCollection& DownloadManager::createDownloadCollection() {
  while (collections_.contains(next_id_)) ++next_id_;
  return getDownloadCollection(next_id_++);
}

DownloadCollection& DownloadManager::getDownloadCollection(std::int32_t collection_id) {
  std::unique_ptr<DownloadCollection>& collection = collections_[collection_id];
  if (!collection) collection.reset(new DownloadCollection(*this, collection_id));
  return *collection;
}

}  // namespace bitsh::wmp
