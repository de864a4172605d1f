#include "scenarios/units.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace bitsh::scenarios {
namespace {

// Splits "<number><suffix>" and reads the number as a non-negative decimal with optional fraction.
std::optional<std::pair<long double, std::string_view>> SplitNumber(std::string_view text) {
  std::size_t end = 0;
  bool dot = false;
  while (end < text.size() && ((text[end] >= '0' && text[end] <= '9') || (text[end] == '.' && !dot))) {
    dot = dot || text[end] == '.';
    ++end;
  }
  if (end == 0 || text.substr(0, end) == ".") return std::nullopt;
  long double value = 0;
  long double scale = 1;
  bool fraction = false;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '.') {
      fraction = true;
      continue;
    }
    if (fraction) {
      scale /= 10;
      value += (text[i] - '0') * scale;
    } else {
      value = value * 10 + (text[i] - '0');
    }
  }
  std::string_view suffix = text.substr(end);
  while (!suffix.empty() && suffix.front() == ' ') suffix.remove_prefix(1);
  return std::make_pair(value, suffix);
}

}  // namespace

std::optional<Duration> ParseDuration(std::string_view text) {
  const auto split = SplitNumber(text);
  if (!split) return std::nullopt;
  constexpr std::array<std::pair<std::string_view, long double>, 5> kUnits = {
      {{"ms", 1e6L}, {"s", 1e9L}, {"min", 60e9L}, {"h", 3600e9L}, {"d", 86400e9L}}};
  for (const auto& [unit, nanos] : kUnits) {
    if (split->second == unit) {
      const long double total = split->first * nanos;
      if (total > 9e18L) return std::nullopt;
      return Duration(static_cast<std::int64_t>(std::llround(total)));
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t> ParseSize(std::string_view text) {
  const auto split = SplitNumber(text);
  if (!split) return std::nullopt;
  constexpr std::array<std::pair<std::string_view, long double>, 8> kUnits = {
      {{"", 1}, {"B", 1}, {"KB", 1e3L}, {"MB", 1e6L}, {"GB", 1e9L}, {"KiB", 1024.0L},
       {"MiB", 1048576.0L}, {"GiB", 1073741824.0L}}};
  for (const auto& [unit, factor] : kUnits) {
    if (split->second == unit) {
      const long double bytes = split->first * factor;
      if (bytes != std::floor(bytes) || bytes > 1.8e19L) return std::nullopt;
      return static_cast<std::uint64_t>(bytes);
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t> ParseBandwidth(std::string_view text) {
  if (!text.ends_with("/s")) return std::nullopt;
  return ParseSize(text.substr(0, text.size() - 2));
}

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

}  // namespace bitsh::scenarios
