// main() for conformance binaries: runs the suite, then lists the tests each backend skipped and
// why, so a missing capability is always visible and never mistaken for a pass.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "conformance/backend_conformance.h"

namespace {

class SkipSummary : public ::testing::EmptyTestEventListener {
 public:
  void OnTestEnd(const ::testing::TestInfo& info) override {
    const ::testing::TestResult& result = *info.result();
    if (info.value_param() == nullptr) return;  // not a backend's test: GoogleTest reports it
    const std::string backend = BackendOf(info.name());
    Counts& counts = counts_[backend];
    if (result.Skipped()) {
      std::string reason;
      for (int i = 0; i < result.total_part_count(); ++i) {
        if (result.GetTestPartResult(i).skipped()) reason = result.GetTestPartResult(i).message();
      }
      skipped_.push_back(std::string(info.test_suite_name()) + "." + info.name() + ": " + reason);
      ++(reason.starts_with(bitsh::conformance::kKnownDeviationSkip) ? counts.deviations : counts.skipped);
    } else if (result.Passed()) {
      ++counts.passed;
    } else {
      ++counts.failed;
    }
  }

  void OnTestProgramEnd(const ::testing::UnitTest&) override {
    std::printf("\nConformance summary\n");
    for (const auto& [backend, counts] : counts_) {
      std::printf("  %-28s %3d run: %3d passed  %3d failed  %3d skipped for a missing capability  %3d skipped as "
                  "known deviations\n",
                  backend.c_str(), counts.passed + counts.failed + counts.skipped + counts.deviations, counts.passed,
                  counts.failed, counts.skipped, counts.deviations);
    }
    if (!skipped_.empty()) std::printf("Skipped, with the reason (a missing capability or a known deviation):\n");
    for (const std::string& line : skipped_) std::printf("  %s\n", line.c_str());
    std::fflush(stdout);
  }

 private:
  struct Counts {
    int passed = 0, failed = 0, skipped = 0, deviations = 0;
  };
  // Test names end in "/<backend>" (the instantiation's name generator).
  static std::string BackendOf(const std::string& name) {
    const std::size_t slash = name.rfind('/');
    return slash == std::string::npos ? "-" : name.substr(slash + 1);
  }

  std::map<std::string, Counts> counts_;
  std::vector<std::string> skipped_;
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::UnitTest::GetInstance()->listeners().Append(new SkipSummary);
  return RUN_ALL_TESTS();
}
