#include "scenarios/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <span>

#include "scenarios/units.h"

namespace bitsh::scenarios {
namespace {

// Edits (insert, delete, replace, swap two neighbours) from `a` to `b`: "retry_dealy" is 1 from
// "retry_delay".
std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// The allowed key a typo most likely meant: within 2 edits (1 for short keys), else "".
std::string_view Closest(std::string_view key, std::span<const std::string_view> allowed) {
  if (key.size() > 64) return {};  // not a typo, and the table would be large
  std::string_view best;
  std::size_t best_distance = key.size() <= 4 ? 2 : 3;
  for (std::string_view name : allowed) {
    const std::size_t distance = EditDistance(key, name);
    if (distance < best_distance) {
      best = name;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace

SourceLocation YamlReader::Where(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  return SourceLocation{file_, mark.line + 1, mark.column + 1};
}

void YamlReader::Error(const YAML::Node& node, std::string message) { ErrorAt(Where(node), std::move(message)); }

void YamlReader::ErrorAt(SourceLocation where, std::string message) {
  errors_.push_back(LoadError{std::move(where), std::move(message)});
}

bool YamlReader::Map(const YAML::Node& node, std::string_view what, std::span<const std::string_view> allowed) {
  if (!node.IsMap()) {
    Error(node, std::string(what) + " must be a mapping of keys to values");
    return false;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.as<std::string>("");
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string known;
      for (std::string_view name : allowed) known += (known.empty() ? "" : ", ") + std::string(name);
      const std::string_view meant = Closest(key, allowed);
      Error(it->first, "unknown key '" + key + "' in " + std::string(what) + " (known: " + known + ")" +
                           (meant.empty() ? "" : "; did you mean '" + std::string(meant) + "'?"));
    }
  }
  return true;
}

bool YamlReader::Misspelt(const YAML::Node& node, std::string_view key) const {
  if (!node.IsMap() || node[std::string(key)]) return false;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string_view only[] = {key};
    if (Closest(it->first.as<std::string>(""), only) == key) return true;
  }
  return false;
}

bool YamlReader::Sequence(const YAML::Node& node, std::string_view what) {
  if (node.IsSequence()) return true;
  Error(node, std::string(what) + " must be a list");
  return false;
}

std::optional<std::string> YamlReader::Scalar(const YAML::Node& node, std::string_view what, std::string_view expected) {
  if (!node.IsScalar()) {
    // YAML reads an unquoted {n} as a map with the key n; the placeholder needs quotes.
    const bool placeholder = node.IsMap() && node.size() == 1 && node.begin()->first.Scalar() == "n" &&
                             node.begin()->second.IsNull();
    Error(node, std::string(what) + " must be " + std::string(expected) +
                    (placeholder ? "\n  hint: unquoted, {n} is a YAML map; quote it: " + std::string(what) + ": \"{n}\""
                                 : ""));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<std::string> YamlReader::String(const YAML::Node& node, std::string_view what) {
  return Scalar(node, what, "text");
}

std::optional<std::uint64_t> YamlReader::Whole(const YAML::Node& node, std::string_view what) {
  std::optional<std::string> text = Scalar(node, what, "a whole number");
  if (!text) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size()) {
    Error(node, std::string(what) + ": '" + *text + "' is not a whole number");
    return std::nullopt;
  }
  return value;
}

std::optional<bool> YamlReader::Bool(const YAML::Node& node, std::string_view what) {
  std::optional<std::string> text = Scalar(node, what, "true or false");
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  Error(node, std::string(what) + ": '" + *text + "' is not true or false");
  return std::nullopt;
}

std::optional<Duration> YamlReader::DurationOf(const YAML::Node& node, std::string_view what) {
  std::optional<std::string> text = Scalar(node, what, "a duration");
  if (!text) return std::nullopt;
  std::optional<Duration> duration = ParseDuration(*text);
  if (!duration) Error(node, std::string(what) + ": '" + *text + "' is not a duration (e.g. 250ms, 1.5s, 90 min, 2h, 14d)");
  return duration;
}

std::optional<std::uint64_t> YamlReader::Size(const YAML::Node& node, std::string_view what) {
  std::optional<std::string> text = Scalar(node, what, "a size");
  if (!text) return std::nullopt;
  std::optional<std::uint64_t> size = ParseSize(*text);
  if (!size && IsSizeWithTooManyDecimals(*text)) {
    Error(node, std::string(what) + ": '" + *text + "' is not whole bytes as written: sizes take no decimals without a "
                "unit or with B, up to 3 with KB, 6 with MB, 9 with GB, and halves, quarters or eighths with KiB, MiB, "
                "GiB (1.5MiB, 0.25GiB)");
  } else if (!size) {
    Error(node, std::string(what) + ": '" + *text + "' is not a size in bytes (e.g. 1000, 64KiB, 15 MiB, 2.5MB)");
  }
  return size;
}

std::optional<std::uint64_t> YamlReader::Bandwidth(const YAML::Node& node, std::string_view what) {
  std::optional<std::string> text = Scalar(node, what, "a bandwidth");
  if (!text) return std::nullopt;
  std::optional<std::uint64_t> bandwidth = ParseBandwidth(*text);
  if (!bandwidth && IsBandwidthWithTooManyDecimals(*text)) {
    Error(node, std::string(what) + ": '" + *text + "' is not whole bytes per second as written: bit rates take no "
                "decimals with kbit/s, up to 3 with Mbit/s, 6 with Gbit/s; sizes per second as sizes do (1.5MiB/s)");
  } else if (!bandwidth) {
    Error(node, std::string(what) + ": '" + *text + "' is not a bandwidth (e.g. 64KiB/s, 1 MB/s, 1Mbit/s, 8 kbps, "
                "unlimited)");
  }
  return bandwidth;
}

std::optional<std::uint32_t> YamlReader::Seconds(const YAML::Node& node, std::string_view what) {
  std::optional<Duration> duration = DurationOf(node, what);
  if (!duration) return std::nullopt;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*duration).count();
  if (std::chrono::seconds(seconds) != *duration || seconds > UINT32_MAX) {
    Error(node, std::string(what) + " must be a whole number of seconds up to 4294967295s");
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(seconds);
}

std::optional<JobState> YamlReader::State(const YAML::Node& node, std::string_view what) {
  std::optional<std::string> text = Scalar(node, what, "a job state");
  if (!text) return std::nullopt;
  std::optional<JobState> state = ParseJobState(*text);
  if (!state) {
    Error(node, std::string(what) + ": '" + *text + "' is not a job state (QUEUED, CONNECTING, TRANSFERRING, "
                "SUSPENDED, ERROR, TRANSIENT_ERROR, TRANSFERRED, ACKNOWLEDGED, CANCELLED)");
  }
  return state;
}

std::optional<std::vector<std::string>> YamlReader::Strings(const YAML::Node& node, std::string_view what) {
  if (!Sequence(node, what)) return std::nullopt;
  std::vector<std::string> values;
  for (const YAML::Node& item : node) {
    if (std::optional<std::string> value = String(item, what)) values.push_back(*value);
  }
  return values;
}

}  // namespace bitsh::scenarios
