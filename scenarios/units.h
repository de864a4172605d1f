// The units scenario files write: durations ("250ms", "10min", "1.5h", "14d"), sizes ("5MiB",
// "2.5MB", "1000"), bandwidths ("64KiB/s"). Each parser returns nullopt for text it cannot read,
// so the loader can say where and why.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "backend/clock.h"

namespace bitsh::scenarios {

// "<number><unit>" with unit ms, s, min, h or d; the number may have a fraction.
std::optional<Duration> ParseDuration(std::string_view text);
// "<number>[unit]" with unit B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024);
// a whole number of bytes must result.
std::optional<std::uint64_t> ParseSize(std::string_view text);
// "<size>/s".
std::optional<std::uint64_t> ParseBandwidth(std::string_view text);

// "10min", "1500ms", "2d": the shortest exact form in one unit (what a scenario file could say).
std::string FormatDuration(Duration duration);
// "15h 19min 10.502s": for people reading reports.
std::string HumanDuration(Duration duration);

}  // namespace bitsh::scenarios
