// PathGuard: maps a request path onto a file below the served root, refusing every way out of it:
// ".." segments (also percent-encoded: httplib decodes before we see the path), backslashes, NUL
// bytes, and symbolic links that resolve outside the root.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace bitsh::server {

struct PathResolution {
  int http_status = 200;           // 200, 403 (refused) or 404 (no such file)
  std::filesystem::path file;      // the canonical file, when http_status is 200
  std::string reason;              // why it was refused, for the log
};

// Why `request_path` can never name a file below any root ("path climbs out with '..'", ...), or
// nullopt when its form is acceptable. Checked for every request, generated files included.
std::optional<std::string> RefusalOf(std::string_view request_path);

// REQUIRES: root is an existing directory. `request_path` is the decoded URL path ("/a/b.wma").
PathResolution ResolveRequestPath(const std::filesystem::path& root, std::string_view request_path);

}  // namespace bitsh::server
