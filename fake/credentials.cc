#include "fake/credentials.h"

#include <string>

namespace bitsh::fake {

Status CheckAuthPair(AuthTarget target, AuthScheme scheme) {
  const auto target_value = static_cast<std::uint32_t>(target);
  const auto scheme_value = static_cast<std::uint32_t>(scheme);
  if (target_value < 1 || target_value > 2) {
    return Status(hr::kInvalidAuthTarget, std::to_string(target_value) + " is not a BG_AUTH_TARGET");
  }
  if (scheme_value < 1 || scheme_value > 5) {
    return Status(hr::kInvalidAuthScheme, std::to_string(scheme_value) + " is not a BG_AUTH_SCHEME");
  }
  return Status::Ok();
}

// The SetCredentials page's rules, in its order.
Status CheckCredentials(const AuthCredentials& credentials) {
  if (Status pair = CheckAuthPair(credentials.target, credentials.scheme); !pair.ok()) return pair;
  const bool needs_both = credentials.scheme == AuthScheme::kBasic || credentials.scheme == AuthScheme::kDigest;
  if (needs_both && (!credentials.user_name || !credentials.password)) {
    return Status::InvalidArg("Basic and Digest credentials need a user name and a password");
  }
  if (credentials.user_name && Utf16Length(*credentials.user_name) > limits::kMaxUserNameChars) {
    return Status(hr::kUserNameTooLarge, "the user name exceeds 300 characters");
  }
  if (credentials.password && Utf16Length(*credentials.password) > limits::kMaxPasswordChars) {
    return Status(hr::kPasswordTooLarge, "the password exceeds 65535 characters");
  }
  return Status::Ok();
}


}  // namespace bitsh::fake
