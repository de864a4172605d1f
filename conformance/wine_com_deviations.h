// What the fake cannot show through COM under Wine: the tests FakeThroughCom (the fake behind
// bitsh-com-server, fake_through_com_factory.h) cannot pass there, though the fake itself does.
// Each is a gap of Wine's COM transport between two processes, not of the fake or the server;
// docs/com.md has the evidence. On Windows the list does not apply.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bitsh::conformance {

// The reason `test_name` cannot pass through COM under Wine, or empty when it should pass.
std::string WineComDeviation(std::string_view test_name);

// The tests listed, so a test on Linux can check that each still exists in the suite.
std::vector<std::string_view> TestsWithAWineComDeviation();

}  // namespace bitsh::conformance
