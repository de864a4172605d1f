// EvaluateConditions: the preconditions of a GET or HEAD (RFC 9110 §13), in the order of §13.2.2.
//
// A pure function of the request's conditional header fields and the resource's validators; the
// file server calls it once it knows it would otherwise answer 2xx (§13.2.1: preconditions are
// ignored when the answer would be an error or a redirect anyway).
//
//  1. If-Match (strong comparison; "*" matches an existing resource): false -> 412.
//  2. If-Unmodified-Since, only without If-Match: modified after the date -> 412.
//  3. If-None-Match (weak comparison; "*" matches an existing resource): true -> 304 for GET and
//     HEAD, 412 for any other method.
//  4. If-Modified-Since, only without If-None-Match and only for GET/HEAD: not modified -> 304.
//  5. Range applies to GET only; If-Range (only with Range) that does not match -> the whole
//     representation (200). An entity tag matches by strong comparison (so W/"..." never does); a
//     date only if it is, character for character, the Last-Modified value.
//
// Malformed values, decided the safe way: an unparsable date is ignored (§13.1.3, §13.1.4); an
// unparsable If-Match is a failed precondition (412: do not act on an unverifiable condition); an
// unparsable If-None-Match never matches (the full answer is never wrong, a false 304 would be);
// an unparsable If-Range does not match (the whole body, never a range of another version).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bitsh::server {

// The request's conditional fields; nullopt when the field is absent. A field sent on several
// lines is given as one value, joined with ", " (§5.3).
struct ConditionalHeaders {
  std::optional<std::string> if_match;
  std::optional<std::string> if_none_match;
  std::optional<std::string> if_modified_since;
  std::optional<std::string> if_unmodified_since;
  std::optional<std::string> if_range;
  bool has_range = false;  // a Range field is present (valid or not)
};

// The selected representation's validators, as the server sends them.
struct ResourceValidators {
  bool exists = true;
  std::string etag;           // the ETag field value, e.g. "\"g42-1000-v1\""; empty: none
  std::string last_modified;  // the Last-Modified field value (an HTTP-date); empty: none
};

enum class ConditionalOutcome {
  kProceed,             // answer as if unconditional (200 or 206, see use_range)
  kNotModified,         // 304
  kPreconditionFailed,  // 412
};

struct ConditionalDecision {
  ConditionalOutcome outcome = ConditionalOutcome::kProceed;
  // Only for kProceed: true when the Range field is to be processed; false when there is none,
  // the method is not GET, or If-Range did not match (answer the whole representation).
  bool use_range = false;
  // Which condition decided, for the request log: "If-Match failed", "If-Range did not match",
  // ...; empty when no condition changed the answer.
  std::string_view reason;
};

// `now_unix_s` places two-digit years of obsolete RFC 850 dates (http_date.h); nothing else
// depends on the time.
ConditionalDecision EvaluateConditions(std::string_view method, const ConditionalHeaders& headers,
                                       const ResourceValidators& resource, std::int64_t now_unix_s);

}  // namespace bitsh::server
