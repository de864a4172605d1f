#include "cli/scenario_selection.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>

namespace bitsh::cli {
namespace {

std::optional<unsigned> ParseCount(std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// The file's name, not its path: "-R library" must not select every file in scenarios/library.
bool Matches(const std::regex& pattern, const scenarios::Scenario& scenario) {
  return std::regex_search(scenario.name, pattern) ||
         std::regex_search(std::filesystem::path(scenario.path).filename().string(), pattern);
}

}  // namespace

Result<Shard> ParseShard(const std::string& text) {
  const std::size_t slash = text.find('/');
  const std::optional<unsigned> index = slash == std::string::npos ? std::nullopt : ParseCount(std::string_view(text).substr(0, slash));
  const std::optional<unsigned> count = slash == std::string::npos ? std::nullopt : ParseCount(std::string_view(text).substr(slash + 1));
  if (!index || !count || *index < 1 || *index > *count) {
    return Status::InvalidArg("--shard '" + text + "' is not INDEX/COUNT with 1 <= INDEX <= COUNT (e.g. 2/4)");
  }
  return Shard{*index - 1, *count};
}

Result<std::optional<Shard>> ShardFromEnvironment() {
  const char* index_text = std::getenv("GTEST_SHARD_INDEX");
  const char* count_text = std::getenv("GTEST_TOTAL_SHARDS");
  if (index_text == nullptr && count_text == nullptr) return std::optional<Shard>();
  const std::optional<unsigned> index = index_text ? ParseCount(index_text) : std::nullopt;
  const std::optional<unsigned> count = count_text ? ParseCount(count_text) : std::nullopt;
  if (!index || !count || *count == 0 || *index >= *count) {
    return Status::InvalidArg(std::string("GTEST_SHARD_INDEX='") + (index_text ? index_text : "") +
                              "' and GTEST_TOTAL_SHARDS='" + (count_text ? count_text : "") +
                              "' are not a shard (0 <= index < total)");
  }
  // GoogleTest's protocol: a program that shards creates this file, so the runner knows it did.
  if (const char* status_file = std::getenv("GTEST_SHARD_STATUS_FILE")) {
    if (std::FILE* touched = std::fopen(status_file, "a")) std::fclose(touched);
  }
  return std::optional<Shard>(Shard{*index, *count});
}

Result<std::optional<std::regex>> CompilePattern(const std::string& option, const std::string& pattern) {
  if (pattern.empty()) return std::optional<std::regex>();
  try {
    return std::optional<std::regex>(std::regex(pattern, std::regex::ECMAScript));
  } catch (const std::regex_error& error) {
    return Status::InvalidArg(option + " '" + pattern + "' is not a regular expression: " + error.what());
  }
}

Selected Select(std::vector<scenarios::Scenario> loaded, const Selection& selection) {
  Selected selected;
  for (scenarios::Scenario& scenario : loaded) {
    if (selection.filter && !Matches(*selection.filter, scenario)) continue;
    if (selection.exclude && Matches(*selection.exclude, scenario)) continue;
    // Counted among the selected ones only, so every shard gets a fair share.
    if (selected.matched++ % selection.shard.count == selection.shard.index) {
      selected.scenarios.push_back(std::move(scenario));
    }
  }
  return selected;
}

}  // namespace bitsh::cli
