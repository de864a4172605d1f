// The rules IBackgroundCopyJob2::SetCredentials checks, shared by the call and the snapshot reader
// (a snapshot holds only credentials the call took). Internal to fake/.
#pragma once

#include "backend/job_types.h"
#include "backend/status.h"

namespace bitsh::fake {

// BG_E_INVALID_AUTH_TARGET / BG_E_INVALID_AUTH_SCHEME for a value outside the enumerations.
Status CheckAuthPair(AuthTarget target, AuthScheme scheme);
// CheckAuthPair, then E_INVALIDARG for Basic or Digest without a user name or password,
// BG_E_USERNAME_TOO_LARGE over 300 UTF-16 units, BG_E_PASSWORD_TOO_LARGE over 65,535.
Status CheckCredentials(const AuthCredentials& credentials);

}  // namespace bitsh::fake
