// The ranges of an AddFileWithRanges file: what the call accepts, how large the local file will be
// once the remote file's size is known, and where in the remote file each local byte comes from.
// Pure functions (public: the scenario loader checks a scenario's ranges with them). The rules are the AddFileWithRanges page's: the ranges are
// written to the local file one after another in the order given, so local byte L comes from the
// range that holds the L-th byte of their concatenation.
#pragma once

#include <cstdint>
#include <vector>

#include "backend/job_types.h"
#include "backend/status.h"

namespace bitsh::fake {

// What AddFileWithRanges checks at the call: E_INVALIDARG for no range, BG_E_INVALID_RANGE for an
// offset of kLengthToEof, BG_E_OVERLAPPING_RANGES for two ranges that share a byte or an offset
// (docs/decisions.md, "File ranges"), BG_E_TOO_MANY_RANGES_IN_FILE over `max_ranges`.
Status CheckFileRanges(const std::vector<FileRange>& ranges, std::size_t max_ranges);

// The local file's size for a remote file of `remote_size` bytes: the ranges' lengths added
// (kLengthToEof read as "to the end"). BG_E_INVALID_RANGE, naming the range, for one that starts or
// ends past the end of the remote file.
Result<std::uint64_t> RangedSize(const std::vector<FileRange>& ranges, std::uint64_t remote_size);

// Where local byte `local_offset` comes from: its offset in the remote file, and how many bytes
// its range still holds from there. REQUIRES: RangedSize succeeded and local_offset is below it.
struct RangePosition {
  std::uint64_t remote_offset = 0;
  std::uint64_t left_in_range = 0;
};
RangePosition PositionOf(const std::vector<FileRange>& ranges, std::uint64_t remote_size, std::uint64_t local_offset);

}  // namespace bitsh::fake
