#include "server/conditional_request.h"

#include "server/entity_tag.h"
#include "server/http_date.h"

namespace bitsh::server {
namespace {

using Outcome = ConditionalOutcome;

// §13.1.1: true when the precondition holds. Malformed: false (see the header).
bool IfMatchHolds(const std::string& value, const std::optional<EntityTag>& current, bool exists) {
  const std::optional<EntityTagList> list = ParseEntityTagList(value);
  if (!list) return false;
  if (list->any) return exists;
  if (!current) return false;
  for (const EntityTag& tag : list->tags) {
    if (StrongMatch(tag, *current)) return true;
  }
  return false;
}

// §13.1.2: true when the precondition holds (no tag matches). Malformed: true (see the header).
bool IfNoneMatchHolds(const std::string& value, const std::optional<EntityTag>& current, bool exists) {
  const std::optional<EntityTagList> list = ParseEntityTagList(value);
  if (!list) return true;
  if (list->any) return !exists;
  if (!current) return true;
  for (const EntityTag& tag : list->tags) {
    if (WeakMatch(tag, *current)) return false;
  }
  return true;
}

// §13.1.5. The client should send a strong validator; a weak tag or anything unparsable is false.
bool IfRangeHolds(const std::string& value, const std::optional<EntityTag>& current,
                  const std::string& last_modified) {
  if (value.starts_with('"') || value.starts_with("W/")) {
    const std::optional<EntityTag> tag = ParseEntityTag(value);
    return tag && current && StrongMatch(*tag, *current);
  }
  return !last_modified.empty() && value == last_modified;
}

}  // namespace

ConditionalDecision EvaluateConditions(std::string_view method, const ConditionalHeaders& headers,
                                       const ResourceValidators& resource, std::int64_t now_unix_s) {
  const bool get_or_head = method == "GET" || method == "HEAD";
  const std::optional<EntityTag> current =
      resource.etag.empty() ? std::nullopt : ParseEntityTag(resource.etag);
  // Date conditions need a modification date; without one they are ignored (§13.1.3, §13.1.4).
  // (A plain value and a flag: GCC 12 warns on std::optional<std::int64_t> here.)
  const std::optional<std::int64_t> parsed_modified =
      resource.last_modified.empty() ? std::nullopt : ParseHttpDate(resource.last_modified, now_unix_s);
  const bool has_modified = parsed_modified.has_value();
  const std::int64_t modified = parsed_modified.value_or(0);

  // Steps 1 and 2.
  if (headers.if_match) {
    if (!IfMatchHolds(*headers.if_match, current, resource.exists)) {
      return {Outcome::kPreconditionFailed, false, "If-Match failed"};
    }
  } else if (headers.if_unmodified_since && has_modified) {
    const std::optional<std::int64_t> since = ParseHttpDate(*headers.if_unmodified_since, now_unix_s);
    if (since && modified > *since) return {Outcome::kPreconditionFailed, false, "If-Unmodified-Since failed"};
  }
  // Steps 3 and 4.
  if (headers.if_none_match) {
    if (!IfNoneMatchHolds(*headers.if_none_match, current, resource.exists)) {
      return {get_or_head ? Outcome::kNotModified : Outcome::kPreconditionFailed, false, "If-None-Match matched"};
    }
  } else if (get_or_head && headers.if_modified_since && has_modified) {
    const std::optional<std::int64_t> since = ParseHttpDate(*headers.if_modified_since, now_unix_s);
    if (since && modified <= *since) return {Outcome::kNotModified, false, "not modified since If-Modified-Since"};
  }
  // Step 5. Range is defined for GET only (§14.2); If-Range without Range is ignored.
  if (method != "GET" || !headers.has_range) return {Outcome::kProceed, false, ""};
  if (headers.if_range && !IfRangeHolds(*headers.if_range, current, resource.last_modified)) {
    return {Outcome::kProceed, false, "If-Range did not match"};
  }
  return {Outcome::kProceed, true, ""};
}

}  // namespace bitsh::server
