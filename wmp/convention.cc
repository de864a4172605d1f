#include "wmp/convention.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

#include "backend/job_types.h"
#include "backend/utf8.h"

namespace bitsh::wmp {

const std::vector<std::string_view> kRuleIds = {
    "WMP-ENCODING",          "WMP-LENGTH",           "WMP-MARKER",
    "WMP-MARKER-CASE",       "WMP-VERSION",          "WMP-FIELD-COUNT",
    "WMP-SERVICEID-FORMAT",  "WMP-SERVICEID-RANGE",  "WMP-SERVICEID-NONZERO",
    "WMP-PROVIDER-EMPTY",    "WMP-PROVIDER-UNKNOWN", "WMP-TRACKNUMBER-NUMERIC",
    "WMP-DURATION-NUMERIC",  "WMP-RATING-NUMERIC",   "WMP-RATING-RANGE",
    "WMP-METADATA-EMPTY",    "WMP-FILE-COUNT",       "WMP-FILE-EXTENSION",
};

namespace {

constexpr std::string_view kJobMarker = "::WMP_JOB:";
constexpr std::string_view kStatusMarker = "::WMP_STATUS:";
constexpr std::size_t kFieldCount = 8;  // after the version
constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "serviceId", "Provider", "AlbumArtist", "AlbumTitle", "TrackNumber", "Title", "Duration", "Rating"};

// A piece of the description between two ':' separators, with its byte position.
struct Token {
  std::string_view text;
  std::size_t byte_offset;
};

// Code points before byte_offset: the offset unit of every Finding.
std::size_t CharOffset(std::string_view text, std::size_t byte_offset) {
  byte_offset = std::min(byte_offset, text.size());
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte_offset),
                    [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Value of a digit string, saturating at UINT64_MAX. REQUIRES: AllDigits(text).
std::uint64_t DigitsValue(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  (void)end;
  return error == std::errc() ? value : UINT64_MAX;
}

class Checker {
 public:
  explicit Checker(std::string_view description) : description_(description) {}

  void Add(std::string_view rule, Severity severity, std::string_view field, std::size_t byte_offset,
           std::string message) {
    findings_.push_back(Finding{std::string(rule), severity, std::string(field),
                                CharOffset(description_, byte_offset), std::move(message)});
  }

  void Add(Finding finding) { findings_.push_back(std::move(finding)); }

  std::vector<Finding> Take() {
    std::stable_sort(findings_.begin(), findings_.end(),
                     [](const Finding& a, const Finding& b) { return a.offset < b.offset; });
    return std::move(findings_);
  }

  bool HasErrors() const { return wmp::HasErrors(findings_); }

 private:
  std::string_view description_;
  std::vector<Finding> findings_;
};

void CheckEncodingAndLength(std::string_view description, Checker& checker) {
  if (const std::optional<Utf8Problem> bad = FirstIllFormedUtf8(description)) {
    checker.Add("WMP-ENCODING", Severity::kError, "description", bad->byte_offset,
                "byte " + std::to_string(bad->byte_offset) + " is not valid UTF-8: " +
                    std::string(ToString(bad->error)));
  }
  const std::size_t units = Utf16Length(description);
  if (units > limits::kMaxDescriptionChars) {
    checker.Add("WMP-LENGTH", Severity::kError, "description", description.size(),
                "description is " + std::to_string(units) + " UTF-16 units; BITS accepts at most " +
                    std::to_string(limits::kMaxDescriptionChars));
  }
}

std::vector<Token> SplitOnColons(std::string_view text, std::size_t base_offset) {
  std::vector<Token> tokens;
  std::size_t start = 0;
  while (true) {
    const std::size_t colon = text.find(':', start);
    const std::size_t end = colon == std::string_view::npos ? text.size() : colon;
    tokens.push_back(Token{text.substr(start, end - start), base_offset + start});
    if (colon == std::string_view::npos) return tokens;
    start = colon + 1;
  }
}

void CheckServiceId(const Token& token, Checker& checker, ConventionRecord& record) {
  if (!AllDigits(token.text)) {
    checker.Add("WMP-SERVICEID-FORMAT", Severity::kError, "serviceId", token.byte_offset,
                "serviceId '" + std::string(token.text) +
                    "' must be an unsigned decimal number (no sign, spaces or hex)");
    return;
  }
  const std::uint64_t value = DigitsValue(token.text);
  if (value > UINT32_MAX) {
    checker.Add("WMP-SERVICEID-RANGE", Severity::kError, "serviceId", token.byte_offset,
                "serviceId " + std::string(token.text) + " does not fit in 32 bits (max 4294967295)");
  } else if (value == 0) {
    checker.Add("WMP-SERVICEID-NONZERO", Severity::kError, "serviceId", token.byte_offset,
                "serviceId must be non-zero (a random 32-bit value)");
  } else {
    record.service_id = static_cast<std::uint32_t>(value);
  }
}

// Microsoft's convention page gives no format for TrackNumber, Duration or Rating, so a value that is
// not a number is a warning (the Player still takes the job), not an error. The expected forms come
// from WMP's attributes: WM/TrackNumber is a number, Duration is in seconds, UserRating is 0..99.
void CheckOptionalNumber(const Token& token, std::string_view field, std::string_view rule, std::string_view expected,
                         Checker& checker) {
  if (token.text.empty() || AllDigits(token.text)) return;
  checker.Add(rule, Severity::kWarning, field, token.byte_offset,
              std::string(field) + " '" + std::string(token.text) + "' is not " + std::string(expected) +
                  "; the convention page leaves the format open, but WMP shows and sorts it as a number");
}

void CheckFields(const std::vector<Token>& fields, Checker& checker, ConventionRecord& record) {
  CheckServiceId(fields[0], checker, record);
  if (fields[1].text.empty()) {
    checker.Add("WMP-PROVIDER-EMPTY", Severity::kError, "Provider", fields[1].byte_offset,
                "Provider must name the online store's key");
  }
  for (std::size_t index : {2u, 3u, 5u}) {
    if (fields[index].text.empty()) {
      checker.Add("WMP-METADATA-EMPTY", Severity::kWarning, kFieldNames[index],
                  fields[index].byte_offset,
                  std::string(kFieldNames[index]) + " is empty; the Player files it as Unknown");
    }
  }
  CheckOptionalNumber(fields[4], "TrackNumber", "WMP-TRACKNUMBER-NUMERIC", "an unsigned decimal track number", checker);
  CheckOptionalNumber(fields[6], "Duration", "WMP-DURATION-NUMERIC", "a whole number of seconds", checker);
  CheckOptionalNumber(fields[7], "Rating", "WMP-RATING-NUMERIC", "a UserRating number (0, 1, 25, 50, 75 or 99)",
                      checker);
  if (AllDigits(fields[7].text) && DigitsValue(fields[7].text) > 99) {
    checker.Add("WMP-RATING-RANGE", Severity::kWarning, "Rating", fields[7].byte_offset,
                "Rating " + std::string(fields[7].text) + " is above 99, the highest UserRating");
  }
  record.provider = fields[1].text;
  record.album_artist = fields[2].text;
  record.album_title = fields[3].text;
  record.track_number = fields[4].text;
  record.title = fields[5].text;
  record.duration = fields[6].text;
  record.rating = fields[7].text;
}

// "3:05" or "1:02:03": a clock-style duration, the usual way a ':' gets into the Duration field.
std::optional<std::uint64_t> ClockSeconds(std::string_view text) {
  std::uint64_t seconds = 0;
  std::size_t parts = 0;
  for (const Token& part : SplitOnColons(text, 0)) {
    if (!AllDigits(part.text) || part.text.size() > 6 || (parts > 0 && (part.text.size() != 2 || part.text[0] > '5'))) {
      return std::nullopt;
    }
    seconds = seconds * 60 + DigitsValue(part.text);
    ++parts;
  }
  return parts >= 2 && parts <= 3 ? std::optional<std::uint64_t>(seconds) : std::nullopt;
}

// The eight fields read with tokens[first..first+extra] joined back into field `field`: what the
// store meant if that field is the one holding the surplus ':'s.
std::vector<Token> JoinedAt(const std::vector<Token>& fields, std::size_t field, std::size_t extra,
                            std::string_view description) {
  std::vector<Token> joined(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(field));
  const Token& last = fields[field + extra];
  const std::size_t begin = fields[field].byte_offset;
  joined.push_back(Token{description.substr(begin, last.byte_offset + last.text.size() - begin), begin});
  joined.insert(joined.end(), fields.begin() + static_cast<std::ptrdiff_t>(field + extra + 1), fields.end());
  return joined;
}

// Which field holds the surplus ':'s, when there are too many fields. A store writes the ':' inside
// one field (a clock-style Duration, "Live: In Concert"), so each field is tried as the one holding
// them: a clock-style Duration wins outright; otherwise the reading that leaves the fewest problems,
// and among equals the one whose ':' is followed by a space, as a colon in prose is. Returns the
// candidate fields (several when the readings still tie: in "AC:DC" the ':' could close Provider,
// be inside AlbumArtist or open AlbumTitle).
std::vector<std::size_t> LocateSurplusColons(const std::vector<Token>& fields, std::string_view description) {
  const std::size_t extra = fields.size() - kFieldCount;
  std::vector<std::size_t> best;
  std::pair<std::size_t, bool> fewest{SIZE_MAX, false};  // (problems, no space after the ':')
  for (std::size_t field = 0; field < kFieldCount; ++field) {
    const std::vector<Token> joined = JoinedAt(fields, field, extra, description);
    if (field == 6 && ClockSeconds(joined[6].text)) return {6};
    Checker scratch(description);
    ConventionRecord ignored;
    CheckFields(joined, scratch, ignored);
    const std::pair<std::size_t, bool> rank{scratch.Take().size(), !fields[field + 1].text.starts_with(' ')};
    if (rank < fewest) best.clear(), fewest = rank;
    if (rank == fewest) best.push_back(field);
  }
  return best;
}

void ReportSurplusColons(const std::vector<Token>& fields, std::string_view description, Checker& checker,
                         std::optional<ConventionRecord>& located) {
  const std::size_t extra = fields.size() - kFieldCount;
  const std::vector<std::size_t> candidates = LocateSurplusColons(fields, description);
  const std::size_t field = candidates.front();
  const std::vector<Token> joined = JoinedAt(fields, field, extra, description);
  const std::size_t colon = fields[field].byte_offset + fields[field].text.size();
  std::string where(kFieldNames[field]);
  for (std::size_t i = 1; i < candidates.size(); ++i) where += (i + 1 == candidates.size() ? " or " : ", ") + std::string(kFieldNames[candidates[i]]);
  std::string message = "found " + std::to_string(fields.size()) + " fields after the version, expected 8: the ':' at " +
                        std::to_string(CharOffset(description, colon)) + " is inside " + where +
                        " ('" + std::string(joined[field].text) + "'), and the convention has no escaping for it";
  if (field == 6) {
    if (std::optional<std::uint64_t> seconds = ClockSeconds(joined[6].text)) {
      message += "; write Duration in seconds: " + std::to_string(*seconds);
    }
  }
  checker.Add("WMP-FIELD-COUNT", Severity::kError, candidates.size() == 1 ? kFieldNames[field] : "description", colon,
              std::move(message));
  if (candidates.size() == 1) {
    // Read as the store meant it: the other fields are still judged (serviceId 0 is still an error)
    // and a caller can still compare the metadata.
    // The field holding the ':' is already reported; its format is not judged twice.
    located.emplace();
    Checker others(description);
    CheckFields(joined, others, *located);
    for (Finding& other : others.Take()) {
      if (other.field != kFieldNames[field]) checker.Add(std::move(other));
    }
  }
}

struct ParsedDescription {
  ConventionRecord record;
  std::size_t provider_byte_offset = 0;
};

// Parses into `checker`; returns the record when the syntax allowed reading the fields.
std::optional<ParsedDescription> Parse(std::string_view description, Checker& checker) {
  CheckEncodingAndLength(description, checker);

  ConventionRecord record;
  std::size_t marker_length = 0;
  if (description.starts_with(kJobMarker)) {
    record.kind = RecordKind::kJob;
    marker_length = kJobMarker.size();
  } else if (description.starts_with(kStatusMarker)) {
    record.kind = RecordKind::kStatus;
    marker_length = kStatusMarker.size();
  } else if (StartsWithIgnoringCase(description, kJobMarker) ||
             StartsWithIgnoringCase(description, kStatusMarker)) {
    const bool is_job = StartsWithIgnoringCase(description, kJobMarker);
    record.kind = is_job ? RecordKind::kJob : RecordKind::kStatus;
    marker_length = is_job ? kJobMarker.size() : kStatusMarker.size();
    checker.Add("WMP-MARKER-CASE", Severity::kError, "marker", 0,
                "marker '" + std::string(description.substr(0, marker_length)) + "' must be exactly '" +
                    std::string(is_job ? kJobMarker : kStatusMarker) + "' (the Player matches case)");
  } else {
    checker.Add("WMP-MARKER", Severity::kError, "marker", 0,
                "description does not start with '::WMP_JOB:' or '::WMP_STATUS:'");
    return std::nullopt;
  }

  const std::vector<Token> tokens = SplitOnColons(description.substr(marker_length), marker_length);
  if (tokens[0].text != "1") {
    checker.Add("WMP-VERSION", Severity::kError, "version", tokens[0].byte_offset,
                "version '" + std::string(tokens[0].text) + "' is not 1, the only version defined");
  }
  const std::size_t fields_found = tokens.size() - 1;
  if (fields_found > kFieldCount) {
    std::optional<ConventionRecord> located;
    ReportSurplusColons(std::vector<Token>(tokens.begin() + 1, tokens.end()), description, checker, located);
    if (!located) return std::nullopt;
    located->kind = record.kind;
    return ParsedDescription{std::move(*located), tokens[2].byte_offset};
  }
  if (fields_found < kFieldCount) {
    checker.Add("WMP-FIELD-COUNT", Severity::kError, "description", description.size(),
                "found " + std::to_string(fields_found) +
                    " fields after the version, expected 8 (serviceId:Provider:AlbumArtist:AlbumTitle:TrackNumber:"
                    "Title:Duration:Rating)");
    return std::nullopt;
  }
  CheckFields(std::vector<Token>(tokens.begin() + 1, tokens.end()), checker, record);
  return ParsedDescription{std::move(record), tokens[2].byte_offset};
}

}  // namespace

bool ClaimsConvention(std::string_view description) {
  return StartsWithIgnoringCase(description, "::WMP_");
}

ParseResult ParseDescription(std::string_view description) {
  Checker checker(description);
  std::optional<ParsedDescription> parsed = Parse(description, checker);
  ParseResult result;
  if (parsed) result.fields = parsed->record;
  if (parsed && !checker.HasErrors()) result.record = std::move(parsed->record);
  result.findings = checker.Take();
  return result;
}

namespace {

std::array<const std::string*, 7> TextFields(const ConventionRecord& record) {
  return {&record.provider, &record.album_artist, &record.album_title, &record.track_number,
          &record.title,    &record.duration,     &record.rating};
}

}  // namespace

std::string DescriptionText(const ConventionRecord& record) {
  std::string text(record.kind == RecordKind::kJob ? kJobMarker : kStatusMarker);
  text += "1:" + std::to_string(record.service_id);
  for (const std::string* field : TextFields(record)) {
    text += ':';
    text += *field;
  }
  return text;
}

Result<std::string> FormatDescription(const ConventionRecord& record) {
  if (record.service_id == 0) return Status::InvalidArg("serviceId must be non-zero");
  const std::array<const std::string*, 7> fields = TextFields(record);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::size_t colon = fields[i]->find(':');
    if (colon != std::string::npos) {
      return Status::InvalidArg(std::string(kFieldNames[i + 1]) + " '" + *fields[i] +
                                "' holds ':' at byte " + std::to_string(colon) +
                                "; the convention has no escaping for it");
    }
  }
  std::string text = DescriptionText(record);
  if (Utf16Length(text) > limits::kMaxDescriptionChars) {
    return Status::StringTooLong("description would be " + std::to_string(Utf16Length(text)) +
                                 " UTF-16 units; BITS accepts at most 1024");
  }
  return text;
}

std::vector<Finding> ValidateJob(std::string_view description,
                                 const std::vector<std::string>& local_names,
                                 const ValidationOptions& options) {
  Checker checker(description);
  std::optional<ParsedDescription> parsed = Parse(description, checker);
  std::vector<Finding> findings = checker.Take();

  if (parsed && !parsed->record.provider.empty() && !options.known_store_keys.empty() &&
      std::find(options.known_store_keys.begin(), options.known_store_keys.end(),
                parsed->record.provider) == options.known_store_keys.end()) {
    findings.push_back(Finding{"WMP-PROVIDER-UNKNOWN", Severity::kError, "Provider",
                               CharOffset(description, parsed->provider_byte_offset),
                               "Provider '" + parsed->record.provider +
                                   "' is not a known online-store key"});
  }
  if (!options.check_files) return findings;
  if (local_names.size() != 1) {
    findings.push_back(Finding{"WMP-FILE-COUNT", Severity::kError, "file", 0,
                               "job has " + std::to_string(local_names.size()) +
                                   " files; the convention allows exactly one media file per job"});
  }
  for (std::size_t i = 0; i < local_names.size(); ++i) {
    const std::string& name = local_names[i];
    const std::size_t slash = name.find_last_of("/\\");
    const std::size_t dot = name.rfind('.');
    const std::string extension =
        (dot == std::string::npos || (slash != std::string::npos && dot < slash)) ? "" : name.substr(dot);
    if (!IsMediaExtension(extension)) {
      findings.push_back(Finding{"WMP-FILE-EXTENSION", Severity::kError, "file", i,
                                 "local file '" + name +
                                     "' must end in .wma, .wmv, .mp3 or .asf (any case)"});
    }
  }
  return findings;
}

bool IsMediaExtension(std::string_view extension) {
  return std::find(kMediaExtensions.begin(), kMediaExtensions.end(), AsciiLower(extension)) != kMediaExtensions.end();
}

bool HasErrors(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Severity::kError; });
}

std::string_view ToString(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

std::string ToString(const Finding& finding) {
  return std::string(ToString(finding.severity)) + " " + finding.rule_id + " " + finding.field + "@" +
         std::to_string(finding.offset) + ": " + finding.message;
}

std::string PointAt(std::string_view description, std::size_t offset) {
  std::string line;
  for (char c : description) line += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? '?' : c;
  return line + "\n" + std::string(offset, ' ') + "^";
}

void PrintTo(const Finding& finding, std::ostream* out) { *out << ToString(finding); }

}  // namespace bitsh::wmp
