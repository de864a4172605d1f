// IBackgroundCopyJobHttpOptions in the fake: custom headers (the grammar the text must follow, and
// the headers reaching every request of the job, probe and pieces alike) and the security flags'
// values. What the redirect policy does over HTTP is in http_transport_test.cc.
#include "fake/custom_headers.h"

#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

TEST(ParseCustomHeadersTest, SplitsCrLfLinesIntoTrimmedFields) {
  const Result<HeaderFields> fields = ParseCustomHeaders("Authorization: Bearer x\r\nX-Store:\t7 \r\n\r\nX-Last:no-crlf");
  ASSERT_THAT(fields, IsOk());
  EXPECT_THAT(*fields, ElementsAre(Pair("Authorization", "Bearer x"), Pair("X-Store", "7"), Pair("X-Last", "no-crlf")));
}

TEST(ParseCustomHeadersTest, RefusesWhatIsNotANameValueLineNamingTheLine) {
  const auto message = [](std::string_view text) { return ParseCustomHeaders(text).status().message(); };
  EXPECT_THAT(ParseCustomHeaders("A: 1\r\nno colon\r\n"), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(message("A: 1\r\nno colon\r\n"), HasSubstr("custom header line 2 'no colon' is not 'Name: value'"));
  EXPECT_THAT(message("Bad Name: 1"), HasSubstr("the name is not an HTTP token"));
  EXPECT_THAT(message(": 1"), HasSubstr("the name is not an HTTP token"));
  EXPECT_THAT(message("A: 1\r2"), HasSubstr("control character"));
  EXPECT_THAT(message("range: bytes=0-"), HasSubstr("Range is set by the transfer itself"));
  EXPECT_THAT(message("Host: elsewhere"), HasSubstr("Host is set by the transfer itself"));
}

class CustomHeadersTest : public FakeServiceTest {};

TEST_F(CustomHeadersTest, NoneUntilSetThenExactlyAsSetAndRemovedByNulloptOrEmpty) {
  const JobId job = *alice().CreateJob("h", JobType::kDownload);
  EXPECT_EQ(*alice().GetCustomHeaders(job), std::nullopt);
  ASSERT_THAT(alice().SetCustomHeaders(job, "X-Token: t1\r\n"), IsOk());
  EXPECT_EQ(*alice().GetCustomHeaders(job), "X-Token: t1\r\n");
  ASSERT_THAT(alice().SetCustomHeaders(job, std::nullopt), IsOk());
  EXPECT_EQ(*alice().GetCustomHeaders(job), std::nullopt);
  ASSERT_THAT(alice().SetCustomHeaders(job, "X-Token: t2\r\n"), IsOk());
  ASSERT_THAT(alice().SetCustomHeaders(job, ""), IsOk());
  EXPECT_EQ(*alice().GetCustomHeaders(job), std::nullopt);
}

TEST_F(CustomHeadersTest, TheLimitIs16383Utf16UnitsAndABadLineIsRefusedUnchanged) {
  const JobId job = *alice().CreateJob("h", JobType::kDownload);
  const std::string at_limit = "X: " + std::string(limits::kMaxCustomHeadersChars - 3, 'v');
  EXPECT_THAT(alice().SetCustomHeaders(job, at_limit), IsOk());
  EXPECT_THAT(alice().SetCustomHeaders(job, at_limit + "v"), StatusIs(hr::kStringTooLong));
  EXPECT_THAT(alice().SetCustomHeaders(job, "X-Ok: 1\r\nbroken\r\n"), StatusIs(hr::kInvalidArg));
  EXPECT_TRUE(*alice().GetCustomHeaders(job) == at_limit);  // the refused calls changed nothing (not printed: 16 KiB)
}

TEST_F(CustomHeadersTest, OnlyTheOwnerOrAnAdminSetsThemAndNotOnceTheJobIsFinal) {
  const JobId job = *alice().CreateJob("h", JobType::kDownload);
  EXPECT_THAT(service().Connect("bob")->SetCustomHeaders(job, "X: 1"), StatusIs(hr::kAccessDenied));
  service().AddUser("root", /*is_admin=*/true);
  EXPECT_THAT(service().Connect("root")->SetCustomHeaders(job, "X: 1"), IsOk());
  ASSERT_THAT(alice().Cancel(job), IsOk());
  EXPECT_THAT(alice().SetCustomHeaders(job, "X: 2"), StatusIs(hr::kInvalidState));
}

TEST_F(CustomHeadersTest, EveryRequestOfTheJobCarriesThemAndAnotherJobsDoNot) {
  options_.chunk_bytes = 100'000;
  const JobId with = QueueDownload(alice(), "with.wma", 250'000);
  ASSERT_THAT(alice().SetCustomHeaders(with, "Authorization: Bearer abc\r\nX-Store: 7\r\n"), IsOk());
  QueueDownload(alice(), "without.wma", 1'000);
  ASSERT_TRUE(service().RunUntilIdle());
  int probes = 0, fetches = 0;
  for (const ScriptedTransport::Request& request : transport_.requests()) {
    if (request.url == Url("with.wma")) {
      EXPECT_THAT(request.headers, ElementsAre(Pair("Authorization", "Bearer abc"), Pair("X-Store", "7")));
      (request.is_probe ? probes : fetches)++;
    } else {
      EXPECT_TRUE(request.headers.empty()) << request.url;
    }
  }
  EXPECT_EQ(probes, 1);
  EXPECT_EQ(fetches, 3);  // 100,000 + 100,000 + 50,000
}

TEST_F(CustomHeadersTest, TakeOwnershipRemovesThem) {
  service().AddUser("root", /*is_admin=*/true);
  const JobId job = *alice().CreateJob("h", JobType::kDownload);
  ASSERT_THAT(alice().SetCustomHeaders(job, "Authorization: Bearer alice\r\n"), IsOk());
  std::unique_ptr<Backend> root = service().Connect("root");
  ASSERT_THAT(root->TakeOwnership(job), IsOk());
  EXPECT_EQ(*root->GetCustomHeaders(job), std::nullopt);
}

TEST_F(CustomHeadersTest, TheySurviveAServiceRestart) {
  options_.snapshot_path = dir_ / "queue" / "bits-queue.json";
  const JobId job = *alice().CreateJob("h", JobType::kDownload);
  ASSERT_THAT(alice().SetCustomHeaders(job, "X-Token: kept\r\n"), IsOk());
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_EQ(*alice().GetCustomHeaders(job), "X-Token: kept\r\n");
}

class CredentialsTest : public FakeServiceTest {};

TEST_F(CredentialsTest, TheSetCredentialsPagesRulesInItsOrder) {
  const JobId job = *alice().CreateJob("c", JobType::kDownload);
  const auto set = [&](AuthCredentials c) { return alice().SetCredentials(job, c); };
  EXPECT_THAT(set({static_cast<AuthTarget>(3), AuthScheme::kBasic, "u", "p"}), StatusIs(hr::kInvalidAuthTarget));
  EXPECT_THAT(set({AuthTarget::kServer, static_cast<AuthScheme>(6), "u", "p"}), StatusIs(hr::kInvalidAuthScheme));
  EXPECT_THAT(set({AuthTarget::kServer, AuthScheme::kBasic, std::nullopt, "p"}), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(set({AuthTarget::kProxy, AuthScheme::kDigest, "u", std::nullopt}), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(set({AuthTarget::kServer, AuthScheme::kNtlm, std::nullopt, std::nullopt}), IsOk());  // the logged-on user
  EXPECT_THAT(set({AuthTarget::kServer, AuthScheme::kBasic, std::string(300, 'u'), "p"}), IsOk());
  EXPECT_THAT(set({AuthTarget::kServer, AuthScheme::kBasic, std::string(301, 'u'), "p"}), StatusIs(hr::kUserNameTooLarge));
  EXPECT_THAT(set({AuthTarget::kServer, AuthScheme::kBasic, "u", std::string(65'535, 'p')}), IsOk());
  EXPECT_THAT(set({AuthTarget::kServer, AuthScheme::kBasic, "u", std::string(65'536, 'p')}), StatusIs(hr::kPasswordTooLarge));
}

TEST_F(CredentialsTest, RemoveIsSFalseForAPairWithoutCredentialsAndTakeOwnershipRemovesThemAll) {
  service().AddUser("root", /*is_admin=*/true);
  const JobId job = *alice().CreateJob("c", JobType::kDownload);
  EXPECT_THAT(alice().RemoveCredentials(job, AuthTarget::kServer, AuthScheme::kBasic), StatusIs(hr::kFalse));
  ASSERT_THAT(alice().SetCredentials(job, {AuthTarget::kServer, AuthScheme::kBasic, "u", "p"}), IsOk());
  EXPECT_THAT(alice().RemoveCredentials(job, AuthTarget::kServer, AuthScheme::kBasic), StatusIs(hr::kOk));
  EXPECT_THAT(alice().RemoveCredentials(job, AuthTarget::kServer, AuthScheme::kBasic), StatusIs(hr::kFalse));
  EXPECT_THAT(alice().RemoveCredentials(job, AuthTarget::kProxy, static_cast<AuthScheme>(0)), StatusIs(hr::kInvalidAuthScheme));
  ASSERT_THAT(alice().SetCredentials(job, {AuthTarget::kProxy, AuthScheme::kBasic, "u", "p"}), IsOk());
  ASSERT_THAT(service().Connect("root")->TakeOwnership(job), IsOk());
  EXPECT_THAT(service().Connect("root")->RemoveCredentials(job, AuthTarget::kProxy, AuthScheme::kBasic),
              StatusIs(hr::kFalse));
}

TEST_F(CredentialsTest, OnlyTheOwnerOrAnAdminSetsThemAndNotOnceTheJobIsFinal) {
  const JobId job = *alice().CreateJob("c", JobType::kDownload);
  EXPECT_THAT(service().Connect("bob")->SetCredentials(job, {AuthTarget::kServer, AuthScheme::kBasic, "u", "p"}),
              StatusIs(hr::kAccessDenied));
  ASSERT_THAT(alice().Cancel(job), IsOk());
  EXPECT_THAT(alice().SetCredentials(job, {AuthTarget::kServer, AuthScheme::kBasic, "u", "p"}), StatusIs(hr::kInvalidState));
}

TEST_F(CredentialsTest, TheySurviveAServiceRestart) {
  options_.snapshot_path = dir_ / "queue" / "bits-queue.json";
  const JobId job = *alice().CreateJob("c", JobType::kDownload);
  ASSERT_THAT(alice().SetCredentials(job, {AuthTarget::kServer, AuthScheme::kBasic, "u", "p"}), IsOk());
  ASSERT_THAT(service().Restart(), IsOk());
  // No getter: that they came back shows in Remove answering S_OK, not S_FALSE.
  EXPECT_THAT(alice().RemoveCredentials(job, AuthTarget::kServer, AuthScheme::kBasic), StatusIs(hr::kOk));
}

class SecurityFlagsTest : public FakeServiceTest {};

TEST_F(SecurityFlagsTest, ZeroForANewJobAndEveryDocumentedCombinationIsKept) {
  const JobId job = *alice().CreateJob("f", JobType::kDownload);
  EXPECT_EQ(*alice().GetSecurityFlags(job), 0u);  // §12: security flags default 0
  for (std::uint32_t flags : {0x001Fu, 0x0100u, 0x0200u, 0x0800u, 0x0900u, 0x0A1Fu}) {
    EXPECT_THAT(alice().SetSecurityFlags(job, flags), IsOk()) << flags;
    EXPECT_EQ(*alice().GetSecurityFlags(job), flags);
  }
}

TEST_F(SecurityFlagsTest, AnUndocumentedBitOrPolicyIsNotImplementedAndChangesNothing) {
  const JobId job = *alice().CreateJob("f", JobType::kDownload);
  ASSERT_THAT(alice().SetSecurityFlags(job, 0x0100u), IsOk());
  for (std::uint32_t flags : {0x0020u, 0x0300u, 0x0400u, 0x0700u, 0x1000u, 0x80000000u}) {
    EXPECT_THAT(alice().SetSecurityFlags(job, flags), StatusIs(hr::kNotImpl)) << flags;
  }
  EXPECT_EQ(*alice().GetSecurityFlags(job), 0x0100u);
}

TEST_F(SecurityFlagsTest, TheySurviveAServiceRestart) {
  options_.snapshot_path = dir_ / "queue" / "bits-queue.json";
  const JobId job = *alice().CreateJob("f", JobType::kDownload);
  ASSERT_THAT(alice().SetSecurityFlags(job, 0x0200u), IsOk());
  ASSERT_THAT(service().Restart(), IsOk());
  EXPECT_EQ(*alice().GetSecurityFlags(job), 0x0200u);
}

}  // namespace
}  // namespace bitsh::fake::testing
