// The control API's guard against web pages: a loopback Host, and no Origin but a loopback one.
#include "server/control_guard.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bitsh::server {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(ControlGuardTest, LoopbackAuthoritiesWithOrWithoutAPort) {
  for (const char* authority : {"127.0.0.1", "127.0.0.1:8080", "127.1.2.3:1", "localhost", "LocalHost:80", "[::1]",
                                "[::1]:8080"}) {
    EXPECT_TRUE(IsLoopbackAuthority(authority)) << authority;
  }
}

TEST(ControlGuardTest, EverythingElseIsNotLoopback) {
  for (const char* authority : {"", "evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil",
                                "128.0.0.1", "127.0.0", "127.0.0.256", "127.0.0.1:", "127.0.0.1:80x", "[::2]",
                                "[::1", "[::1]x", "0.0.0.0", "10.0.0.1:8080"}) {
    EXPECT_FALSE(IsLoopbackAuthority(authority)) << authority;
  }
}

TEST(ControlGuardTest, OurOwnClientsSendALoopbackHostAndNoOrigin) {
  EXPECT_THAT(ControlRequestRefusal("127.0.0.1:40123", ""), IsEmpty());
  EXPECT_THAT(ControlRequestRefusal("localhost:40123", "http://localhost:3000"), IsEmpty());
}

// A DNS-rebinding page reaches 127.0.0.1 under its own name: its Host gives it away.
TEST(ControlGuardTest, AForeignHostIsRefused) {
  EXPECT_THAT(ControlRequestRefusal("evil.example:40123", ""), HasSubstr("Host is 'evil.example:40123'"));
  EXPECT_THAT(ControlRequestRefusal("", ""), HasSubstr("loopback host only"));
}

// A cross-site form POST from a page in a local browser carries the page's Origin.
TEST(ControlGuardTest, AWebPagesOriginIsRefused) {
  EXPECT_THAT(ControlRequestRefusal("127.0.0.1:40123", "https://evil.example"),
              HasSubstr("Origin is 'https://evil.example'"));
  EXPECT_THAT(ControlRequestRefusal("127.0.0.1:40123", "null"), HasSubstr("refuses requests from web pages"));
  EXPECT_THAT(ControlRequestRefusal("127.0.0.1:40123", "file://"), HasSubstr("refuses requests from web pages"));
}

}  // namespace
}  // namespace bitsh::server
