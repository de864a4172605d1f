// YamlReader: reads typed values out of yaml-cpp nodes and collects every problem as
// "file:line:column: message", without stopping at the first one. Used by the scenario loader.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backend/clock.h"
#include "scenarios/scenario.h"

namespace bitsh::scenarios {

struct LoadError {
  SourceLocation where;
  std::string message;
  std::string ToString() const { return where.ToString() + ": " + message; }
};

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }
  SourceLocation Where(const YAML::Node& node) const;
  void Error(const YAML::Node& node, std::string message);
  void ErrorAt(SourceLocation where, std::string message);
  std::vector<LoadError> TakeErrors() { return std::move(errors_); }
  bool ok() const { return errors_.empty(); }
  // For "did reading this part add an error?": compare before and after.
  std::size_t error_count() const { return errors_.size(); }

  // True when `node` is a map. Each key not in `allowed` is an error at the key, naming the
  // allowed ones, but the map is still read: its other keys get checked in the same pass, and
  // what it defines stays defined, so a typo is not followed by errors about a missing name.
  bool Map(const YAML::Node& node, std::string_view what, std::span<const std::string_view> allowed);
  bool Map(const YAML::Node& node, std::string_view what, std::initializer_list<std::string_view> allowed) {
    return Map(node, what, std::span<const std::string_view>(allowed.begin(), allowed.size()));
  }
  bool Sequence(const YAML::Node& node, std::string_view what);
  // True when the map `node` lacks `key` but has an unknown key Map() took for it ("Id" for "id"):
  // that error already says what is missing, so "needs a 'key'" would report the typo twice.
  bool Misspelt(const YAML::Node& node, std::string_view key) const;

  // Typed scalars; nullopt (and an error naming `what`) when the text does not fit.
  std::optional<std::string> String(const YAML::Node& node, std::string_view what);
  std::optional<std::uint64_t> Whole(const YAML::Node& node, std::string_view what);
  std::optional<bool> Bool(const YAML::Node& node, std::string_view what);
  // A probability in (0, 1]: "0.1", or a percentage "10%".
  std::optional<double> Probability(const YAML::Node& node, std::string_view what);
  std::optional<Duration> DurationOf(const YAML::Node& node, std::string_view what);
  std::optional<std::uint64_t> Size(const YAML::Node& node, std::string_view what);
  std::optional<std::uint64_t> Bandwidth(const YAML::Node& node, std::string_view what);
  std::optional<std::uint32_t> Seconds(const YAML::Node& node, std::string_view what);
  std::optional<JobState> State(const YAML::Node& node, std::string_view what);
  std::optional<std::vector<std::string>> Strings(const YAML::Node& node, std::string_view what);

 private:
  std::optional<std::string> Scalar(const YAML::Node& node, std::string_view what, std::string_view expected);

  std::string file_;
  std::vector<LoadError> errors_;
};

}  // namespace bitsh::scenarios
