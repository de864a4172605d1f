#include "server/byte_ranges.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "server/http_syntax.h"

namespace bitsh::server {
namespace {

constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max();

// 1*DIGIT; a value beyond 64 bits saturates (every use reads it as "past the end"). nullopt when
// empty or not all digits.
std::optional<std::uint64_t> ParsePosition(std::string_view digits) {
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error == std::errc::result_out_of_range) return kSaturated;
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

bool StartsWithBytesUnit(std::string_view value) {  // range units are case-insensitive (§14.1)
  constexpr std::string_view kUnit = "bytes=";
  if (value.size() < kUnit.size()) return false;
  for (std::size_t i = 0; i < kUnit.size(); ++i) {
    const char c = value[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kUnit[i]) return false;
  }
  return true;
}

}  // namespace

RangeRequest ParseRangeHeader(std::string_view value, std::uint64_t size) {
  const RangeRequest ignore;
  if (!StartsWithBytesUnit(value)) return ignore;
  std::string_view set = value.substr(6);
  std::vector<ByteRange> satisfiable;
  std::size_t specs = 0;
  while (!set.empty()) {
    const std::size_t comma = set.find(',');
    const std::string_view spec = TrimOws(set.substr(0, comma));
    set = comma == std::string_view::npos ? std::string_view() : set.substr(comma + 1);
    if (spec.empty()) continue;  // an empty list element
    if (++specs > kMaxRanges) return ignore;
    const std::size_t dash = spec.find('-');
    if (dash == std::string_view::npos) return ignore;
    const std::string_view first_text = spec.substr(0, dash), last_text = spec.substr(dash + 1);
    if (first_text.empty()) {  // suffix-range: the last n bytes
      const std::optional<std::uint64_t> n = ParsePosition(last_text);
      if (!n) return ignore;
      if (*n == 0) continue;      // unsatisfiable
      if (size == 0) return ignore;  // satisfiable, yet no 206 can carry zero bytes
      satisfiable.push_back({size - std::min(*n, size), size - 1});
      continue;
    }
    const std::optional<std::uint64_t> first = ParsePosition(first_text);
    const std::optional<std::uint64_t> last =
        last_text.empty() ? std::optional<std::uint64_t>(kSaturated) : ParsePosition(last_text);
    if (!first || !last || *last < *first) return ignore;  // an invalid range-spec spoils the set
    if (*first >= size) continue;                          // unsatisfiable
    satisfiable.push_back({*first, std::min(*last, size - 1)});
  }
  if (specs == 0) return ignore;
  if (satisfiable.empty()) return {RangeRequest::Kind::kUnsatisfiable, {}};
  return {RangeRequest::Kind::kSatisfiable, std::move(satisfiable)};
}

std::string ContentRange(const ByteRange& range, std::uint64_t size) {
  return "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" + std::to_string(size);
}

std::vector<BodyPiece> MultipartBody(const std::vector<ByteRange>& ranges, std::uint64_t size,
                                     std::string_view content_type, std::string_view boundary) {
  std::vector<BodyPiece> pieces;
  for (const ByteRange& range : ranges) {
    // The CRLF before a boundary belongs to the boundary (RFC 2046 §5.1.1), so a part's bytes end
    // exactly where its range does.
    pieces.push_back({std::string(pieces.empty() ? "" : "\r\n") + "--" + std::string(boundary) +
                          "\r\nContent-Type: " + std::string(content_type) +
                          "\r\nContent-Range: " + ContentRange(range, size) + "\r\n\r\n",
                      range.first, range.length()});
  }
  pieces.push_back({"\r\n--" + std::string(boundary) + "--\r\n", 0, 0});
  return pieces;
}

std::uint64_t BodyLength(const std::vector<BodyPiece>& pieces) {
  std::uint64_t total = 0;
  for (const BodyPiece& piece : pieces) total += piece.framing.size() + piece.length;
  return total;
}

}  // namespace bitsh::server
