#include "backend/units.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace bitsh {
namespace {

// "<digits>[.<digits>][ ]<unit>": the number as written, and the unit after at most one space.
struct Quantity {
  std::string_view whole;
  std::string_view fraction;  // digits after the point, "" without one
  std::string_view unit;
  bool spaced = false;  // a space stood between the number and the unit
};

bool AllDigits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

std::optional<Quantity> ReadQuantity(std::string_view text) {
  const std::size_t end = text.find_first_not_of("0123456789.");
  const std::string_view number = text.substr(0, end);
  Quantity quantity;
  const std::size_t dot = number.find('.');
  quantity.whole = number.substr(0, dot);
  if (dot != std::string_view::npos) quantity.fraction = number.substr(dot + 1);
  if (!AllDigits(quantity.whole) || (dot != std::string_view::npos && !AllDigits(quantity.fraction))) return std::nullopt;
  quantity.unit = end == std::string_view::npos ? std::string_view() : text.substr(end);
  if (quantity.unit.starts_with(' ')) {
    quantity.unit.remove_prefix(1);
    quantity.spaced = true;
    if (quantity.unit.empty() || quantity.unit.front() == ' ') return std::nullopt;  // one space, then a unit
  }
  return quantity;
}

// Which decimals a unit takes: those that always give whole bytes. Decimal units take up to
// `decimals` digits; binary ones halves, quarters and eighths (any trailing zeros).
struct ByteUnit {
  std::string_view name;
  std::uint64_t bytes;
  int decimals;  // -1: eighths
};

constexpr std::array<ByteUnit, 9> kSizeUnits = {{{"", 1, 0}, {"B", 1, 0}, {"kB", 1000, 3}, {"KB", 1000, 3},
                                                 {"MB", 1'000'000, 6}, {"GB", 1'000'000'000, 9},
                                                 {"KiB", 1ull << 10, -1}, {"MiB", 1ull << 20, -1},
                                                 {"GiB", 1ull << 30, -1}}};
// Bit rates in bytes per second; a bit rate must come to whole bytes per second too.
constexpr std::array<ByteUnit, 8> kBitRateUnits = {{{"kbit/s", 125, 0}, {"Kbit/s", 125, 0}, {"kbps", 125, 0},
                                                    {"Kbps", 125, 0}, {"Mbit/s", 125'000, 3}, {"Mbps", 125'000, 3},
                                                    {"Gbit/s", 125'000'000, 6}, {"Gbps", 125'000'000, 6}}};

bool FractionAllowed(std::string_view fraction, int decimals) {
  if (decimals >= 0) return fraction.size() <= static_cast<std::size_t>(decimals);
  while (fraction.ends_with('0')) fraction.remove_suffix(1);
  for (std::string_view eighth : {"", "5", "25", "75", "125", "375", "625", "875"}) {
    if (fraction == eighth) return true;
  }
  return false;
}

enum class Reading { kBytes, kNotWhole, kUnreadable };

// Bytes for `quantity` in `unit`, computed exactly (no floating point), or why not.
std::pair<Reading, std::uint64_t> Bytes(const Quantity& quantity, const ByteUnit& unit) {
  if (!FractionAllowed(quantity.fraction, unit.decimals)) return {Reading::kNotWhole, 0};
  std::uint64_t whole = 0;
  const auto [end, error] = std::from_chars(quantity.whole.data(), quantity.whole.data() + quantity.whole.size(), whole);
  if (error != std::errc() || end != quantity.whole.data() + quantity.whole.size()) return {Reading::kUnreadable, 0};
  std::string_view fraction = quantity.fraction;
  while (fraction.ends_with('0')) fraction.remove_suffix(1);
  std::uint64_t numerator = 0;  // at most 9 digits once trailing zeros are gone
  std::uint64_t denominator = 1;
  for (char digit : fraction) {
    numerator = numerator * 10 + static_cast<std::uint64_t>(digit - '0');
    denominator *= 10;
  }
  std::uint64_t bytes = 0;
  if (__builtin_mul_overflow(whole, unit.bytes, &bytes) ||
      __builtin_add_overflow(bytes, numerator * unit.bytes / denominator, &bytes)) {
    return {Reading::kUnreadable, 0};
  }
  return {Reading::kBytes, bytes};
}

std::pair<Reading, std::uint64_t> ReadBytes(std::string_view text, bool rate) {
  const std::optional<Quantity> quantity = ReadQuantity(text);
  if (!quantity) return {Reading::kUnreadable, 0};
  for (const ByteUnit& unit : kSizeUnits) {
    const std::string per_second = std::string(unit.name) + "/s";
    if (quantity->unit == (rate ? std::string_view(per_second) : unit.name)) {
      // "1000/s" reads, "1000 /s" does not: a space goes only between a number and a unit.
      if (unit.name.empty() && quantity->spaced) return {Reading::kUnreadable, 0};
      return Bytes(*quantity, unit);
    }
  }
  if (rate) {
    for (const ByteUnit& unit : kBitRateUnits) {
      if (quantity->unit == unit.name) return Bytes(*quantity, unit);
    }
  }
  return {Reading::kUnreadable, 0};
}

}  // namespace

std::optional<Duration> ParseDuration(std::string_view text) {
  const std::optional<Quantity> quantity = ReadQuantity(text);
  if (!quantity) return std::nullopt;
  constexpr std::array<std::pair<std::string_view, long double>, 5> kUnits = {
      {{"ms", 1e6L}, {"s", 1e9L}, {"min", 60e9L}, {"h", 3600e9L}, {"d", 86400e9L}}};
  for (const auto& [unit, nanos] : kUnits) {
    if (quantity->unit != unit) continue;
    long double value = 0;
    for (char digit : quantity->whole) value = value * 10 + (digit - '0');
    long double scale = 1;
    for (char digit : quantity->fraction) value += (digit - '0') * (scale /= 10);
    const long double total = value * nanos;
    if (total > 9e18L) return std::nullopt;
    return Duration(static_cast<std::int64_t>(std::llround(total)));
  }
  return std::nullopt;
}

std::optional<Duration> ParseSignedDuration(std::string_view text) {
  const bool negative = text.starts_with('-');
  if (negative || text.starts_with('+')) text.remove_prefix(1);
  const std::optional<Duration> duration = ParseDuration(text);
  if (!duration) return std::nullopt;
  return negative ? -*duration : *duration;
}

std::optional<double> ParseProbability(std::string_view text) {
  const bool percent = text.ends_with('%');
  const std::string_view number = text.substr(0, text.size() - (percent ? 1 : 0));
  // Digits with an optional fraction, as the other units take them, and no leading zero.
  const std::size_t point = number.find('.');
  const auto digits = [](std::string_view part) {
    return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const std::string_view whole = number.substr(0, point);
  const bool written_well = digits(whole) && (whole.size() == 1 || whole.front() != '0') &&
                            (point == std::string_view::npos || digits(number.substr(point + 1)));
  double value = 0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (percent) value /= 100;
  if (!written_well || error != std::errc() || end != number.data() + number.size() || !(value > 0) || value > 1) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::uint64_t> ParseSize(std::string_view text) {
  const auto [reading, bytes] = ReadBytes(text, false);
  return reading == Reading::kBytes ? std::optional<std::uint64_t>(bytes) : std::nullopt;
}

std::optional<std::uint64_t> ParseBandwidth(std::string_view text) {
  if (text == "unlimited") return 0;
  const auto [reading, bytes] = ReadBytes(text, true);
  return reading == Reading::kBytes ? std::optional<std::uint64_t>(bytes) : std::nullopt;
}

bool IsSizeWithTooManyDecimals(std::string_view text) { return ReadBytes(text, false).first == Reading::kNotWhole; }
bool IsBandwidthWithTooManyDecimals(std::string_view text) { return ReadBytes(text, true).first == Reading::kNotWhole; }

std::string FormatDuration(Duration duration) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
  if (ms % 86'400'000 == 0 && ms != 0) return std::to_string(ms / 86'400'000) + "d";
  if (ms % 3'600'000 == 0 && ms != 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0 && ms != 0) return std::to_string(ms / 60'000) + "min";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::string HumanDuration(Duration duration) {
  long long ms = std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
  std::string text;
  const auto part = [&](long long unit, const char* name) {
    if (ms >= unit) {
      text += (text.empty() ? "" : " ") + std::to_string(ms / unit) + name;
      ms %= unit;
    }
  };
  part(86'400'000, "d");
  part(3'600'000, "h");
  part(60'000, "min");
  char seconds[32];
  if (ms % 1000 == 0) std::snprintf(seconds, sizeof seconds, "%llds", ms / 1000);
  else std::snprintf(seconds, sizeof seconds, "%lld.%03llds", ms / 1000, ms % 1000);
  if (ms > 0 || text.empty()) text += (text.empty() ? "" : " ") + std::string(seconds);
  return text;
}

}  // namespace bitsh
