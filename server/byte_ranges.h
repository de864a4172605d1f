// Byte ranges (RFC 9110 §14): the Range field of a GET, and the body that answers it - one part,
// or several as multipart/byteranges (§14.6), which BITS documents that it can read.
//
// The body is described, not built: a list of BodyPieces, each some framing text followed by a
// stretch of the file, which the server's writer streams (a 4 GiB file is never in memory).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bitsh::server {

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
  std::uint64_t length() const { return last - first + 1; }
  bool operator==(const ByteRange&) const = default;
};

// At most this many ranges are served in one answer; a longer list is ignored (§14.2 lets a
// server ignore Range; §17.15 warns about many small ranges). BITS asks for one at a time.
inline constexpr std::size_t kMaxRanges = 64;

struct RangeRequest {
  enum class Kind {
    kIgnore,         // no Range, or one to ignore: answer 200 with the whole representation
    kSatisfiable,    // answer 206 with `ranges` (one: a single part; more: multipart/byteranges)
    kUnsatisfiable,  // answer 416 with "Content-Range: bytes */size"
  };
  Kind kind = Kind::kIgnore;
  std::vector<ByteRange> ranges;  // kSatisfiable only: the satisfiable ranges, in request order
};

// Reads a Range field value against a representation of `size` bytes (§14.1.1, §14.2). Ignored:
// an empty value, a unit other than "bytes", a malformed list (e.g. "bytes=5-3", "bytes=-"),
// more than kMaxRanges ranges, and a suffix range of an empty representation (satisfiable, but
// a 206 cannot describe zero bytes). Ranges that start at or past the end are dropped; none
// left is kUnsatisfiable. A last position past the end stops at the end; numbers too large for
// 64 bits count as "past the end" rather than overflowing. Ranges are neither sorted nor merged.
RangeRequest ParseRangeHeader(std::string_view value, std::uint64_t size);

// Some framing text, then bytes [first, first + length) of the file.
struct BodyPiece {
  std::string framing;
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};

// The body of a 206 for two or more ranges: a part per range, each with Content-Type
// `content_type` and its Content-Range, separated by `boundary`; the first boundary is the first
// byte of the body (BITS reads at most two CRLFs before it).
std::vector<BodyPiece> MultipartBody(const std::vector<ByteRange>& ranges, std::uint64_t size,
                                     std::string_view content_type, std::string_view boundary);

// The total length of a body described by `pieces` (its Content-Length).
std::uint64_t BodyLength(const std::vector<BodyPiece>& pieces);

// "bytes 0-99/1000"
std::string ContentRange(const ByteRange& range, std::uint64_t size);

}  // namespace bitsh::server
