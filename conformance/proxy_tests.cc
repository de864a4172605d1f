// Conformance: which proxy a job's requests go through (Microsoft's SetProxySettings and
// GetProxySettings pages, and the BG_JOB_PROXY_USAGE enumeration). What the fake's forward proxy
// does with the requests (407, drops) needs the scenario's proxy and is tested on the fake
// (fake/proxy_test.cc, the bundled proxy scenarios); here, what every backend must answer.
#include "conformance/backend_conformance.h"

namespace bitsh::conformance {

int ProxyTestsAnchor() { return 0; }

namespace {

using bitsh::testing::IsOk;
using bitsh::testing::StatusIs;

TEST_P(BackendConformanceTest, ProxySettingsArePreconfigUntilSetThenReadBackAsSet) {
  const JobId job = CreateJob("proxy");
  const Result<ProxySettings> initial = user().GetProxySettings(job);
  ASSERT_THAT(initial.status(), IsOk());
  EXPECT_EQ(initial->usage, ProxyUsage::kPreconfig);
  const ProxySettings set{ProxyUsage::kOverride, "http=127.0.0.1:3128", "<local> *.bitsh.example"};
  ASSERT_THAT(user().SetProxySettings(job, set), IsOk());
  EXPECT_EQ(*user().GetProxySettings(job), set);
  ASSERT_THAT(user().SetProxySettings(job, {ProxyUsage::kNoProxy, std::nullopt, std::nullopt}), IsOk());
  EXPECT_EQ(user().GetProxySettings(job)->usage, ProxyUsage::kNoProxy);
}

TEST_P(BackendConformanceTest, SetProxySettingsRefusesWhatThePageRefusesAndKeepsTheSettings) {
  const JobId job = CreateJob("bad proxy");
  const ProxySettings kept{ProxyUsage::kOverride, "127.0.0.1:3128", std::nullopt};
  ASSERT_THAT(user().SetProxySettings(job, kept), IsOk());
  EXPECT_THAT(user().SetProxySettings(job, {static_cast<ProxyUsage>(4), std::nullopt, std::nullopt}), StatusIs(hr::kNotImpl));
  EXPECT_THAT(user().SetProxySettings(job, {ProxyUsage::kOverride, std::nullopt, std::nullopt}), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(user().SetProxySettings(job, {ProxyUsage::kNoProxy, "127.0.0.1:1", std::nullopt}), StatusIs(hr::kInvalidArg));
  const std::string over_32_kb(limits::kMaxProxyListChars + 1, 'p');
  EXPECT_THAT(user().SetProxySettings(job, {ProxyUsage::kOverride, over_32_kb, std::nullopt}),
              StatusIs(hr::kProxyListTooLarge));
  EXPECT_THAT(user().SetProxySettings(job, {ProxyUsage::kOverride, "127.0.0.1:1", over_32_kb}),
              StatusIs(hr::kProxyBypassListTooLarge));
  EXPECT_EQ(*user().GetProxySettings(job), kept);
}

TEST_P(BackendConformanceTest, SetProxySettingsOnAFinalJobIsInvalidState) {
  const FinalJobs ended = EndTwoJobs();
  EXPECT_THAT(user().SetProxySettings(ended.cancelled, {}), StatusIs(hr::kInvalidState));
  EXPECT_THAT(user().SetProxySettings(ended.acknowledged, {}), StatusIs(hr::kInvalidState));
}

TEST_P(BackendConformanceTest, ANoProxyJobGoesStraightToTheServer) {
  Serve("/p/direct.wma", 30'000);
  const JobId job = CreateJob("direct");
  ASSERT_THAT(user().SetProxySettings(job, {ProxyUsage::kNoProxy, std::nullopt, std::nullopt}), IsOk());
  ASSERT_THAT(user().AddFile(job, Url("/p/direct.wma"), Local("direct.wma").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(HoldsServedBytes("direct.wma", "/p/direct.wma", 30'000));
}

TEST_P(BackendConformanceTest, AProxyThatDoesNotAnswerIsATransientError) {
  // Nothing listens on port 1 of the loopback address: the connection to the proxy is refused,
  // as to a server that is down, and the job waits to try again.
  Serve("/p/behind.wma", 30'000);
  const JobId job = CreateJob("dead proxy");
  ASSERT_THAT(user().SetProxySettings(job, {ProxyUsage::kOverride, "127.0.0.1:1", std::nullopt}), IsOk());
  ASSERT_THAT(user().SetMinimumRetryDelay(job, 600), IsOk());
  ASSERT_THAT(user().AddFile(job, Url("/p/behind.wma"), Local("behind.wma").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransientError));
  EXPECT_EQ(*user().GetErrorCount(job), 1u);
}

}  // namespace
}  // namespace bitsh::conformance
