// Fuzz target: the WMP convention parser and validator (wmp/convention.h) on arbitrary bytes.
// Beyond "no crash, no exception", it holds the library to what its header promises:
// - every Finding points inside the description, and PointAt can draw it;
// - a description parses to a record exactly when it has no error finding; the record formats
//   back without error and the formatted text parses to the same record (no field is lost or
//   changed on the way);
// - ValidateJob finds an error whenever ParseDescription does (it checks a superset).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "wmp/convention.h"

namespace {

// Code points in text, counting an ill-formed byte as one: Finding offsets are in these units.
std::size_t CodePointCount(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char byte : text) count += (byte & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bitsh::wmp;
  const std::string_view description(reinterpret_cast<const char*>(data), size);

  const ParseResult parsed = ParseDescription(description);
  const std::size_t length = CodePointCount(description);
  for (const Finding& finding : parsed.findings) {
    FUZZ_CHECK(finding.offset <= length);
    FUZZ_CHECK(!finding.rule_id.empty() && !finding.message.empty());
    (void)PointAt(description, finding.offset);
    (void)ToString(finding);
  }
  if (parsed.record) {
    FUZZ_CHECK(!HasErrors(parsed.findings));
    FUZZ_CHECK(ClaimsConvention(description));
    const bitsh::Result<std::string> formatted = FormatDescription(*parsed.record);
    FUZZ_CHECK(formatted.ok());
    const ParseResult reparsed = ParseDescription(formatted.value());
    FUZZ_CHECK(reparsed.record.has_value());
    FUZZ_CHECK(*reparsed.record == *parsed.record);
  } else {
    FUZZ_CHECK(HasErrors(parsed.findings));  // no record without saying why
  }

  ValidationOptions options;
  options.known_store_keys = {"Contoso"};
  const std::vector<Finding> job_findings = ValidateJob(description, {"track.wma"}, options);
  FUZZ_CHECK(!HasErrors(parsed.findings) || HasErrors(job_findings));
  return 0;
}
