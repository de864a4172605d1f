#include "server/http_date.h"

#include <array>
#include <cstdio>

namespace bitsh::server {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                       "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::int64_t kDaySeconds = 86'400;

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms): exact
// for any year, unlike timegm, which depends on the C library and its time_t.
std::int64_t DaysFromCivil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146'097 + doe - 719'468;
}

struct Civil {
  std::int64_t year;
  int month, day;
};

Civil CivilFromDays(std::int64_t z) {
  z += 719'468;
  const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const std::int64_t doe = z - era * 146'097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2), month, day};
}

int DaysInMonth(std::int64_t year, int month) {
  if (month == 2) return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
  return (month == 4 || month == 6 || month == 9 || month == 11) ? 30 : 31;
}

// Reads fixed-width fields left to right; any mismatch sets `ok` to false for good.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  void Literal(std::string_view literal) {
    ok_ = ok_ && text_.substr(at_, literal.size()) == literal;
    at_ += literal.size();
  }
  // Exactly `width` digits (or, with `space_padded`, a space then width - 1 digits).
  int Digits(std::size_t width, bool space_padded = false) {
    int value = 0;
    for (std::size_t i = 0; i < width && ok_; ++i, ++at_) {
      const char c = at_ < text_.size() ? text_[at_] : '\0';
      if (i == 0 && space_padded && c == ' ') continue;
      ok_ = c >= '0' && c <= '9';
      value = value * 10 + (c - '0');
    }
    return value;
  }
  template <std::size_t N>
  int OneOf(const std::array<std::string_view, N>& names) {  // 0-based index of the name read
    for (std::size_t i = 0; i < N && ok_; ++i) {
      if (text_.substr(at_, names[i].size()) == names[i]) {
        at_ += names[i].size();
        return static_cast<int>(i);
      }
    }
    ok_ = false;
    return 0;
  }
  bool Done() const { return ok_ && at_ == text_.size(); }
  bool ok() const { return ok_; }

 private:
  std::string_view text_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

struct Fields {
  std::int64_t year = 0;
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

void TimeOfDay(Cursor& in, Fields& f) {
  f.hour = in.Digits(2);
  in.Literal(":");
  f.minute = in.Digits(2);
  in.Literal(":");
  f.second = in.Digits(2);
}

std::optional<std::int64_t> ToUnix(const Fields& f) {
  // Second 60 is a leap second, which the grammar allows; it reads as the next minute's first.
  if (f.month < 1 || f.day < 1 || f.day > DaysInMonth(f.year, f.month) || f.hour > 23 || f.minute > 59 ||
      f.second > 60) {
    return std::nullopt;
  }
  return DaysFromCivil(f.year, f.month, f.day) * kDaySeconds + f.hour * 3600 + f.minute * 60 + f.second;
}

std::optional<std::int64_t> ParseImfFixdate(std::string_view text) {  // Sun, 06 Nov 1994 08:49:37 GMT
  Cursor in(text);
  Fields f;
  in.OneOf(kDays);
  in.Literal(", ");
  f.day = in.Digits(2);
  in.Literal(" ");
  f.month = in.OneOf(kMonths) + 1;
  in.Literal(" ");
  f.year = in.Digits(4);
  in.Literal(" ");
  TimeOfDay(in, f);
  in.Literal(" GMT");
  return in.Done() ? ToUnix(f) : std::nullopt;
}

std::optional<std::int64_t> ParseAsctime(std::string_view text) {  // Sun Nov  6 08:49:37 1994
  Cursor in(text);
  Fields f;
  in.OneOf(kDays);
  in.Literal(" ");
  f.month = in.OneOf(kMonths) + 1;
  in.Literal(" ");
  f.day = in.Digits(2, /*space_padded=*/true);
  in.Literal(" ");
  TimeOfDay(in, f);
  in.Literal(" ");
  f.year = in.Digits(4);
  return in.Done() ? ToUnix(f) : std::nullopt;
}

std::optional<std::int64_t> ParseRfc850(std::string_view text, std::int64_t now_unix_s) {  // Sunday, 06-Nov-94 08:49:37 GMT
  Cursor in(text);
  Fields f;
  in.OneOf(kLongDays);
  in.Literal(", ");
  f.day = in.Digits(2);
  in.Literal("-");
  f.month = in.OneOf(kMonths) + 1;
  in.Literal("-");
  const int yy = in.Digits(2);
  in.Literal(" ");
  TimeOfDay(in, f);
  in.Literal(" GMT");
  if (!in.Done()) return std::nullopt;
  // The year ending in `yy` that is at most 50 years after now (the day itself decides at the edge).
  const std::int64_t now_days = now_unix_s >= 0 ? now_unix_s / kDaySeconds : (now_unix_s + 1) / kDaySeconds - 1;
  const Civil today = CivilFromDays(now_days);
  const std::int64_t limit = DaysFromCivil(today.year + 50, today.month, today.day) * kDaySeconds +
                             (now_unix_s - now_days * kDaySeconds);
  const std::int64_t century = today.year - ((today.year % 100) + 100) % 100;
  for (std::int64_t year : {century + 100 + yy, century + yy, century - 100 + yy}) {
    f.year = year;
    const std::optional<std::int64_t> at = ToUnix(f);
    if (!at) continue;  // 29-Feb in a year that has none: try the century before
    if (*at <= limit) return at;
  }
  return std::nullopt;
}

}  // namespace

std::string FormatHttpDate(std::int64_t unix_s) {
  const std::int64_t days = unix_s >= 0 ? unix_s / kDaySeconds : (unix_s + 1) / kDaySeconds - 1;
  const std::int64_t rest = unix_s - days * kDaySeconds;
  const Civil date = CivilFromDays(days);
  const std::size_t weekday = static_cast<std::size_t>(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
  char text[64];
  std::snprintf(text, sizeof text, "%.3s, %02d %.3s %04lld %02d:%02d:%02d GMT", kDays[weekday].data(), date.day,
                kMonths[static_cast<std::size_t>(date.month - 1)].data(), static_cast<long long>(date.year),
                static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return text;
}

std::optional<std::int64_t> ParseHttpDate(std::string_view text, std::int64_t now_unix_s) {
  if (std::optional<std::int64_t> t = ParseImfFixdate(text)) return t;
  if (std::optional<std::int64_t> t = ParseRfc850(text, now_unix_s)) return t;
  return ParseAsctime(text);
}

}  // namespace bitsh::server
