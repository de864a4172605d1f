// The Download Manager object model as a store's web page sees it (external.DownloadManager), over
// the backend's jobs: collections keyed by the convention's serviceId, items with their source URL,
// size, progress, state and metadata, and pause/resume/cancel. Member names are Microsoft's script
// names, so a store's page logic can be transcribed one to one. Semantics and the decisions where
// Microsoft is silent (spec §8, §9, G17-G19): docs/player.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "wmp/convention.h"
#include "wmp/player.h"

namespace bitsh::wmp {

// WMPSubscriptionDownloadState.
enum class DownloadState : std::int32_t {
  kDownloading = 0,  // wmpsdlsDownloading: QUEUED, CONNECTING, TRANSFERRING, TRANSIENT_ERROR, and ERROR (G17)
  kPaused = 1,       // wmpsdlsPaused: SUSPENDED
  kProcessing = 2,   // wmpsdlsProcessing: TRANSFERRED, waiting for the Player
  kCompleted = 3,    // wmpsdlsCompleted: completed (by the Player, or by the store for WMP_STATUS)
  kCancelled = 4,    // wmpsdlsCancelled: CANCELLED, or cancel()
};
std::string_view ToString(DownloadState state);

class DownloadManager;

// IWMPDownloadItem2 over one BITS job.
class DownloadItem {
 public:
  std::string sourceURL() const { return source_url_; }
  // Bytes of the file; -1 while unknown. Longs are 32-bit: larger values saturate at 2^31-1.
  std::int32_t size() const;
  // Bytes transferred; -1 while unknown.
  std::int32_t progress() const;
  std::string type() const { return "background"; }
  DownloadState downloadState() const;
  Status pause();
  Status resume();
  // Cancels the job; the item stays in its collection with downloadState 4.
  Status cancel();
  // The description's metadata by attribute name: AlbumArtist, Album, Duration, WM/Provider, Title,
  // UserRating, WM/TrackNumber. E_INVALIDARG for any other name (G: the docs are silent).
  Result<std::string> getItemInfo(const std::string& name) const;

  const JobId& job() const { return job_; }

 private:
  friend class DownloadCollection;
  DownloadItem(DownloadManager& manager, JobId job, std::string source_url, ConventionRecord metadata)
      : manager_(manager), job_(job), source_url_(std::move(source_url)), metadata_(std::move(metadata)) {}

  DownloadManager& manager_;
  JobId job_;
  std::string source_url_;
  ConventionRecord metadata_;
  bool cancelled_here_ = false;
};

// IWMPDownloadCollection: the jobs of one serviceId, plus the items it has seen complete or cancel.
class DownloadCollection {
 public:
  std::int32_t id() const { return id_; }
  // Every item still in the collection, cancelled and completed ones included (G18).
  std::int32_t count();
  // Zero-based; E_INVALIDARG out of range (G19). The pointer lives as long as the collection.
  Result<DownloadItem*> item(std::int32_t index);
  // Queues a background download of `url` into this collection. type "real time" is E_NOTIMPL (the
  // simulation has no streaming); only ASF, MP3, WMA and WMV URLs are accepted (E_INVALIDARG).
  Result<DownloadItem*> startDownload(const std::string& url, const std::string& type);
  // Cancels the item if it is in progress and removes it from the collection.
  Status removeItem(std::int32_t index);
  // removeItem for every item.
  Status Clear();

 private:
  friend class DownloadManager;
  DownloadCollection(DownloadManager& manager, std::int32_t id) : manager_(manager), id_(id) {}
  // Adds the queue's jobs for this serviceId that the collection has not seen.
  void Refresh();

  DownloadManager& manager_;
  std::int32_t id_;
  std::vector<std::unique_ptr<DownloadItem>> items_;
  std::set<JobId> known_;  // listed now or removed before: never listed again
};

// IWMPDownloadManager.
class DownloadManager {
 public:
  // REQUIRES: bits and player outlive the manager; bits acts as the Player's user.
  // `download_folder` receives the files startDownload queues.
  DownloadManager(Backend& bits, Player& player, std::filesystem::path download_folder);

  // A new, empty collection with a new id.
  DownloadCollection& createDownloadCollection();
  // The collection for `collection_id` (a store's serviceId as a signed long), made on first use.
  DownloadCollection& getDownloadCollection(std::int32_t collection_id);

 private:
  friend class DownloadItem;
  friend class DownloadCollection;

  Backend& bits_;
  Player& player_;
  std::filesystem::path download_folder_;
  std::map<std::int32_t, std::unique_ptr<DownloadCollection>> collections_;
  std::int32_t next_id_ = 1;
};

}  // namespace bitsh::wmp
