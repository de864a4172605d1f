#include "scenarios/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <span>

#include "scenarios/did_you_mean.h"
#include "backend/units.h"

namespace bitsh::scenarios {
namespace {


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
      const std::string_view meant = DidYouMean(key, allowed);
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
    if (DidYouMean(it->first.as<std::string>(""), only) == key) return true;
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

std::optional<double> YamlReader::Probability(const YAML::Node& node, std::string_view what) {
  std::optional<std::string> text = Scalar(node, what, "a probability");
  if (!text) return std::nullopt;
  const std::optional<double> value = ParseProbability(*text);
  if (!value) Error(node, std::string(what) + ": '" + *text + "' is not a probability above 0 and at most 1 (0.1, or 10%)");
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
