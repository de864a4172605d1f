#include "conformance/wine_deviations.h"

#include <array>
#include <utility>

namespace bitsh::conformance {
namespace {

// Filled from runs of the suite under Wine 8.0 (Debian 12); see docs/fidelity.md.
constexpr std::array<std::pair<std::string_view, std::string_view>, 0> kDeviations = {{}};

}  // namespace

std::string WineDeviation(std::string_view test_name) {
  for (const auto& [test, reason] : kDeviations) {
    if (test == test_name) return std::string(reason);
  }
  return {};
}

}  // namespace bitsh::conformance
