#include "scenarios/did_you_mean.h"

#include <algorithm>
#include <vector>

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

}  // namespace

std::string_view DidYouMean(std::string_view key, std::span<const std::string_view> allowed) {
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

}  // namespace bitsh::scenarios
