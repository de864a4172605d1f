#include "remote/protocol.h"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>

namespace bitsh::remote {
namespace {

const JobId kJob = *JobId::Parse("{0123ABCD-4567-4890-ABCD-EF0123456789}");

// A value through its JSON text and back: what crosses the wire.
template <typename T>
T RoundTrip(const T& value) {
  return Json::parse(Json(value).dump()).get<T>();
}

TEST(ProtocolTest, AJobIdTravelsInItsRegistryForm) {
  EXPECT_EQ(Json(kJob), "{0123ABCD-4567-4890-ABCD-EF0123456789}");
  EXPECT_EQ(RoundTrip(kJob), kJob);
}

TEST(ProtocolTest, TextThatIsNotAJobIdIsRefused) {
  EXPECT_THROW(Json("{not-a-guid}").get<JobId>(), std::invalid_argument);
  EXPECT_THROW(Json(42).get<JobId>(), nlohmann::json::exception);
}

TEST(ProtocolTest, FilesKeepTheirNamesAndProgress) {
  const FileStatus file{"http://127.0.0.1/a b.wma", "/music/é.wma", FileProgress{kSizeUnknown, 250, true}};
  const FileStatus back = RoundTrip(file);
  EXPECT_EQ(back.remote_url, file.remote_url);
  EXPECT_EQ(back.local_name, file.local_name);
  EXPECT_EQ(back.progress, file.progress);  // BG_SIZE_UNKNOWN, the full 64 bits, survives
  EXPECT_EQ(RoundTrip(FileToAdd{"http://h/a", "/l/a"}), (FileToAdd{"http://h/a", "/l/a"}));
  EXPECT_EQ(RoundTrip(FileRange{100, kLengthToEof}), (FileRange{100, kLengthToEof}));
  EXPECT_EQ(RoundTrip(JobProgress{kSizeUnknown, 7, 3, 1}), (JobProgress{kSizeUnknown, 7, 3, 1}));
}

TEST(ProtocolTest, TimesKeepTheirNanosecondsAndAMissingCompletion) {
  JobTimes times;
  times.creation = FromNanoseconds(1'700'000'000'123'456'789);
  times.modification = times.creation + std::chrono::seconds(5);
  JobTimes back = RoundTrip(times);
  EXPECT_EQ(back.creation, times.creation);
  EXPECT_EQ(back.modification, times.modification);
  EXPECT_FALSE(back.transfer_completion.has_value());
  times.transfer_completion = times.modification;
  back = RoundTrip(times);
  EXPECT_EQ(back.transfer_completion, times.transfer_completion);
}

TEST(ProtocolTest, AnErrorKeepsItsCodeContextFileAndProtocol) {
  const JobError error{ErrorContext::kRemoteFile, hr::kNotFound, 2, "http"};
  EXPECT_EQ(RoundTrip(error), error);
  EXPECT_EQ(Json(error)["code"], 0x80200001u) << "BG_E_NOT_FOUND travels as its number";
  const JobError without_file{ErrorContext::kGeneralTransport, hr::kFail, std::nullopt, ""};
  EXPECT_EQ(RoundTrip(without_file), without_file);
}

TEST(ProtocolTest, SettingsKeepTheDifferenceBetweenNullAndEmpty) {
  const AuthCredentials credentials{AuthTarget::kProxy, AuthScheme::kNtlm, std::nullopt, ""};
  EXPECT_EQ(RoundTrip(credentials), credentials);
  const ProxySettings settings{ProxyUsage::kOverride, "proxy:8080", std::nullopt};
  EXPECT_EQ(RoundTrip(settings), settings);
  const NotifyCommandLine command_line{"C:\\store.exe", std::nullopt};
  EXPECT_EQ(RoundTrip(command_line), command_line);
  JobPropertyValue value = JobPropertyValue::FromClsid("{00000000-0000-0000-0000-000000000001}");
  value.uint64 = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(RoundTrip(value), value);
}

TEST(ProtocolTest, AStatusKeepsItsCodeAndMessage) {
  const Status status(hr::kPartialComplete, "job {x}: 1 of 2 files");
  const Status back = StatusFromJson(Json::parse(StatusToJson(status).dump()));
  EXPECT_EQ(back.code(), hr::kPartialComplete);
  EXPECT_EQ(back.message(), "job {x}: 1 of 2 files");
}

TEST(ProtocolTest, AnAnswerWithoutACodeIsAFailureThatShowsIt) {
  const Status status = StatusFromJson(Json{{"message", "hello"}});
  EXPECT_EQ(status.code(), hr::kFail);
  EXPECT_NE(status.message().find("hello"), std::string::npos) << status.message();
}

TEST(ProtocolTest, AMissingMemberIsAnErrorNamingIt) {
  try {
    static_cast<void>(Json{{"remote_url", "http://h/a"}}.get<FileToAdd>());
    FAIL() << "a FileToAdd without local_name was accepted";
  } catch (const nlohmann::json::exception& error) {
    EXPECT_NE(std::string(error.what()).find("local_name"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace bitsh::remote
