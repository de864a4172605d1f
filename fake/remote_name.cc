#include "fake/remote_name.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include "backend/utf8.h"

namespace bitsh::fake {
namespace {

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  // `prefix` is lower case. Compared in place: the engine asks for every request it makes.
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char c = text[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != prefix[i]) return false;
  }
  return true;
}

bool IsDrivePath(std::string_view name) {
  return name.size() >= 3 && std::isalpha(static_cast<unsigned char>(name[0])) && name[1] == ':' &&
         (name[2] == '\\' || name[2] == '/');
}

bool IsUncPath(std::string_view name) { return name.size() > 2 && name.starts_with("\\\\") && name[2] != '\\'; }

constexpr std::string_view kFileScheme = "file://";

std::optional<std::string> PercentDecoded(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded += text[i];
      continue;
    }
    if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      return std::nullopt;
    }
    decoded += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
    i += 2;
  }
  return decoded;
}

// The components of `path` after its root, split on either slash; ".." climbing above the root
// gives nullopt, "." and empty components are dropped (as Windows normalises them).
std::optional<std::vector<std::string>> Components(std::string_view path) {
  std::vector<std::string> parts;
  std::string part;
  auto flush = [&]() -> bool {
    if (part == "..") {
      if (parts.empty()) return false;
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    part.clear();
    return true;
  };
  for (char c : path) {
    if (c == '\\' || c == '/') {
      if (!flush()) return std::nullopt;
    } else {
      part += c;
    }
  }
  if (!flush()) return std::nullopt;
  return parts;
}

const std::filesystem::path* Lookup(const WindowsPathMap& map, std::string_view prefix) {
  const std::string wanted = AsciiLower(prefix);
  for (const auto& [key, folder] : map) {
    if (AsciiLower(key) == wanted) return &folder;
  }
  return nullptr;
}

LocalSource Failure(HResult code, std::string detail) { return LocalSource{{}, code, std::move(detail)}; }

// `root` is the drive ("C:") or share ("\\server\share") the name starts with, `rest` what follows.
LocalSource UnderMappedRoot(std::string_view name, std::string_view root, std::string_view rest,
                            const std::filesystem::path& folder) {
  const auto parts = Components(rest);
  if (!parts) return Failure(hr::kInvalidArg, "'" + std::string(name) + "' climbs out of " + std::string(root));
  if (parts->empty()) return Failure(hr::kInvalidArg, "'" + std::string(name) + "' names no file");
  std::filesystem::path path = folder;
  for (const std::string& part : *parts) path /= part;
  return LocalSource{path, hr::kOk, {}};
}

LocalSource ResolveDrivePath(std::string_view name, const WindowsPathMap& map) {
  const std::string_view drive = name.substr(0, 2);
  const std::filesystem::path* folder = Lookup(map, drive);
  if (folder == nullptr) {
    return Failure(hr::kPathNotFound, "drive " + std::string(drive) + " of '" + std::string(name) +
                                          "' does not exist on this machine (no folder is mapped to it)");
  }
  return UnderMappedRoot(name, drive, name.substr(2), *folder);
}

LocalSource ResolveUncPath(std::string_view name, const WindowsPathMap& map) {
  // \\server\share\rest: both separators accepted after the leading pair.
  const std::string_view after = name.substr(2);
  const std::size_t server_end = after.find_first_of("\\/");
  const std::string server(after.substr(0, server_end));
  if (server_end == std::string_view::npos) return Failure(hr::kInvalidArg, "'" + std::string(name) + "' names no share");
  const std::string_view tail = after.substr(server_end + 1);
  const std::size_t share_end = tail.find_first_of("\\/");
  const std::string share(tail.substr(0, share_end));
  const std::string root = "\\\\" + server + "\\" + share;
  if (const std::filesystem::path* folder = Lookup(map, root)) {
    return UnderMappedRoot(name, root, share_end == std::string_view::npos ? "" : tail.substr(share_end), *folder);
  }
  const bool server_known = std::ranges::any_of(map, [&](const auto& entry) {
    return StartsWithNoCase(entry.first, AsciiLower("\\\\" + server + "\\"));
  });
  if (server_known) return Failure(hr::kBadNetName, "share " + root + " of '" + std::string(name) + "' does not exist");
  return Failure(hr::kBadNetPath, "server \\\\" + server + " of '" + std::string(name) + "' is not on the network");
}

}  // namespace

RemoteNameForm FormOfRemoteName(std::string_view remote_name) {
  if (StartsWithNoCase(remote_name, "http://") || StartsWithNoCase(remote_name, "https://")) {
    return remote_name.find("://") + 3 < remote_name.size() ? RemoteNameForm::kHttp : RemoteNameForm::kUnsupported;
  }
  if (StartsWithNoCase(remote_name, kFileScheme)) {
    return remote_name.size() > kFileScheme.size() ? RemoteNameForm::kFileUrl : RemoteNameForm::kUnsupported;
  }
  if (IsUncPath(remote_name)) return RemoteNameForm::kUncPath;
  if (IsDrivePath(remote_name)) return RemoteNameForm::kLocalPath;
  if (remote_name.size() > 1 && remote_name.front() == '/' && remote_name[1] != '/') return RemoteNameForm::kLocalPath;
  return RemoteNameForm::kUnsupported;
}

LocalSource ResolveLocalSource(std::string_view remote_name, const WindowsPathMap& map) {
  std::string name(remote_name);
  if (FormOfRemoteName(remote_name) == RemoteNameForm::kFileUrl) {
    // "file://" followed by a path: file:///srv/a, file:///C:/a or file://C:\a (Wine's tests write
    // that form), file://localhost/srv/a, or file://server/share/a for a UNC path.
    const std::optional<std::string> decoded = PercentDecoded(remote_name.substr(kFileScheme.size()));
    if (!decoded) return Failure(hr::kInvalidArg, "'" + name + "' has a % that is not followed by two hex digits");
    std::string rest = *decoded;
    if (StartsWithNoCase(rest, "localhost/")) rest = rest.substr(9);
    if (rest.size() > 1 && rest.front() == '/' && IsDrivePath(std::string_view(rest).substr(1))) rest = rest.substr(1);
    if (IsDrivePath(rest) || rest.starts_with('/')) {
      name = rest;
    } else {
      name = "\\\\" + rest;
    }
  }
  if (IsDrivePath(name)) return ResolveDrivePath(name, map);
  if (IsUncPath(name)) return ResolveUncPath(name, map);
  const auto parts = Components(name);
  if (!parts || parts->empty()) return Failure(hr::kInvalidArg, "'" + std::string(remote_name) + "' names no file");
  std::filesystem::path path("/");
  for (const std::string& part : *parts) path /= part;
  return LocalSource{path, hr::kOk, {}};
}

}  // namespace bitsh::fake
