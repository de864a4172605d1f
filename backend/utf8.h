// The one UTF-8 reader of the project: well-formedness as the Unicode Standard defines it
// (§3.9, Table 3-7), so the convention validator and the BITS length limits agree on what a
// code point is. Standard library only.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bitsh {

// Why a byte sequence is not well-formed UTF-8.
enum class Utf8Error {
  kInvalidByte,  // a byte that never starts a sequence: a stray continuation byte, or F8..FF
  kTruncated,    // a lead byte whose continuation bytes are missing or interrupted
  kOverlong,     // a longer form than the code point needs (C0, C1; E0 80..9F; F0 80..8F)
  kSurrogate,    // U+D800..U+DFFF, which UTF-8 may not encode (ED A0..BF)
  kBeyondMax,    // past U+10FFFF (F4 90..BF; F5..F7)
};

// "invalid byte", "truncated sequence", "overlong form", "UTF-16 surrogate", "beyond U+10FFFF".
std::string_view ToString(Utf8Error error);

// The first ill-formed place in a text: its byte position and what is wrong there.
struct Utf8Problem {
  std::size_t byte_offset;
  Utf8Error error;
  friend bool operator==(const Utf8Problem&, const Utf8Problem&) = default;
};

// Length in bytes of the well-formed sequence starting at text[at], or the error it starts.
// REQUIRES: at < text.size(). Reads no byte past text.size().
struct Utf8Step {
  std::size_t length;               // 1..4 when well-formed; 1 otherwise
  std::optional<Utf8Error> error;   // nullopt when well-formed
};
Utf8Step ReadUtf8Sequence(std::string_view text, std::size_t at);

// The first ill-formed sequence in text, or nullopt when all of it is well-formed UTF-8.
std::optional<Utf8Problem> FirstIllFormedUtf8(std::string_view text);

// `text` with the ASCII letters A-Z lowered and every other byte (UTF-8 sequences included) kept:
// how schemes, header names, host names and file extensions compare without case. The one copy.
std::string AsciiLower(std::string_view text);

}  // namespace bitsh
