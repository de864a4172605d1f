#include "scenarios/yaml_hints.h"

#include <algorithm>

namespace bitsh::scenarios {
namespace {

std::string_view LineAt(std::string_view text, int line) {
  for (int i = 0; i < line; ++i) {
    const std::size_t next = text.find('\n');
    if (next == std::string_view::npos) return {};
    text.remove_prefix(next + 1);
  }
  return text.substr(0, text.find('\n'));
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// In a flow map or list a plain value ends at ',' '}' or ']', and '{' opens a nested map, so
// "{id: track{n}}" does not parse. `at` is the '{' yaml-cpp stopped at; the value around it and
// its key, if any, make the quoted form to suggest.
std::string QuoteSuggestion(std::string_view line, std::size_t at) {
  std::size_t start = line.find_last_of(",[{:", at == 0 ? 0 : at - 1);
  start = start == std::string_view::npos ? 0 : start + 1;
  std::size_t end = line.find_first_of(",]", at);
  if (end == std::string_view::npos) end = line.size();
  std::string_view value = Trim(line.substr(start, end - start));
  // The value's own '}' ends it unless another '{' opened it ("{n}"), so drop the map's closers.
  while (value.ends_with('}') &&
         std::count(value.begin(), value.end(), '}') > std::count(value.begin(), value.end(), '{')) {
    value = Trim(value.substr(0, value.size() - 1));
  }
  std::string suggestion = "\"" + std::string(value) + "\"";
  if (start > 0 && line[start - 1] == ':') {
    std::size_t key_start = line.find_last_of(",[{", start - 1);
    key_start = key_start == std::string_view::npos ? 0 : key_start + 1;
    std::string_view key = Trim(line.substr(key_start, start - 1 - key_start));
    if (key.starts_with("- ")) key = Trim(key.substr(2));
    suggestion = std::string(key) + ": " + suggestion;
  }
  return suggestion;
}

}  // namespace

std::string YamlParserHint(std::string_view text, int line, int column, std::string_view message) {
  const std::string_view here = LineAt(text, line);
  const std::string_view indent = here.substr(0, here.find_first_not_of(" \t"));
  if (message.find("tab") != std::string_view::npos || indent.find('\t') != std::string_view::npos) {
    return "YAML forbids tabs for indentation; indent with spaces";
  }
  const bool in_flow = message.find("end of map flow") != std::string_view::npos ||
                       message.find("end of sequence flow") != std::string_view::npos;
  if (!in_flow) return "";
  const std::size_t at = static_cast<std::size_t>(std::max(column, 0));
  if (at < here.size() && here[at] == '{') {
    return "inside { } or [ ], a '{' starts a nested map; quote the value: " + QuoteSuggestion(here, at);
  }
  return message.find("map") != std::string_view::npos
             ? "a '{' map must end with '}' (on this line or a later one); quote values that contain { } [ ] or ,"
             : "a '[' list must end with ']' (on this line or a later one); quote values that contain { } [ ] or ,";
}

}  // namespace bitsh::scenarios
