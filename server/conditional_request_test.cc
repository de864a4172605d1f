// EvaluateConditions, one row per rule of RFC 9110 §13 (section numbers in the row names).
#include "server/conditional_request.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace bitsh::server {
namespace {

using O = ConditionalOutcome;

constexpr std::int64_t kNow = 1'781'524'800;  // Mon, 15 Jun 2026 12:00:00 GMT
constexpr const char* kModified = "Thu, 01 Jan 2026 00:00:01 GMT";
constexpr const char* kSecondBefore = "Thu, 01 Jan 2026 00:00:00 GMT";
constexpr const char* kSecondAfter = "Thu, 01 Jan 2026 00:00:02 GMT";
constexpr const char* kModifiedRfc850 = "Thursday, 01-Jan-26 00:00:01 GMT";  // the same instant

struct ConditionalCase {
  const char* name;
  ConditionalHeaders headers;
  O outcome;
  bool use_range = false;
  std::string_view reason = "";
  const char* method = "GET";
  ResourceValidators resource = {true, "\"v1\"", kModified};
};

const ConditionalCase kConditionalCases[] = {
    {"no conditions", {}, O::kProceed},
    {"§14.2 Range on GET is processed", {.has_range = true}, O::kProceed, true},
    {"§14.2 Range on HEAD is ignored", {.has_range = true}, O::kProceed, false, "", "HEAD"},

    {"§13.1.1 If-Match equal", {.if_match = "\"v1\""}, O::kProceed},
    {"§13.1.1 If-Match different", {.if_match = "\"v2\""}, O::kPreconditionFailed, false, "If-Match failed"},
    {"§13.1.1 If-Match list holding it", {.if_match = "\"v2\", \"v1\""}, O::kProceed},
    {"§13.1.1 If-Match weak tag: strong comparison", {.if_match = "W/\"v1\""}, O::kPreconditionFailed, false,
     "If-Match failed"},
    {"§13.1.1 If-Match * on an existing resource", {.if_match = "*"}, O::kProceed},
    {"§13.1.1 If-Match * on a missing resource", {.if_match = "*"}, O::kPreconditionFailed, false,
     "If-Match failed", "GET", {false, "", ""}},
    {"§13.1.1 If-Match malformed: fails safe", {.if_match = "v1"}, O::kPreconditionFailed, false,
     "If-Match failed"},
    {"§13.1.1 If-Match empty list matches nothing", {.if_match = ""}, O::kPreconditionFailed, false,
     "If-Match failed"},
    {"§13.1.1 If-Match on a weak current tag", {.if_match = "\"v1\""}, O::kPreconditionFailed, false,
     "If-Match failed", "GET", {true, "W/\"v1\"", kModified}},

    {"§13.1.4 If-Unmodified-Since equal", {.if_unmodified_since = kModified}, O::kProceed},
    {"§13.1.4 If-Unmodified-Since later", {.if_unmodified_since = kSecondAfter}, O::kProceed},
    {"§13.1.4 If-Unmodified-Since earlier", {.if_unmodified_since = kSecondBefore}, O::kPreconditionFailed,
     false, "If-Unmodified-Since failed"},
    {"§13.1.4 If-Unmodified-Since not a date: ignored", {.if_unmodified_since = "yesterday"}, O::kProceed},
    {"§13.1.4 If-Unmodified-Since list of dates: ignored",
     {.if_unmodified_since = std::string(kSecondBefore) + ", " + kSecondBefore}, O::kProceed},
    {"§13.1.4 If-Unmodified-Since without Last-Modified: ignored", {.if_unmodified_since = kSecondBefore},
     O::kProceed, false, "", "GET", {true, "\"v1\"", ""}},
    {"§13.2.2 If-Unmodified-Since ignored beside If-Match",
     {.if_match = "\"v1\"", .if_unmodified_since = kSecondBefore}, O::kProceed},

    {"§13.1.2 If-None-Match equal", {.if_none_match = "\"v1\""}, O::kNotModified, false, "If-None-Match matched"},
    {"§13.1.2 If-None-Match weak tag: weak comparison", {.if_none_match = "W/\"v1\""}, O::kNotModified, false,
     "If-None-Match matched"},
    {"§13.1.2 If-None-Match different", {.if_none_match = "\"v2\""}, O::kProceed},
    {"§13.1.2 If-None-Match list holding it", {.if_none_match = "\"v2\", W/\"v1\""}, O::kNotModified, false,
     "If-None-Match matched"},
    {"§13.1.2 If-None-Match * on an existing resource", {.if_none_match = "*"}, O::kNotModified, false,
     "If-None-Match matched"},
    {"§13.1.2 If-None-Match * on a missing resource", {.if_none_match = "*"}, O::kProceed, false, "", "GET",
     {false, "", ""}},
    {"§13.1.2 If-None-Match malformed: never matches", {.if_none_match = "\"v1"}, O::kProceed},
    {"§13.1.2 If-None-Match on HEAD", {.if_none_match = "\"v1\""}, O::kNotModified, false,
     "If-None-Match matched", "HEAD"},
    {"§13.1.2 If-None-Match on another method", {.if_none_match = "\"v1\""}, O::kPreconditionFailed, false,
     "If-None-Match matched", "DELETE"},
    {"§13.1.2 If-None-Match with no current tag", {.if_none_match = "\"v1\""}, O::kProceed, false, "", "GET",
     {true, "", kModified}},

    {"§13.1.3 If-Modified-Since equal", {.if_modified_since = kModified}, O::kNotModified, false,
     "not modified since If-Modified-Since"},
    {"§13.1.3 If-Modified-Since later", {.if_modified_since = kSecondAfter}, O::kNotModified, false,
     "not modified since If-Modified-Since"},
    {"§13.1.3 If-Modified-Since in RFC 850 form", {.if_modified_since = kModifiedRfc850}, O::kNotModified,
     false, "not modified since If-Modified-Since"},
    {"§13.1.3 If-Modified-Since earlier", {.if_modified_since = kSecondBefore}, O::kProceed},
    {"§13.1.3 If-Modified-Since not a date: ignored", {.if_modified_since = "Thu, 01 Jan 2026"}, O::kProceed},
    {"§13.1.3 If-Modified-Since on another method: ignored", {.if_modified_since = kModified}, O::kProceed,
     false, "", "DELETE"},
    {"§13.2.2 If-Modified-Since ignored beside If-None-Match",
     {.if_none_match = "\"v2\"", .if_modified_since = kSecondAfter}, O::kProceed},

    {"§13.2.2 If-Match before If-None-Match", {.if_match = "\"v2\"", .if_none_match = "\"v1\""},
     O::kPreconditionFailed, false, "If-Match failed"},
    {"§13.2.2 If-Unmodified-Since before If-Modified-Since",
     {.if_modified_since = kModified, .if_unmodified_since = kSecondBefore}, O::kPreconditionFailed, false,
     "If-Unmodified-Since failed"},
    {"§13.2.2 If-Match passing, then If-None-Match", {.if_match = "\"v1\"", .if_none_match = "\"v1\""},
     O::kNotModified, false, "If-None-Match matched"},
    {"§13.2.2 If-None-Match before If-Range", {.if_none_match = "\"v1\"", .if_range = "\"v1\"", .has_range = true},
     O::kNotModified, false, "If-None-Match matched"},

    {"§13.1.5 If-Range equal tag", {.if_range = "\"v1\"", .has_range = true}, O::kProceed, true},
    {"§13.1.5 If-Range different tag", {.if_range = "\"v2\"", .has_range = true}, O::kProceed, false,
     "If-Range did not match"},
    {"§13.1.5 If-Range weak tag never matches", {.if_range = "W/\"v1\"", .has_range = true}, O::kProceed, false,
     "If-Range did not match"},
    {"§13.1.5 If-Range against a weak current tag", {.if_range = "W/\"v1\"", .has_range = true}, O::kProceed,
     false, "If-Range did not match", "GET", {true, "W/\"v1\"", kModified}},
    {"§13.1.5 If-Range equal date", {.if_range = kModified, .has_range = true}, O::kProceed, true},
    {"§13.1.5 If-Range same instant, other form", {.if_range = kModifiedRfc850, .has_range = true}, O::kProceed,
     false, "If-Range did not match"},
    {"§13.1.5 If-Range later date", {.if_range = kSecondAfter, .has_range = true}, O::kProceed, false,
     "If-Range did not match"},
    {"§13.1.5 If-Range date without Last-Modified", {.if_range = kModified, .has_range = true}, O::kProceed,
     false, "If-Range did not match", "GET", {true, "\"v1\"", ""}},
    {"§13.1.5 If-Range two tags", {.if_range = "\"v1\", \"v1\"", .has_range = true}, O::kProceed, false,
     "If-Range did not match"},
    {"§13.1.5 If-Range garbage", {.if_range = "v1", .has_range = true}, O::kProceed, false,
     "If-Range did not match"},
    {"§13.1.5 If-Range without Range: ignored", {.if_range = "\"v2\""}, O::kProceed},
    {"§13.1.5 If-Range on HEAD: Range ignored anyway", {.if_range = "\"v2\"", .has_range = true}, O::kProceed,
     false, "", "HEAD"},
};

class ConditionalRequestTest : public ::testing::TestWithParam<ConditionalCase> {};

TEST_P(ConditionalRequestTest, DecidesAsRfc9110Says) {
  const ConditionalCase& row = GetParam();
  const ConditionalDecision decision = EvaluateConditions(row.method, row.headers, row.resource, kNow);
  EXPECT_EQ(decision.outcome, row.outcome);
  EXPECT_EQ(decision.use_range, row.use_range);
  EXPECT_EQ(decision.reason, row.reason);
}

std::string RowName(const ::testing::TestParamInfo<ConditionalCase>& info) {
  std::string name;
  for (const char* c = info.param.name; *c != '\0'; ++c) {
    if (std::isalnum(static_cast<unsigned char>(*c))) name += *c;
  }
  return std::to_string(info.index) + "_" + name;
}

INSTANTIATE_TEST_SUITE_P(Rfc9110, ConditionalRequestTest, ::testing::ValuesIn(kConditionalCases), RowName);

}  // namespace
}  // namespace bitsh::server
