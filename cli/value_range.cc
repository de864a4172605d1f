#include "cli/value_range.h"

#include <charconv>

namespace bitsh::cli {

std::optional<std::uint64_t> ReadWholeNumber(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Result<ValueRange> ParseValueRange(std::string_view option, std::string_view text, std::string_view what,
                                   const std::function<std::optional<std::uint64_t>(std::string_view)>& read_end) {
  const std::size_t dots = text.find("..");
  const std::string_view first_text = dots == std::string_view::npos ? text : text.substr(0, dots);
  const std::string_view last_text = dots == std::string_view::npos ? text : text.substr(dots + 2);
  const std::optional<std::uint64_t> first = read_end(first_text);
  const std::optional<std::uint64_t> last = read_end(last_text);
  const std::string quoted = std::string(option) + " '" + std::string(text) + "'";
  if (!first || !last) {
    return Status::InvalidArg(quoted + " is not A..B or A, each " + std::string(what));
  }
  if (*first > *last) return Status::InvalidArg(quoted + ": the range ends before it starts");
  return ValueRange{*first, *last};
}

}  // namespace bitsh::cli
