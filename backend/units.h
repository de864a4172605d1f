// The units scenario files and the file server's control API write: durations ("250ms", "90 min",
// "1.5h"), sizes ("15 MiB", "2.5MB", "1000"), bandwidths ("1 Mbps", "64KiB/s") and probabilities
// ("0.1", "10%"). docs/scenarios.md ("Units") has the grammar as a
// table, scenarios/schema.json the same grammar as patterns, and scenarios/testdata/units_table.txt
// the inputs both are tested on. Each parser returns nullopt for text it cannot read, so the loader
// can say where and why.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "backend/clock.h"

namespace bitsh {

// A number is digits with an optional fraction ("1", "1.5"; not ".5", "1.", "1e3", "-1"); at most
// one space may stand between it and its unit.

// "<number>[ ]<unit>", unit ms, s, min, h or d, rounded to the nanosecond.
std::optional<Duration> ParseDuration(std::string_view text);
// A duration with an optional sign: "-2h", "+3d", "90min" (a clock set back or forward).
std::optional<Duration> ParseSignedDuration(std::string_view text);
// "<number>[[ ]<unit>]", unit B, kB or KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of
// 1024). The result must be whole bytes, and that is decided by how it is written, not by
// arithmetic, so a pattern can check it: no fraction without a unit or with B; up to 3 decimals
// with KB, 6 with MB, 9 with GB; halves, quarters and eighths (".5", ".25", ".125") with KiB, MiB
// and GiB.
std::optional<std::uint64_t> ParseSize(std::string_view text);
// In bytes per second, 0 for "unlimited": "<size>/s" ("64KiB/s", "1 MB/s", "1000/s"), or a bit rate
// "<number>[ ]<unit>", unit kbit/s or kbps (no decimals), Mbit/s or Mbps (up to 3), Gbit/s or Gbps
// (up to 6), where k may be K. 1 Mbit/s is 10^6 bits: 125000 bytes per second.
std::optional<std::uint64_t> ParseBandwidth(std::string_view text);
// A probability above 0 and at most 1: "<number>" or "<number>%" ("0.1", "10%"; not "1e-1", "5.",
// "050%").
std::optional<double> ParseProbability(std::string_view text);
// True when the text would be a size (a bandwidth) but for its decimals, for a better message.
bool IsSizeWithTooManyDecimals(std::string_view text);
bool IsBandwidthWithTooManyDecimals(std::string_view text);

// "10min", "1500ms", "2d": the shortest exact form in one unit (what a scenario file could say).
std::string FormatDuration(Duration duration);
// "15h 19min 10.502s": for people reading reports.
std::string HumanDuration(Duration duration);

}  // namespace bitsh
