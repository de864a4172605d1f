// The Windows Media Player BITS job convention (WMP 10+), as a parser, formatter and validator.
//
// A store marks a BITS download job for the Player through its description:
//   ::WMP_JOB:1:serviceId:Provider:AlbumArtist:AlbumTitle:TrackNumber:Title:Duration:Rating
// (::WMP_STATUS:1:... for jobs the store completes itself). Decisions where Microsoft's page is
// silent (spec §11 G14) are in docs/wmp-convention.md: the prefix is case-sensitive; there is no
// escaping, so a ':' can never be part of a field; serviceId is unsigned decimal 1..4294967295.
//
// Validation never throws and never stops at the first problem: it returns every Finding, each with
// a stable rule id, the field and the character offset (in Unicode code points from the start of
// the description) where the problem is.
#pragma once

#include <array>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend/status.h"

namespace bitsh::wmp {

// ::WMP_JOB (the Player completes the job) or ::WMP_STATUS (the Player only shows it).
enum class RecordKind { kJob, kStatus };

// The eight fields after the version, as plain strings except serviceId.
struct ConventionRecord {
  RecordKind kind = RecordKind::kJob;
  std::uint32_t service_id = 0;
  std::string provider;
  std::string album_artist;
  std::string album_title;
  std::string track_number;
  std::string title;
  std::string duration;  // seconds, unsigned decimal
  std::string rating;    // WMP UserRating: 0, 1, 25, 50, 75 or 99 by convention; 0..99 accepted

  // The Download Manager collection id: serviceId reinterpreted as a signed 32-bit long.
  std::int32_t CollectionId() const { return static_cast<std::int32_t>(service_id); }

  friend bool operator==(const ConventionRecord&, const ConventionRecord&) = default;
};

enum class Severity { kError, kWarning };

// One problem found in a description or in the shape of its job.
struct Finding {
  std::string rule_id;   // stable id, e.g. "WMP-SERVICEID-NONZERO"; see kRuleIds
  Severity severity = Severity::kError;
  std::string field;     // "marker", "version", "serviceId", "Provider", ..., "description", "file"
  std::size_t offset = 0;  // code points from the start of the description (for "file": file index)
  std::string message;   // one line for a human
};

// Every rule id this library can emit, in documentation order.
extern const std::vector<std::string_view> kRuleIds;

struct ParseResult {
  std::optional<ConventionRecord> record;  // set when the description has no error findings
  // The fields as written whenever marker and field count allow reading them, even when some
  // value is wrong (an unreadable serviceId reads as 0): lets a check judge each field on its own.
  std::optional<ConventionRecord> fields;
  std::vector<Finding> findings;           // errors and warnings, in offset order
};

// True when the description claims the convention ("::WMP_" in any case at the start). The Player
// looks only at such jobs; all other jobs are none of its business.
bool ClaimsConvention(std::string_view description);

// Parses and checks a description on its own (marker, version, field count, field formats, length).
ParseResult ParseDescription(std::string_view description);

// The description text for a record. E_INVALIDARG naming the field when a field holds ':' (the
// convention cannot carry it) or when serviceId is 0; BG_E_STRING_TOO_LONG when the text would
// exceed the 1,024 UTF-16 units BITS accepts.
Result<std::string> FormatDescription(const ConventionRecord& record);
// The same text without any check: "::WMP_JOB:1:" and the fields joined by ':' as they are. For
// tests and scenarios that write what the convention forbids on purpose; a store uses
// FormatDescription.
std::string DescriptionText(const ConventionRecord& record);

// Options for the checks that need context beyond the description.
struct ValidationOptions {
  // Online-store key names (HKLM\SOFTWARE\Microsoft\MediaPlayer\Subscriptions\<key>). When empty,
  // Provider is only checked for being non-empty.
  std::vector<std::string> known_store_keys;
  // When false, the job's files are unknown (a description linted on its own): the
  // WMP-FILE-COUNT and WMP-FILE-EXTENSION rules are skipped.
  bool check_files = true;
};

// The extensions a convention job's local file may end in (WMP-FILE-EXTENSION), lower case; the
// Player and the Download Manager take the same list as "a media file".
inline constexpr std::array<std::string_view, 4> kMediaExtensions = {".wma", ".wmv", ".mp3", ".asf"};

// True when `extension` (with its dot, as ".WMA") is one of kMediaExtensions in any case.
bool IsMediaExtension(std::string_view extension);

// Everything ParseDescription checks, plus the job's shape: exactly one file whose local name ends
// in .wma, .wmv, .mp3 or .asf (case-insensitive), and a Provider among the known store keys.
std::vector<Finding> ValidateJob(std::string_view description,
                                 const std::vector<std::string>& local_names,
                                 const ValidationOptions& options = {});

// True when any finding is an error (warnings alone do not disqualify a job).
bool HasErrors(const std::vector<Finding>& findings);

// "error WMP-SERVICEID-NONZERO serviceId@11: serviceId must be non-zero"
std::string ToString(const Finding& finding);
std::string_view ToString(Severity severity);

// Two lines for a report: the description, then a '^' under the character at `offset` (code points,
// as in a Finding), so a reader sees which ':' or byte is wrong. Control characters in the
// description are shown as '?' so the caret stays aligned.
std::string PointAt(std::string_view description, std::size_t offset);

// Lets GoogleTest print findings in failure messages.
void PrintTo(const Finding& finding, std::ostream* out);

}  // namespace bitsh::wmp
