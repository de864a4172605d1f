#include "server/path_guard.h"

#include <system_error>

namespace bitsh::server {

namespace {

// Calls visit(segment) for each '/'-separated segment after the leading '/'.
template <typename Visit>
void ForEachSegment(std::string_view request_path, Visit visit) {
  std::size_t start = 1;
  while (start <= request_path.size()) {
    const std::size_t slash = std::min(request_path.find('/', start), request_path.size());
    visit(request_path.substr(start, slash - start));
    start = slash + 1;
  }
}

}  // namespace

std::optional<std::string> RefusalOf(std::string_view request_path) {
  if (request_path.empty() || request_path.front() != '/') return "path does not start with '/'";
  if (request_path.find('\0') != std::string_view::npos || request_path.find('\\') != std::string_view::npos) {
    return "path holds a NUL byte or a backslash";
  }
  bool climbs = false;
  ForEachSegment(request_path, [&](std::string_view segment) { climbs = climbs || segment == ".."; });
  if (climbs) return "path climbs out with '..'";
  return std::nullopt;
}

PathResolution ResolveRequestPath(const std::filesystem::path& root, std::string_view request_path) {
  if (std::optional<std::string> refusal = RefusalOf(request_path)) return {403, {}, *refusal};
  std::filesystem::path relative;
  ForEachSegment(request_path, [&](std::string_view segment) {
    if (!segment.empty() && segment != ".") relative /= std::string(segment);
  });
  if (relative.empty()) return {404, {}, "no file named"};

  std::error_code error;
  const std::filesystem::path canonical_root = std::filesystem::canonical(root, error);
  if (error) return {404, {}, "root is missing"};
  const std::filesystem::path candidate = canonical_root / relative;
  if (!std::filesystem::exists(candidate, error)) return {404, {}, "no such file"};
  const std::filesystem::path resolved = std::filesystem::canonical(candidate, error);
  if (error) return {404, {}, "cannot resolve: " + error.message()};
  // Symbolic links may point anywhere; the resolved file must still be below the root.
  const auto [root_end, unused] = std::mismatch(canonical_root.begin(), canonical_root.end(), resolved.begin(),
                                                resolved.end());
  (void)unused;
  if (root_end != canonical_root.end()) return {403, {}, "a link leads outside the root"};
  if (!std::filesystem::is_regular_file(resolved, error)) return {404, {}, "not a regular file"};
  return {200, resolved, ""};
}

}  // namespace bitsh::server
