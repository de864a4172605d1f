// "Did you mean": the known name a typo most likely stands for, for YAML keys and bitsh's
// subcommands alike.
#pragma once

#include <span>
#include <string_view>

namespace bitsh::scenarios {

// The name in `known` within 2 edits of `typo` (1 for names of up to 4 characters), the nearest
// first in `known`'s order on a tie; "" when none is that close. An edit inserts, deletes or
// replaces a character, or swaps two neighbours: "retry_dealy" is 1 from "retry_delay".
std::string_view DidYouMean(std::string_view typo, std::span<const std::string_view> known);

}  // namespace bitsh::scenarios
