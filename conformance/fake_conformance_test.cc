// The conformance suite against the fake: once with every test hook, and once declaring none,
// which is how the suite meets a real service (the hook-dependent tests are skipped, with reasons),
// and once declaring a known deviation, which is how Wine's BITS skips what it cannot pass.
#include "conformance/backend_conformance.h"
#include "conformance/fake_backend_factory.h"
#include "conformance/wine_com_deviations.h"
#include "conformance/wine_deviations.h"

BITSH_INSTANTIATE_BACKEND_CONFORMANCE(Fake, std::make_shared<bitsh::conformance::FakeBackendFactory>());
BITSH_INSTANTIATE_BACKEND_CONFORMANCE(
    FakeWithoutTestHooks,
    std::make_shared<bitsh::conformance::FakeBackendFactory>("FakeWithoutTestHooks", std::set<bitsh::conformance::Capability>{}));

namespace {

// Declares one known deviation, to show the suite skips that test on this backend only, with the
// reason in the summary (Wine's BITS declares its own: real_backend_factory.cc).
class FakeWithADeclaredDeviation final : public bitsh::conformance::FakeBackendFactory {
 public:
  FakeWithADeclaredDeviation() : FakeBackendFactory("FakeWithADeclaredDeviation") {}
  std::string KnownDeviation(std::string_view test_name) const override {
    return test_name == "TheMinimumRetryDelayIsRaisedToFiveSeconds" ? "declared by fake_conformance_test.cc" : "";
  }
};

}  // namespace

BITSH_INSTANTIATE_BACKEND_CONFORMANCE(FakeWithADeclaredDeviation, std::make_shared<FakeWithADeclaredDeviation>());

// Wine's declared deviations name tests of this suite: a renamed or removed test must not leave a
// stale entry behind (conformance/wine_deviations.cc, conformance/wine_com_deviations.cc).
TEST(WineDeviationsTest, EachNamesATestOfTheSuite) {
  std::set<std::string> suite;
  const ::testing::UnitTest& tests = *::testing::UnitTest::GetInstance();
  for (int i = 0; i < tests.total_test_suite_count(); ++i) {
    const ::testing::TestSuite& test_suite = *tests.GetTestSuite(i);
    for (int j = 0; j < test_suite.total_test_count(); ++j) {
      const std::string name = test_suite.GetTestInfo(j)->name();
      suite.insert(name.substr(0, name.find('/')));
    }
  }
  for (std::string_view test : bitsh::conformance::TestsWithAWineDeviation()) {
    EXPECT_TRUE(suite.contains(std::string(test))) << test << " is not a conformance test";
  }
  for (std::string_view test : bitsh::conformance::TestsWithAWineComDeviation()) {
    EXPECT_TRUE(suite.contains(std::string(test))) << test << " (Wine's COM) is not a conformance test";
  }
  EXPECT_FALSE(bitsh::conformance::TestsWithAWineDeviation().empty());
  EXPECT_FALSE(bitsh::conformance::TestsWithAWineComDeviation().empty());
}
