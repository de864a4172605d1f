// Fuzz target: the fake's HTTP response head parser (fake/http_response_head.h) on arbitrary
// bytes, as a server may send anything. Beyond "no crash, no exception", it holds the parser to
// what its header promises:
// - a complete head ends inside the input, at the end of an empty line, with a final status
//   (200-999) and at most kMaxResponseFields fields, within kMaxResponseHeadBytes; parsed again
//   from its own bytes alone it is the same head;
// - a malformed head names an offset inside the input and the limit;
// - an incomplete head is never longer than the limit (the parser does not wait for more forever).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fake/http_response_head.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bitsh::fake;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const HeadParse parse = ParseResponseHead(bytes);
  switch (parse.outcome) {
    case HeadParse::Outcome::kComplete: {
      FUZZ_CHECK(parse.length >= 4 && parse.length <= bytes.size());
      FUZZ_CHECK(bytes.substr(parse.length - 4, 4) == "\r\n\r\n");
      FUZZ_CHECK(parse.head.status >= 200 && parse.head.status <= 999);
      FUZZ_CHECK(parse.head.version == "HTTP/1.1" || parse.head.version == "HTTP/1.0");
      FUZZ_CHECK(parse.head.fields.size() <= kMaxResponseFields);
      const HeadParse again = ParseResponseHead(bytes.substr(0, parse.length));
      FUZZ_CHECK(again.outcome == HeadParse::Outcome::kComplete && again.length == parse.length);
      FUZZ_CHECK(again.head.status == parse.head.status && again.head.fields == parse.head.fields);
      for (const auto& [name, value] : parse.head.fields) {
        FUZZ_CHECK(!name.empty() && parse.head.Has(name));
        FUZZ_CHECK(value.find_first_of("\r\n") == std::string_view::npos);
      }
      break;
    }
    case HeadParse::Outcome::kMalformed:
      FUZZ_CHECK(parse.length <= bytes.size() && parse.length <= kMaxResponseHeadBytes);
      FUZZ_CHECK(!parse.error.empty());
      break;
    case HeadParse::Outcome::kIncomplete:
      FUZZ_CHECK(bytes.size() <= kMaxResponseHeadBytes);
      break;
  }
  return 0;
}
