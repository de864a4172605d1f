// Conformance: how a job talks HTTP beyond the URL: IBackgroundCopyJobHttpOptions (Microsoft's
// SetCustomHeaders, GetCustomHeaders and SetSecurityFlags pages; Wine's qmgr test
// test_HttpOptions, which runs on Windows too) and IBackgroundCopyJob2's credentials (the
// SetCredentials and RemoveCredentials pages).
#include "conformance/backend_conformance.h"

namespace bitsh::conformance {

int HttpOptionsTestsAnchor() { return 0; }

namespace {

using bitsh::testing::IsOk;
using bitsh::testing::StatusIs;

TEST_P(BackendConformanceTest, CustomHeadersAreNoneUntilSetThenReadBackAsSetAndNullRemovesThem) {
  const JobId job = CreateJob("headers");
  EXPECT_EQ(*user().GetCustomHeaders(job), std::nullopt);
  ASSERT_THAT(user().SetCustomHeaders(job, "X-Bitsh-Test: one\r\n"), IsOk());
  EXPECT_EQ(*user().GetCustomHeaders(job), "X-Bitsh-Test: one\r\n");
  ASSERT_THAT(user().SetCustomHeaders(job, std::nullopt), IsOk());
  EXPECT_EQ(*user().GetCustomHeaders(job), std::nullopt);
}

TEST_P(BackendConformanceTest, TheJobsRequestsCarryItsCustomHeaders) {
  // The server answers 403 to any request without the token, as a CDN checking one does.
  Serve("/h/protected.wma", 50'000);
  AddFault({.path = "/h/protected.wma", .kind = server::FaultKind::kRequireHeader,
            .required_header = "X-Bitsh-Token: s3cret"});
  const JobId job = CreateJob("with token");
  ASSERT_THAT(user().SetCustomHeaders(job, "X-Bitsh-Token: s3cret\r\n"), IsOk());
  ASSERT_THAT(user().AddFile(job, Url("/h/protected.wma"), Local("protected.wma").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(HoldsServedBytes("protected.wma", "/h/protected.wma", 50'000));
}

TEST_P(BackendConformanceTest, CustomHeadersCanBeChangedAfterTheTransfer) {
  const JobId job = QueueDownload("/h/late.wma", 1'000);
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().SetCustomHeaders(job, "X-Bitsh-Late: yes\r\n"), IsOk());
  EXPECT_EQ(*user().GetCustomHeaders(job), "X-Bitsh-Late: yes\r\n");
}

TEST_P(BackendConformanceTest, CustomHeadersOverTheLimitAreStringTooLong) {
  const JobId job = CreateJob("long headers");
  const std::string at_limit = "X-Long: " + std::string(limits::kMaxCustomHeadersChars - 8, 'v');
  EXPECT_THAT(user().SetCustomHeaders(job, at_limit), IsOk());
  EXPECT_THAT(user().SetCustomHeaders(job, at_limit + "v"), StatusIs(hr::kStringTooLong));
  const std::optional<std::string> kept = *user().GetCustomHeaders(job);
  EXPECT_TRUE(kept == at_limit) << "the headers read back hold " << (kept ? std::to_string(kept->size()) : "no") << " bytes, not "
                                << at_limit.size();  // not printed whole: 16 KiB of 'v'
}

TEST_P(BackendConformanceTest, SetCustomHeadersOnAFinalJobIsInvalidState) {
  const FinalJobs ended = EndTwoJobs();
  EXPECT_THAT(user().SetCustomHeaders(ended.cancelled, "X-Bitsh-Test: 1\r\n"), StatusIs(hr::kInvalidState));
  EXPECT_THAT(user().SetCustomHeaders(ended.acknowledged, "X-Bitsh-Test: 1\r\n"), StatusIs(hr::kInvalidState));
}

TEST_P(BackendConformanceTest, SecurityFlagsAreZeroUntilSetAndReadBackAsSet) {
  const JobId job = CreateJob("flags");
  EXPECT_EQ(*user().GetSecurityFlags(job), 0u);
  const std::uint32_t flags = security_flags::kRedirectAllowReport | security_flags::kRedirectAllowHttpsToHttp |
                              security_flags::kIgnoreUnknownCa;
  ASSERT_THAT(user().SetSecurityFlags(job, flags), IsOk());
  EXPECT_EQ(*user().GetSecurityFlags(job), flags);
}

TEST_P(BackendConformanceTest, SecurityFlagsOutsideTheDocumentedOnesAreNotImplemented) {
  const JobId job = CreateJob("bad flags");
  EXPECT_THAT(user().SetSecurityFlags(job, 0x0300u), StatusIs(hr::kNotImpl));  // two redirect policies at once
  EXPECT_THAT(user().SetSecurityFlags(job, 0x1000u), StatusIs(hr::kNotImpl));  // no such bit
  EXPECT_EQ(*user().GetSecurityFlags(job), 0u);
}

TEST_P(BackendConformanceTest, UnderAllowReportARedirectChangesTheRemoteName) {
  Serve("/r/new.wma", 20'000);
  AddFault({.path = "/r/old.wma", .kind = server::FaultKind::kRedirect, .redirect_to = "/r/new.wma"});
  const JobId job = CreateJob("report");
  ASSERT_THAT(user().SetSecurityFlags(job, security_flags::kRedirectAllowReport), IsOk());
  ASSERT_THAT(user().AddFile(job, Url("/r/old.wma"), Local("report.wma").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  EXPECT_EQ(user().GetFiles(job)->at(0).remote_url, Url("/r/new.wma"));
}

TEST_P(BackendConformanceTest, UnderDisallowARedirectIsAFatalErrorNamingTheTarget) {
  Serve("/r/new.wma", 20'000);
  AddFault({.path = "/r/moved.wma", .kind = server::FaultKind::kRedirect, .redirect_to = "/r/new.wma",
            .redirect_status = 301});
  const JobId job = CreateJob("disallow");
  ASSERT_THAT(user().SetSecurityFlags(job, security_flags::kRedirectDisallow), IsOk());
  ASSERT_THAT(user().AddFile(job, Url("/r/moved.wma"), Local("disallow.wma").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kError));
  EXPECT_EQ(user().GetError(job)->code, hr::FromWin32(301));  // HRESULT_FROM_WIN32(HTTP_STATUS_MOVED)
  EXPECT_EQ(user().GetFiles(job)->at(0).remote_url, Url("/r/new.wma"));
}

TEST_P(BackendConformanceTest, ABasicChallengeIsAnsweredWithTheJobsServerCredentials) {
  Serve("/a/private.wma", 30'000);
  AddFault({.path = "/a/private.wma", .kind = server::FaultKind::kRequireBasicAuth, .basic_credentials = "store:s3cret"});
  const JobId job = CreateJob("basic");
  ASSERT_THAT(user().SetCredentials(job, {AuthTarget::kServer, AuthScheme::kBasic, "store", "s3cret"}), IsOk());
  ASSERT_THAT(user().AddFile(job, Url("/a/private.wma"), Local("private.wma").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_TRUE(HoldsServedBytes("private.wma", "/a/private.wma", 30'000));
}

TEST_P(BackendConformanceTest, WithoutCredentialsAServerAsking401IsAnError) {
  Serve("/a/locked.wma", 30'000);
  AddFault({.path = "/a/locked.wma", .kind = server::FaultKind::kRequireBasicAuth, .basic_credentials = "store:s3cret"});
  const JobId job = CreateJob("no credentials");
  ASSERT_THAT(user().AddFile(job, Url("/a/locked.wma"), Local("locked.wma").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kError));
  EXPECT_EQ(user().GetError(job)->code, hr::FromHttpStatus(401));
}

TEST_P(BackendConformanceTest, SetCredentialsChecksTargetSchemeAndLengths) {
  const JobId job = CreateJob("credential rules");
  const auto set = [&](AuthCredentials c) { return user().SetCredentials(job, c); };
  EXPECT_THAT(set({static_cast<AuthTarget>(3), AuthScheme::kBasic, "u", "p"}), StatusIs(hr::kInvalidAuthTarget));
  EXPECT_THAT(set({AuthTarget::kServer, static_cast<AuthScheme>(9), "u", "p"}), StatusIs(hr::kInvalidAuthScheme));
  EXPECT_THAT(set({AuthTarget::kServer, AuthScheme::kBasic, std::string(301, 'u'), "p"}), StatusIs(hr::kUserNameTooLarge));
  EXPECT_THAT(set({AuthTarget::kServer, AuthScheme::kBasic, "u", std::string(65'536, 'p')}), StatusIs(hr::kPasswordTooLarge));
  EXPECT_THAT(set({AuthTarget::kProxy, AuthScheme::kNtlm, std::nullopt, std::nullopt}), IsOk());
}

TEST_P(BackendConformanceTest, RemoveCredentialsIsSFalseForAPairThatHasNone) {
  const JobId job = CreateJob("remove credentials");
  EXPECT_THAT(user().RemoveCredentials(job, AuthTarget::kServer, AuthScheme::kDigest), StatusIs(hr::kFalse));
  ASSERT_THAT(user().SetCredentials(job, {AuthTarget::kServer, AuthScheme::kDigest, "u", "p"}), IsOk());
  EXPECT_THAT(user().RemoveCredentials(job, AuthTarget::kServer, AuthScheme::kDigest), StatusIs(hr::kOk));
}

}  // namespace
}  // namespace bitsh::conformance
