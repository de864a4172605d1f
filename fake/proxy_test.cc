// Proxy settings in the fake, over real HTTP: jobs reach the file server through the forward proxy
// (server/forward_proxy.h) as their settings say, answer its 407 with their proxy credentials,
// and end in ERROR with BG_E_INVALID_PROXY_INFO when their list cannot be used. The rules that
// pick a proxy are in proxy_route_test.cc; the settings' own checks are here.
#include "content/sha256.h"
#include "fake/http_transport.h"
#include "fake/testing/fake_service_fixture.h"
#include "server/file_server.h"
#include "server/forward_proxy.h"

namespace bitsh::fake::testing {
namespace {

using ::testing::ElementsAre;
using server::FaultKind;

constexpr std::uint64_t kProxiedFileSize = 1024 * 1024 + 5;
constexpr std::uint64_t kProxiedFileSeed = 77;

class ProxiedTransferTest : public FakeServiceTest {
 protected:
  void SetUp() override {
    FakeServiceTest::SetUp();
    server_.AddGeneratedFile("/album/01.wma", kProxiedFileSize, kProxiedFileSeed);
    ASSERT_TRUE(server_.Start().ok());
    ASSERT_TRUE(proxy_->Start().ok());
  }
  void TearDown() override {
    alice_.reset();
    service_.reset();
    FakeServiceTest::TearDown();
  }
  // A proxy asking for Basic credentials, in place of the open one.
  void RequireProxyCredentials(const std::string& user_colon_password) {
    proxy_ = std::make_unique<server::ForwardProxy>(server::ForwardProxyOptions{.basic_credentials = user_colon_password});
    ASSERT_TRUE(proxy_->Start().ok());
  }

  FakeBitsService& service() {
    if (!service_) service_ = std::make_unique<FakeBitsService>(options_, http_);
    return *service_;
  }
  Backend& alice() {
    if (!alice_) alice_ = service().Connect("alice");
    return *alice_;
  }

  // A job for /album/01.wma with these proxy settings, resumed.
  JobId Queue(const ProxySettings& settings, const std::string& local = "01.wma") {
    const JobId job = *alice().CreateJob(local, JobType::kDownload);
    EXPECT_THAT(alice().AddFile(job, server_.base_url() + "/album/01.wma", Local(local)), IsOk());
    EXPECT_THAT(alice().SetProxySettings(job, settings), IsOk());
    EXPECT_THAT(alice().SetMinimumRetryDelay(job, 60), IsOk());
    EXPECT_THAT(alice().Resume(job), IsOk());
    return job;
  }
  ProxySettings ThroughTheProxy() const { return {ProxyUsage::kOverride, proxy_->address(), std::nullopt}; }

  // "METHOD RANGE STATUS" of each request the proxy relayed or refused.
  std::vector<std::string> ProxyRequests() const {
    std::vector<std::string> lines;
    for (const auto& r : proxy_->log().Records()) lines.push_back(r.method + " " + r.range + " " + std::to_string(r.status));
    return lines;
  }

  std::string CompleteAndHash(const JobId& job, const std::string& local = "01.wma") {
    EXPECT_THAT(alice().Complete(job), IsOk());
    return content::FileSha256Hex(Local(local)).value_or("(missing)");
  }

  server::FileServer server_{server::FileServerOptions{}};
  std::unique_ptr<server::ForwardProxy> proxy_ = std::make_unique<server::ForwardProxy>(server::ForwardProxyOptions{});
  HttpTransport http_;
};

TEST_F(ProxiedTransferTest, ANewJobUsesTheUsersSettingsAndReadsBackAsSet) {
  const JobId job = *alice().CreateJob("p", JobType::kDownload);
  EXPECT_EQ(*alice().GetProxySettings(job), (ProxySettings{ProxyUsage::kPreconfig, std::nullopt, std::nullopt}));
  const ProxySettings set{ProxyUsage::kOverride, "http=corp:3128", "<local> *.store.example"};
  ASSERT_THAT(alice().SetProxySettings(job, set), IsOk());
  EXPECT_EQ(*alice().GetProxySettings(job), set);
}

TEST_F(ProxiedTransferTest, TheSetProxySettingsPagesCodesAndARefusedCallChangesNothing) {
  const JobId job = *alice().CreateJob("p", JobType::kDownload);
  const ProxySettings kept{ProxyUsage::kOverride, "corp:3128", std::nullopt};
  ASSERT_THAT(alice().SetProxySettings(job, kept), IsOk());
  EXPECT_THAT(alice().SetProxySettings(job, {static_cast<ProxyUsage>(7), std::nullopt, std::nullopt}), StatusIs(hr::kNotImpl));
  EXPECT_THAT(alice().SetProxySettings(job, {ProxyUsage::kOverride, std::nullopt, "x"}), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(alice().SetProxySettings(job, {ProxyUsage::kNoProxy, "corp:1", std::nullopt}), StatusIs(hr::kInvalidArg));
  const std::string too_long(limits::kMaxProxyListChars + 1, 'p');
  EXPECT_THAT(alice().SetProxySettings(job, {ProxyUsage::kOverride, too_long, std::nullopt}), StatusIs(hr::kProxyListTooLarge));
  EXPECT_THAT(alice().SetProxySettings(job, {ProxyUsage::kOverride, "corp:1", too_long}),
              StatusIs(hr::kProxyBypassListTooLarge));
  EXPECT_EQ(*alice().GetProxySettings(job), kept);
  EXPECT_THAT(service().Connect("bob")->SetProxySettings(job, {}), StatusIs(hr::kAccessDenied));
  ASSERT_THAT(alice().Cancel(job), IsOk());
  EXPECT_THAT(alice().SetProxySettings(job, {}), StatusIs(hr::kInvalidState));
}

TEST_F(ProxiedTransferTest, OverrideSendsEveryRequestThroughTheProxyWithIdenticalBytes) {
  const JobId job = Queue(ThroughTheProxy());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_THAT(ProxyRequests(), ElementsAre("HEAD  200", "GET bytes=0- 206"));
  EXPECT_EQ(server_.log().Records().size(), 2u);  // the origin saw the same two, from the proxy
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kProxiedFileSeed, kProxiedFileSize));
}

TEST_F(ProxiedTransferTest, NoProxyAndABypassedHostGoDirectAndPreconfigTakesTheUsersProxy) {
  options_.user_proxy = UserProxySettings{proxy_->address(), ""};
  const JobId direct = Queue({ProxyUsage::kNoProxy, std::nullopt, std::nullopt}, "direct.wma");
  const JobId bypassed = Queue({ProxyUsage::kOverride, proxy_->address(), "127.0.0.*"}, "bypassed.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(ProxyRequests(), ::testing::IsEmpty());
  const JobId preconfig = Queue({}, "preconfig.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  for (const JobId& job : {direct, bypassed, preconfig}) EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_THAT(ProxyRequests(), ElementsAre("HEAD  200", "GET bytes=0- 206"));
}

TEST_F(ProxiedTransferTest, AProxyChallengeIsAnsweredWithTheJobsProxyCredentials) {
  RequireProxyCredentials("corp:pw");
  const JobId job = Queue(ThroughTheProxy());
  ASSERT_THAT(alice().SetCredentials(job, {AuthTarget::kProxy, AuthScheme::kBasic, "corp", "pw"}), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  // As with a server, each request is asked first and then answered.
  EXPECT_THAT(ProxyRequests(), ElementsAre("HEAD  407", "HEAD  200", "GET bytes=0- 407", "GET bytes=0- 206"));
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kProxiedFileSeed, kProxiedFileSize));
}

TEST_F(ProxiedTransferTest, ProxyAndServerChallengesAreEachAnsweredWithTheirOwnCredentials) {
  RequireProxyCredentials("corp:pw");
  server_.AddFault({.path = "/album/01.wma", .kind = FaultKind::kRequireBasicAuth, .basic_credentials = "store:s3cret"});
  const JobId job = Queue(ThroughTheProxy());
  ASSERT_THAT(alice().SetCredentials(job, {AuthTarget::kProxy, AuthScheme::kBasic, "corp", "pw"}), IsOk());
  ASSERT_THAT(alice().SetCredentials(job, {AuthTarget::kServer, AuthScheme::kBasic, "store", "s3cret"}), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_THAT(ProxyRequests(), ElementsAre("HEAD  407", "HEAD  401", "HEAD  200", "GET bytes=0- 407",
                                           "GET bytes=0- 401", "GET bytes=0- 206"));
}

TEST_F(ProxiedTransferTest, WithoutProxyCredentialsOrWithServerOnesA407IsFatal) {
  RequireProxyCredentials("corp:pw");
  const JobId without = Queue(ThroughTheProxy(), "without.wma");
  const JobId wrong = Queue(ThroughTheProxy(), "wrong.wma");
  ASSERT_THAT(alice().SetCredentials(wrong, {AuthTarget::kProxy, AuthScheme::kBasic, "corp", "guess"}), IsOk());
  const JobId server_only = Queue(ThroughTheProxy(), "server_only.wma");
  ASSERT_THAT(alice().SetCredentials(server_only, {AuthTarget::kServer, AuthScheme::kBasic, "corp", "pw"}), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  for (const JobId& job : {without, wrong, server_only}) {
    EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
    EXPECT_EQ(alice().GetError(job)->code, hr::FromHttpStatus(407));
    EXPECT_EQ(*alice().GetErrorCount(job), 1u);
  }
  EXPECT_TRUE(server_.log().Records().empty()) << "nothing got past the proxy";
}

TEST_F(ProxiedTransferTest, UseStoredCredentialsAnswersTheProxyWithTheOwnersStoredOnes) {
  options_.stored_credentials["alice"] = {"corp", "pw"};
  options_.stored_credentials["bob"] = {"corp", "guess"};
  RequireProxyCredentials("corp:pw");
  JobPropertyValue proxy_target;
  proxy_target.target = AuthTarget::kProxy;
  const JobId stored = Queue(ThroughTheProxy(), "stored.wma");
  ASSERT_THAT(alice().SetJobProperty(stored, JobPropertyId::kUseStoredCredentials, proxy_target), IsOk());
  const JobId not_asked = Queue(ThroughTheProxy(), "not_asked.wma");  // stored ones exist, the job did not opt in
  std::unique_ptr<Backend> bob = service().Connect("bob");
  const JobId bobs = *bob->CreateJob("bobs", JobType::kDownload);
  ASSERT_THAT(bob->AddFile(bobs, server_.base_url() + "/album/01.wma", Local("bobs.wma")), IsOk());
  ASSERT_THAT(bob->SetProxySettings(bobs, ThroughTheProxy()), IsOk());
  ASSERT_THAT(bob->SetJobProperty(bobs, JobPropertyId::kUseStoredCredentials, proxy_target), IsOk());
  ASSERT_THAT(bob->Resume(bobs), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(stored), HasState(JobState::kTransferred));
  EXPECT_EQ(CompleteAndHash(stored, "stored.wma"), content::GeneratedSha256Hex(kProxiedFileSeed, kProxiedFileSize));
  EXPECT_THAT(alice().GetState(not_asked), HasState(JobState::kError));
  EXPECT_EQ(alice().GetError(not_asked)->code, hr::FromHttpStatus(407));
  EXPECT_THAT(bob->GetState(bobs), HasState(JobState::kError)) << "each job sends its own owner's credentials";
  EXPECT_EQ(bob->GetError(bobs)->code, hr::FromHttpStatus(407));
}

TEST_F(ProxiedTransferTest, ADropAtTheProxyIsRetriedAndResumesFromTheByteItReached) {
  ASSERT_TRUE(proxy_->AddFault({.path = "/album/01.wma", .request_number = 2, .kind = FaultKind::kCloseAfterBytes,
                                .after_bytes = 300'000}).ok());
  const JobId job = Queue(ThroughTheProxy());
  ASSERT_TRUE(service().RunUntil([&] {
    const Result<JobState> state = alice().GetState(job);
    return state.ok() && *state == JobState::kTransientError;
  }));
  EXPECT_EQ(alice().GetError(job)->code, hr::kConnectionClosed);
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_THAT(ProxyRequests(), ElementsAre("HEAD  200", "GET bytes=0- 206", "GET bytes=300000- 206"));
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kProxiedFileSeed, kProxiedFileSize));
}

TEST_F(ProxiedTransferTest, AListThatCannotBeUsedPutsTheJobInErrorWithInvalidProxyInfo) {
  const JobId unreadable = Queue({ProxyUsage::kOverride, "corp:99999", std::nullopt}, "unreadable.wma");
  const JobId https_only = Queue({ProxyUsage::kOverride, "https=" + proxy_->address(), std::nullopt}, "https_only.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  for (const JobId& job : {unreadable, https_only}) {
    EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
    const JobError error = *alice().GetError(job);
    EXPECT_EQ(error.code, hr::kInvalidProxyInfo);
    EXPECT_EQ(error.context, ErrorContext::kGeneralTransport);
  }
  EXPECT_TRUE(server_.log().Records().empty());
  // Settings that work, and Resume, and the same job transfers.
  ASSERT_THAT(alice().SetProxySettings(unreadable, ThroughTheProxy()), IsOk());
  ASSERT_THAT(alice().Resume(unreadable), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(unreadable), HasState(JobState::kTransferred));
}

TEST_F(ProxiedTransferTest, TheSettingsSurviveAServiceRestart) {
  options_.snapshot_path = dir_ / "queue" / "bits-queue.json";
  const JobId job = *alice().CreateJob("p", JobType::kDownload);
  const ProxySettings set{ProxyUsage::kOverride, "corp:3128", "<local>"};
  ASSERT_THAT(alice().SetProxySettings(job, set), IsOk());
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_EQ(*alice().GetProxySettings(job), set);
}

}  // namespace
}  // namespace bitsh::fake::testing
