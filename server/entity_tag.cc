#include "server/entity_tag.h"

#include "server/http_syntax.h"

namespace bitsh::server {
namespace {

// etagc = %x21 / %x23-7E / obs-text (%x80-FF): any visible character but the double quote.
bool IsEtagChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x7E) || u >= 0x80;
}

// Reads one entity-tag at the front of `text` and removes it; nullopt (text unchanged) if none.
std::optional<EntityTag> TakeEntityTag(std::string_view& text) {
  EntityTag tag;
  std::size_t at = 0;
  if (text.starts_with("W/")) {
    tag.weak = true;
    at = 2;
  }
  if (at >= text.size() || text[at] != '"') return std::nullopt;
  std::size_t close = at + 1;
  while (close < text.size() && IsEtagChar(text[close])) ++close;
  if (close >= text.size() || text[close] != '"') return std::nullopt;
  tag.opaque = std::string(text.substr(at, close - at + 1));
  text.remove_prefix(close + 1);
  return tag;
}

void SkipOws(std::string_view& text) {
  while (!text.empty() && IsOws(text.front())) text.remove_prefix(1);
}

}  // namespace

std::optional<EntityTag> ParseEntityTag(std::string_view text) {
  std::optional<EntityTag> tag = TakeEntityTag(text);
  if (!tag || !text.empty()) return std::nullopt;
  return tag;
}

std::optional<EntityTagList> ParseEntityTagList(std::string_view text) {
  const std::string_view trimmed = TrimOws(text);
  if (trimmed == "*") return EntityTagList{true, {}};
  EntityTagList list;
  for (;;) {
    SkipOws(text);
    if (text.empty()) return list;
    if (text.front() == ',') {  // an empty element
      text.remove_prefix(1);
      continue;
    }
    std::optional<EntityTag> tag = TakeEntityTag(text);
    if (!tag) return std::nullopt;
    list.tags.push_back(std::move(*tag));
    SkipOws(text);
    if (text.empty()) return list;
    if (text.front() != ',') return std::nullopt;  // two tags without a comma, or junk after one
    text.remove_prefix(1);
  }
}

bool StrongMatch(const EntityTag& a, const EntityTag& b) { return !a.weak && !b.weak && a.opaque == b.opaque; }

bool WeakMatch(const EntityTag& a, const EntityTag& b) { return a.opaque == b.opaque; }

}  // namespace bitsh::server
