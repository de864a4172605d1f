// Wine's known deviations from documented BITS behaviour, one per conformance test it cannot pass,
// with the evidence. The same facts, with sources, are the Wine column of docs/fidelity.md; keep
// the two together. A test listed here is skipped on WineBits only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bitsh::conformance {

// The reason Wine's BITS fails `test_name`, or empty when it should pass.
std::string WineDeviation(std::string_view test_name);

// The tests listed, so a test on Linux can check that each still exists in the suite.
std::vector<std::string_view> TestsWithAWineDeviation();

}  // namespace bitsh::conformance
