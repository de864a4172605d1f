#include "fake/file_ranges.h"

#include <algorithm>
#include <numeric>
#include <string>

namespace bitsh::fake {
namespace {

std::string Shown(const FileRange& range) {
  return std::to_string(range.initial_offset) + ":" +
         (range.length == kLengthToEof ? std::string("eof") : std::to_string(range.length));
}

// The range's length in a remote file of `remote_size` bytes (kLengthToEof: to the end).
std::uint64_t LengthIn(const FileRange& range, std::uint64_t remote_size) {
  return range.length == kLengthToEof ? remote_size - range.initial_offset : range.length;
}

}  // namespace

Status CheckFileRanges(const std::vector<FileRange>& ranges, std::size_t max_ranges) {
  if (ranges.empty()) return Status::InvalidArg("AddFileWithRanges needs one range or more");
  if (ranges.size() > max_ranges) {
    return Status(hr::kTooManyRangesInFile, std::to_string(ranges.size()) + " ranges; the MaxRangesPerFile policy allows " +
                                                std::to_string(max_ranges));
  }
  for (const FileRange& range : ranges) {
    if (range.initial_offset == kLengthToEof) return Status(hr::kInvalidRange, "range " + Shown(range) + " starts at BG_LENGTH_TO_EOF");
  }
  // Sorted by offset, each range must start after the previous one ends, at another offset.
  std::vector<FileRange> sorted = ranges;
  std::ranges::stable_sort(sorted, {}, &FileRange::initial_offset);
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    const FileRange& before = sorted[i - 1];
    const bool to_the_end = before.length == kLengthToEof;
    // A subtraction, not before.initial_offset + before.length, which can wrap past 2^64.
    if (to_the_end || sorted[i].initial_offset == before.initial_offset ||
        sorted[i].initial_offset - before.initial_offset < before.length) {
      return Status(hr::kOverlappingRanges, "ranges " + Shown(before) + " and " + Shown(sorted[i]) + " overlap");
    }
  }
  return Status::Ok();
}

Result<std::uint64_t> RangedSize(const std::vector<FileRange>& ranges, std::uint64_t remote_size) {
  std::uint64_t total = 0;
  for (const FileRange& range : ranges) {
    const bool past_the_end = range.initial_offset > remote_size ||
                              (range.length != kLengthToEof && range.length > remote_size - range.initial_offset);
    if (past_the_end) {
      return Status(hr::kInvalidRange, "range " + Shown(range) + " lies past the end of the " +
                                           std::to_string(remote_size) + "-byte remote file");
    }
    total += LengthIn(range, remote_size);
  }
  return total;
}

RangePosition PositionOf(const std::vector<FileRange>& ranges, std::uint64_t remote_size, std::uint64_t local_offset) {
  for (const FileRange& range : ranges) {
    const std::uint64_t length = LengthIn(range, remote_size);
    if (local_offset < length) return {range.initial_offset + local_offset, length - local_offset};
    local_offset -= length;
  }
  return {remote_size, 0};  // past the last range: nothing left (the REQUIRES was broken)
}

}  // namespace bitsh::fake
