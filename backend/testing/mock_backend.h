// MockBackend: the one gMock Backend, for tests about interactions (who called what, how often).
// Tests about state use the fake instead; DelegateTo() makes the mock answer through a real
// Backend so an interaction test still sees true behaviour.
#pragma once

#include <gmock/gmock.h>

#include "backend/backend.h"

namespace bitsh::testing {

class MockBackend : public Backend {
 public:
  // Defined in mock_backend.cc, so the code gMock generates for 44 methods is compiled once there
  // rather than in every test that creates a mock (gMock cookbook, "Making the Compilation Faster").
  MockBackend();
  ~MockBackend() override;

  MOCK_METHOD(Result<JobId>, CreateJob, (const std::string&, JobType), (override));
  MOCK_METHOD(Status, GetJob, (const JobId&), (override));
  MOCK_METHOD(Result<std::vector<JobId>>, EnumJobs, (EnumScope), (override));
  MOCK_METHOD(Status, AddFile, (const JobId&, const std::string&, const std::string&), (override));
  MOCK_METHOD(Result<std::vector<FileStatus>>, GetFiles, (const JobId&), (override));
  MOCK_METHOD(Status, AddFileSet, (const JobId&, const std::vector<FileToAdd>&), (override));
  MOCK_METHOD(Result<std::string>, GetTemporaryName, (const JobId&, std::size_t), (override));
  MOCK_METHOD(Status, SetValidationState, (const JobId&, std::size_t, bool), (override));
  MOCK_METHOD(Result<bool>, GetValidationState, (const JobId&, std::size_t), (override));
  MOCK_METHOD(Result<bool>, IsDownloadedFromPeer, (const JobId&, std::size_t), (override));
  MOCK_METHOD(Status, AddFileWithRanges, (const JobId&, const std::string&, const std::string&, const std::vector<FileRange>&),
              (override));
  MOCK_METHOD(Result<std::vector<FileRange>>, GetFileRanges, (const JobId&, std::size_t), (override));
  MOCK_METHOD(Status, ReplaceRemotePrefix, (const JobId&, const std::string&, const std::string&), (override));
  MOCK_METHOD(Status, SetRemoteName, (const JobId&, std::size_t, const std::string&), (override));
  MOCK_METHOD(Status, SetDisplayName, (const JobId&, const std::string&), (override));
  MOCK_METHOD(Result<std::string>, GetDisplayName, (const JobId&), (override));
  MOCK_METHOD(Status, SetDescription, (const JobId&, const std::string&), (override));
  MOCK_METHOD(Result<std::string>, GetDescription, (const JobId&), (override));
  MOCK_METHOD(Status, SetPriority, (const JobId&, JobPriority), (override));
  MOCK_METHOD(Result<JobPriority>, GetPriority, (const JobId&), (override));
  MOCK_METHOD(Status, SetMinimumRetryDelay, (const JobId&, std::uint32_t), (override));
  MOCK_METHOD(Result<std::uint32_t>, GetMinimumRetryDelay, (const JobId&), (override));
  MOCK_METHOD(Status, SetNoProgressTimeout, (const JobId&, std::uint32_t), (override));
  MOCK_METHOD(Result<std::uint32_t>, GetNoProgressTimeout, (const JobId&), (override));
  MOCK_METHOD(Result<JobType>, GetType, (const JobId&), (override));
  MOCK_METHOD(Result<std::string>, GetOwner, (const JobId&), (override));
  MOCK_METHOD(Status, TakeOwnership, (const JobId&), (override));
  MOCK_METHOD(Status, SetProxySettings, (const JobId&, const ProxySettings&), (override));
  MOCK_METHOD(Result<ProxySettings>, GetProxySettings, (const JobId&), (override));
  MOCK_METHOD(Status, SetCredentials, (const JobId&, const AuthCredentials&), (override));
  MOCK_METHOD(Status, RemoveCredentials, (const JobId&, AuthTarget, AuthScheme), (override));
  MOCK_METHOD(Status, SetCustomHeaders, (const JobId&, const std::optional<std::string>&), (override));
  MOCK_METHOD(Result<std::optional<std::string>>, GetCustomHeaders, (const JobId&), (override));
  MOCK_METHOD(Status, SetSecurityFlags, (const JobId&, std::uint32_t), (override));
  MOCK_METHOD(Result<std::uint32_t>, GetSecurityFlags, (const JobId&), (override));
  MOCK_METHOD(Status, SetNotifyFlags, (const JobId&, std::uint32_t), (override));
  MOCK_METHOD(Result<std::uint32_t>, GetNotifyFlags, (const JobId&), (override));
  MOCK_METHOD(Status, SetJobProperty, (const JobId&, JobPropertyId, const JobPropertyValue&), (override));
  MOCK_METHOD(Result<JobPropertyValue>, GetJobProperty, (const JobId&, JobPropertyId), (override));
  MOCK_METHOD(Status, SetMaximumDownloadTime, (const JobId&, std::uint32_t), (override));
  MOCK_METHOD(Result<std::uint32_t>, GetMaximumDownloadTime, (const JobId&), (override));
  MOCK_METHOD(Status, SetNotifyInterface, (const JobId&, std::shared_ptr<JobCallback>), (override));
  MOCK_METHOD(Result<std::shared_ptr<JobCallback>>, GetNotifyInterface, (const JobId&), (override));
  MOCK_METHOD(Status, SetNotifyCmdLine, (const JobId&, const NotifyCommandLine&), (override));
  MOCK_METHOD(Result<NotifyCommandLine>, GetNotifyCmdLine, (const JobId&), (override));
  MOCK_METHOD(Status, Resume, (const JobId&), (override));
  MOCK_METHOD(Status, Suspend, (const JobId&), (override));
  MOCK_METHOD(Status, Cancel, (const JobId&), (override));
  MOCK_METHOD(Status, Complete, (const JobId&), (override));
  MOCK_METHOD(Result<JobState>, GetState, (const JobId&), (override));
  MOCK_METHOD(Result<JobProgress>, GetProgress, (const JobId&), (override));
  MOCK_METHOD(Result<JobTimes>, GetTimes, (const JobId&), (override));
  MOCK_METHOD(Result<JobError>, GetError, (const JobId&), (override));
  MOCK_METHOD(Result<std::uint32_t>, GetErrorCount, (const JobId&), (override));

  // Makes every call answer through `real` unless a test sets its own action.
  // REQUIRES: real outlives this mock.
  void DelegateTo(Backend& real);
};

}  // namespace bitsh::testing
