// Player: what Windows Media Player does with the BITS queue (the WMP BITS job convention).
//
// While RefreshDownload (HKCU\Software\Microsoft\MediaPlayer\Services) is non-zero, the Player
// looks at its user's queue at every poll. For each job whose description is a valid ::WMP_JOB:1:
// record it waits: once the job is TRANSFERRED it completes it, moves the file into the library
// folder, and adds it to the library with the description's metadata; Complete removes the job from
// the queue. It never resumes, suspends or cancels a job: Microsoft's convention page leaves the
// transfer to the store ("once the job is started, leave it to WMP"), so a store that never calls
// Resume must see its jobs sit in SUSPENDED, as on Windows. ::WMP_STATUS:1: jobs are only shown.
// Jobs claiming the convention with an invalid description are left alone and reported once as
// findings. Decisions where Microsoft is silent (placement, name collisions, more than one file,
// non-media files) and the audit of what the Player does not do: docs/player.md.
//
// The Player works through the Backend interface only, so the same logic runs over the fake and
// over real BITS. It does not schedule itself: call Poll() every poll interval (the scenario runner
// does so on the virtual clock).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "wmp/convention.h"

namespace bitsh::wmp {

struct PlayerSettings {
  // The RefreshDownload registry value; absent is treated as 0 (spec G15): the Player never looks.
  std::optional<std::uint32_t> refresh_download;
  // Where the Player files downloaded media (the folder ripped music goes to).
  std::filesystem::path library_folder;
  // Installed online-store keys (HKLM\SOFTWARE\Microsoft\MediaPlayer\Subscriptions\<key>).
  std::vector<std::string> store_keys;
};

// One track in the simulated library.
struct LibraryItem {
  std::filesystem::path file;     // where the Player moved it
  ConventionRecord metadata;      // from the job's description
  JobId job;
};

// A job the Player completed, failed to complete, or refused, for reports and the Download Manager.
struct PlayerJobNote {
  JobId job;
  std::string what;  // "completed: <path>", "ignored: WMP-FILE-COUNT ...", "complete failed: ..."
};

class Player {
 public:
  // REQUIRES: bits outlives the player and acts as the user running the Player.
  Player(Backend& bits, PlayerSettings settings);

  // One look at the queue. Returns what it did (empty when RefreshDownload is 0 or nothing to do).
  std::vector<PlayerJobNote> Poll();

  const std::vector<LibraryItem>& library() const { return library_; }
  // Convention findings of the jobs the Player refused, by job.
  const std::map<JobId, std::vector<Finding>>& refused() const { return refused_; }
  bool Completed(const JobId& job) const { return completed_.contains(job); }
  const PlayerSettings& settings() const { return settings_; }

 private:
  // Completes a TRANSFERRED job and files its media; any other state is left to BITS and the store.
  void CompleteIfTransferred(const JobId& job, const ConventionRecord& record, const std::vector<FileStatus>& files,
                             std::vector<PlayerJobNote>& notes);
  std::filesystem::path LibraryPathFor(const ConventionRecord& record, const std::filesystem::path& source) const;

  Backend& bits_;
  PlayerSettings settings_;
  std::vector<LibraryItem> library_;
  std::map<JobId, std::vector<Finding>> refused_;
  std::set<JobId> completed_;
};

}  // namespace bitsh::wmp
