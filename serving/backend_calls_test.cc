#include "serving/backend_calls.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "backend/testing/mock_backend.h"

namespace bitsh::serving {
namespace {

using ::testing::Return;
using ::testing::StrictMock;

// Every method declared in backend/backend.h, in its order.
std::vector<std::string> MethodsOfTheBackendHeader() {
  std::ifstream in(std::filesystem::path(BITSH_SOURCE_ROOT) / "backend" / "backend.h");
  std::stringstream text;
  text << in.rdbuf();
  const std::string header = text.str();
  std::vector<std::string> names;
  const std::regex declaration(R"(virtual (?!~)[^;(]*?\b([A-Z][A-Za-z]+)\()");
  for (auto it = std::sregex_iterator(header.begin(), header.end(), declaration); it != std::sregex_iterator(); ++it) {
    names.push_back((*it)[1]);
  }
  return names;
}

TEST(BackendCallsTest, EveryMethodOfTheBackendHasARowInTheHeadersOrder) {
  const std::vector<std::string> header = MethodsOfTheBackendHeader();
  ASSERT_GT(header.size(), 50u) << "backend.h was not read";
  std::vector<std::string> served(BackendMethodNames().begin(), BackendMethodNames().end());
  EXPECT_EQ(served, header);
  for (const std::string& name : header) EXPECT_TRUE(IsBackendMethod(name)) << name;
  EXPECT_FALSE(IsBackendMethod("clock.step"));
}

TEST(BackendCallsTest, ACallReachesTheBackendWithItsArgumentsAndAnswersItsStatus) {
  StrictMock<testing::MockBackend> backend;
  const JobId job = *JobId::Parse("{0123ABCD-4567-4890-ABCD-EF0123456789}");
  EXPECT_CALL(backend, AddFile(job, "http://h/a.wma", "/m/a.wma"))
      .WillOnce(Return(Status(hr::kInvalidArg, "relative")));
  const remote::Json answer = CallBackend(
      backend, "AddFile", {{"job", job}, {"remote_url", "http://h/a.wma"}, {"local_name", "/m/a.wma"}}, CallContext{});
  EXPECT_EQ(answer["hr"], hr::kInvalidArg);
  EXPECT_EQ(answer["message"], "relative");
  EXPECT_FALSE(answer.contains("value"));
}

TEST(BackendCallsTest, AValueComesBackUnderValue) {
  StrictMock<testing::MockBackend> backend;
  const JobId job = *JobId::Parse("{0123ABCD-4567-4890-ABCD-EF0123456789}");
  EXPECT_CALL(backend, GetState(job)).WillOnce(Return(Result<JobState>(JobState::kTransientError)));
  const remote::Json answer = CallBackend(backend, "GetState", {{"job", job}}, CallContext{});
  EXPECT_EQ(answer["hr"], hr::kOk);
  EXPECT_EQ(answer["value"], 5) << "BG_JOB_STATE_TRANSIENT_ERROR";
}

TEST(BackendCallsTest, MalformedArgumentsAreInvalidArgNamingTheMethodAndMember) {
  StrictMock<testing::MockBackend> backend;  // not called
  const remote::Json answer = CallBackend(backend, "SetPriority", {{"job", "{not-a-job}"}, {"priority", 1}}, CallContext{});
  EXPECT_EQ(answer["hr"], hr::kInvalidArg);
  const std::string message = answer["message"];
  EXPECT_NE(message.find("SetPriority"), std::string::npos) << message;
  EXPECT_NE(message.find("not a job id"), std::string::npos) << message;
}

}  // namespace
}  // namespace bitsh::serving
