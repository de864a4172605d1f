#include "backend/utf8.h"

namespace bitsh {

namespace {

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

std::string_view ToString(Utf8Error error) {
  switch (error) {
    case Utf8Error::kInvalidByte: return "invalid byte";
    case Utf8Error::kTruncated: return "truncated sequence";
    case Utf8Error::kOverlong: return "overlong form";
    case Utf8Error::kSurrogate: return "UTF-16 surrogate";
    case Utf8Error::kBeyondMax: return "beyond U+10FFFF";
  }
  return "invalid byte";
}

Utf8Step ReadUtf8Sequence(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80) return {1, std::nullopt};
  if (lead == 0xC0 || lead == 0xC1) return {1, Utf8Error::kOverlong};  // could only encode U+0000..U+007F
  if (lead >= 0xF5 && lead <= 0xF7) return {1, Utf8Error::kBeyondMax};  // U+140000 and up
  if (lead < 0xC2 || lead > 0xF4) return {1, Utf8Error::kInvalidByte};

  const std::size_t length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  // Table 3-7: the second byte's range depends on the lead; the others are always 80..BF.
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  Utf8Error outside = Utf8Error::kTruncated;
  switch (lead) {
    case 0xE0: low = 0xA0; outside = Utf8Error::kOverlong; break;   // below U+0800
    case 0xED: high = 0x9F; outside = Utf8Error::kSurrogate; break;  // U+D800..U+DFFF
    case 0xF0: low = 0x90; outside = Utf8Error::kOverlong; break;   // below U+10000
    case 0xF4: high = 0x8F; outside = Utf8Error::kBeyondMax; break;  // above U+10FFFF
    default: break;
  }

  if (at + 1 >= text.size()) return {1, Utf8Error::kTruncated};
  const auto second = static_cast<unsigned char>(text[at + 1]);
  if (!IsContinuation(second)) return {1, Utf8Error::kTruncated};
  if (second < low || second > high) return {1, outside};
  for (std::size_t k = 2; k < length; ++k) {
    if (at + k >= text.size() || !IsContinuation(static_cast<unsigned char>(text[at + k]))) {
      return {1, Utf8Error::kTruncated};
    }
  }
  return {length, std::nullopt};
}

std::optional<Utf8Problem> FirstIllFormedUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const Utf8Step step = ReadUtf8Sequence(text, i);
    if (step.error) return Utf8Problem{i, *step.error};
    i += step.length;
  }
  return std::nullopt;
}

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace bitsh
