// Entity tags (RFC 9110 §8.8.3): parsing ETag values and the lists of If-Match / If-None-Match,
// and the two comparison functions of §8.8.3.2.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bitsh::server {

struct EntityTag {
  bool weak = false;    // written W/"..." (the W is case-sensitive)
  std::string opaque;   // the quoted part, quotes included: "\"abc\""
};

// One entity-tag and nothing else (no surrounding space). nullopt when malformed: no quotes, a
// character outside etagc (a space, a quote, a control character), or a lower-case "w/".
std::optional<EntityTag> ParseEntityTag(std::string_view text);

// A field value of If-Match or If-None-Match: "*" or a comma-separated list of entity tags
// (empty elements and optional white space allowed, as for every list field, §5.6.1).
struct EntityTagList {
  bool any = false;  // "*"
  std::vector<EntityTag> tags;
};
// nullopt when any element is malformed, or "*" appears beside other elements.
std::optional<EntityTagList> ParseEntityTagList(std::string_view text);

// Strong comparison: neither tag weak, and the opaque tags equal character by character.
bool StrongMatch(const EntityTag& a, const EntityTag& b);
// Weak comparison: the opaque tags equal character by character, weak or not.
bool WeakMatch(const EntityTag& a, const EntityTag& b);

}  // namespace bitsh::server
