// ValueRange: "A..B" or "A" on the command line, an inclusive range of whole values
// (bitsh run --seeds 1..1000, bitsh sweep --at 0..END --request 1..3).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "backend/status.h"

namespace bitsh::cli {

struct ValueRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::uint64_t size() const { return last - first + 1; }
};

// Reads `text` ("A..B", or "A" alone for A..A) with `read_end` reading each end (nullopt: not a
// value). E_INVALIDARG naming `option` and `what` an end must be, when an end does not read or
// A > B.
Result<ValueRange> ParseValueRange(std::string_view option, std::string_view text, std::string_view what,
                                   const std::function<std::optional<std::uint64_t>(std::string_view)>& read_end);

// A whole decimal number, the whole text; nullopt otherwise.
std::optional<std::uint64_t> ReadWholeNumber(std::string_view text);

}  // namespace bitsh::cli
