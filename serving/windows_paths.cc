#include "serving/windows_paths.h"

#include <cctype>
#include <system_error>

namespace bitsh::serving {

Result<WindowsPaths> WindowsPaths::FromWinePrefix(const std::filesystem::path& prefix) {
  WindowsPaths paths;
  const std::filesystem::path devices = prefix / "dosdevices";
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(devices, error)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != 2 || name[1] != ':' || !std::isalpha(static_cast<unsigned char>(name[0]))) continue;
    std::error_code ignored;
    const std::filesystem::path target = std::filesystem::canonical(entry.path(), ignored);
    if (!ignored) paths.AddDrive(name[0], target);
  }
  if (paths.empty()) {
    return Status(hr::kFail, "no drive in " + devices.string() + (error ? ": " + error.message() : std::string()) +
                                 " (is " + prefix.string() + " a Wine prefix?)");
  }
  return paths;
}

void WindowsPaths::AddDrive(char letter, const std::filesystem::path& root) {
  std::string folder = std::filesystem::absolute(root).lexically_normal().string();
  while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
  drives_[static_cast<char>(std::toupper(static_cast<unsigned char>(letter)))] = folder;
}

std::map<std::string, std::filesystem::path> WindowsPaths::Drives() const {
  std::map<std::string, std::filesystem::path> drives;
  for (const auto& [letter, folder] : drives_) drives[std::string(1, letter) + ":"] = folder;
  return drives;
}

std::string WindowsPaths::ToHost(std::string_view name) const {
  const bool drive_path = name.size() >= 3 && std::isalpha(static_cast<unsigned char>(name[0])) && name[1] == ':' &&
                          (name[2] == '\\' || name[2] == '/');
  if (!drive_path) return std::string(name);
  const auto found = drives_.find(static_cast<char>(std::toupper(static_cast<unsigned char>(name[0]))));
  if (found == drives_.end()) return std::string(name);
  std::string rest(name.substr(3));
  for (char& c : rest) {
    if (c == '\\') c = '/';
  }
  return found->second == "/" ? "/" + rest : found->second + "/" + rest;
}

std::string WindowsPaths::ToWindows(std::string_view path) const {
  const std::pair<const char, std::string>* best = nullptr;
  for (const auto& drive : drives_) {
    const std::string& folder = drive.second;
    const bool under = folder == "/" ? path.starts_with('/')
                                     : path.starts_with(folder) && (path.size() == folder.size() || path[folder.size()] == '/');
    if (under && (best == nullptr || folder.size() > best->second.size())) best = &drive;
  }
  if (best == nullptr) return std::string(path);
  std::string rest(path.substr(best->second == "/" ? 1 : std::min(path.size(), best->second.size() + 1)));
  for (char& c : rest) {
    if (c == '/') c = '\\';
  }
  return std::string(1, best->first) + ":\\" + rest;
}

}  // namespace bitsh::serving
