// HTTP-date (RFC 9110 §5.6.7): the server's Last-Modified, and the dates of If-Modified-Since,
// If-Unmodified-Since and If-Range. Times are whole seconds since the Unix epoch, in UTC.
// Pure functions: no locale, no time zone, no clock read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bitsh::server {

// The preferred format, IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string FormatHttpDate(std::int64_t unix_s);

// Parses any of the three formats a recipient must accept: IMF-fixdate, the obsolete RFC 850
// form ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994"). An RFC 850
// two-digit year is placed no more than 50 years after `now_unix_s`, as §5.6.7 requires.
// nullopt for anything else, including a list of dates and a day that does not exist; the day
// name is checked for spelling but not against the date.
std::optional<std::int64_t> ParseHttpDate(std::string_view text, std::int64_t now_unix_s);

}  // namespace bitsh::server
