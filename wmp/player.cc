#include "wmp/player.h"

#include <system_error>

namespace bitsh::wmp {
namespace {

// A library folder name from metadata: never empty, never a path of its own.
std::string FolderName(const std::string& text, const char* unknown) {
  std::string name = text.empty() ? unknown : text;
  for (char& c : name) {
    if (c == '/' || c == '\\' || c == '\0') c = '_';
  }
  if (name == "." || name == "..") name = unknown;
  return name;
}

}  // namespace

Player::Player(Backend& bits, PlayerSettings settings) : bits_(bits), settings_(std::move(settings)) {}

std::vector<PlayerJobNote> Player::Poll() {
  std::vector<PlayerJobNote> notes;
  if (settings_.refresh_download.value_or(0) == 0) return notes;  // the Player never looks
  Result<std::vector<JobId>> jobs = bits_.EnumJobs(EnumScope::kCurrentUser);
  if (!jobs.ok()) return notes;
  for (const JobId& job : *jobs) {
    Result<std::string> description = bits_.GetDescription(job);
    if (!description.ok() || !ClaimsConvention(*description)) continue;  // not a Player job
    Result<std::vector<FileStatus>> files = bits_.GetFiles(job);
    if (!files.ok()) continue;
    std::vector<std::string> locals;
    for (const FileStatus& file : *files) locals.push_back(file.local_name);
    std::vector<Finding> findings = ValidateJob(*description, locals, {settings_.store_keys});
    if (HasErrors(findings)) {
      // G16: an invalid job is left untouched, and reported once.
      if (refused_.emplace(job, findings).second) {
        notes.push_back({job, "ignored: " + ToString(findings.front())});
      }
      continue;
    }
    const ParseResult parsed = ParseDescription(*description);
    if (parsed.record->kind == RecordKind::kStatus) continue;  // only shown, never touched
    CompleteIfTransferred(job, *parsed.record, *files, notes);
  }
  return notes;
}

void Player::CompleteIfTransferred(const JobId& job, const ConventionRecord& record,
                                   const std::vector<FileStatus>& files, std::vector<PlayerJobNote>& notes) {
  // SUSPENDED stays SUSPENDED: starting the transfer is the store's Resume, never the Player's.
  Result<JobState> state = bits_.GetState(job);
  if (!state.ok() || *state != JobState::kTransferred) return;
  if (Status completed = bits_.Complete(job); !completed.ok()) {
    notes.push_back({job, "complete failed: " + completed.ToString()});
    return;
  }
  const std::filesystem::path source = files.front().local_name;
  const std::filesystem::path target = LibraryPathFor(record, source);
  std::error_code error;
  std::filesystem::create_directories(target.parent_path(), error);
  std::filesystem::rename(source, target, error);
  if (error) {  // another volume: copy, then remove
    error.clear();
    std::filesystem::copy_file(source, target, error);
    if (!error) std::filesystem::remove(source, error);
  }
  if (error) {
    notes.push_back({job, "completed, but moving " + source.string() + " failed: " + error.message()});
    return;
  }
  completed_.insert(job);
  library_.push_back(LibraryItem{target, record, job});
  notes.push_back({job, "completed: " + target.string()});
}

std::filesystem::path Player::LibraryPathFor(const ConventionRecord& record, const std::filesystem::path& source) const {
  // <library>/<AlbumArtist>/<AlbumTitle>/<file name>; a name already taken gets " (2)", " (3)", ...
  const std::filesystem::path folder = settings_.library_folder / FolderName(record.album_artist, "Unknown Artist") /
                                       FolderName(record.album_title, "Unknown Album");
  std::filesystem::path target = folder / source.filename();
  for (int n = 2; std::filesystem::exists(target); ++n) {
    target = folder / (source.stem().string() + " (" + std::to_string(n) + ")" + source.extension().string());
  }
  return target;
}

}  // namespace bitsh::wmp
