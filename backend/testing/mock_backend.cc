#include "backend/testing/mock_backend.h"

namespace bitsh::testing {

using ::testing::_;
using ::testing::Invoke;

MockBackend::MockBackend() = default;
MockBackend::~MockBackend() = default;

void MockBackend::DelegateTo(Backend& real) {
  ON_CALL(*this, CreateJob).WillByDefault(Invoke(&real, &Backend::CreateJob));
  ON_CALL(*this, GetJob).WillByDefault(Invoke(&real, &Backend::GetJob));
  ON_CALL(*this, EnumJobs).WillByDefault(Invoke(&real, &Backend::EnumJobs));
  ON_CALL(*this, AddFile).WillByDefault(Invoke(&real, &Backend::AddFile));
  ON_CALL(*this, GetFiles).WillByDefault(Invoke(&real, &Backend::GetFiles));
  ON_CALL(*this, SetDisplayName).WillByDefault(Invoke(&real, &Backend::SetDisplayName));
  ON_CALL(*this, GetDisplayName).WillByDefault(Invoke(&real, &Backend::GetDisplayName));
  ON_CALL(*this, SetDescription).WillByDefault(Invoke(&real, &Backend::SetDescription));
  ON_CALL(*this, GetDescription).WillByDefault(Invoke(&real, &Backend::GetDescription));
  ON_CALL(*this, SetPriority).WillByDefault(Invoke(&real, &Backend::SetPriority));
  ON_CALL(*this, GetPriority).WillByDefault(Invoke(&real, &Backend::GetPriority));
  ON_CALL(*this, SetMinimumRetryDelay).WillByDefault(Invoke(&real, &Backend::SetMinimumRetryDelay));
  ON_CALL(*this, GetMinimumRetryDelay).WillByDefault(Invoke(&real, &Backend::GetMinimumRetryDelay));
  ON_CALL(*this, SetNoProgressTimeout).WillByDefault(Invoke(&real, &Backend::SetNoProgressTimeout));
  ON_CALL(*this, GetNoProgressTimeout).WillByDefault(Invoke(&real, &Backend::GetNoProgressTimeout));
  ON_CALL(*this, GetType).WillByDefault(Invoke(&real, &Backend::GetType));
  ON_CALL(*this, GetOwner).WillByDefault(Invoke(&real, &Backend::GetOwner));
  ON_CALL(*this, TakeOwnership).WillByDefault(Invoke(&real, &Backend::TakeOwnership));
  ON_CALL(*this, Resume).WillByDefault(Invoke(&real, &Backend::Resume));
  ON_CALL(*this, Suspend).WillByDefault(Invoke(&real, &Backend::Suspend));
  ON_CALL(*this, Cancel).WillByDefault(Invoke(&real, &Backend::Cancel));
  ON_CALL(*this, Complete).WillByDefault(Invoke(&real, &Backend::Complete));
  ON_CALL(*this, GetState).WillByDefault(Invoke(&real, &Backend::GetState));
  ON_CALL(*this, GetProgress).WillByDefault(Invoke(&real, &Backend::GetProgress));
  ON_CALL(*this, GetTimes).WillByDefault(Invoke(&real, &Backend::GetTimes));
  ON_CALL(*this, GetError).WillByDefault(Invoke(&real, &Backend::GetError));
  ON_CALL(*this, GetErrorCount).WillByDefault(Invoke(&real, &Backend::GetErrorCount));
}

}  // namespace bitsh::testing
