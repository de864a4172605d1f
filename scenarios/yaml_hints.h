// Hints for yaml-cpp's parser messages, which name the parser's state ("end of map flow not
// found", "illegal tab when looking for indentation") rather than the mistake in the file.
#pragma once

#include <string>
#include <string_view>

namespace bitsh::scenarios {

// How to fix the text at 0-based (line, column) where yaml-cpp stopped with `message`, or "" when
// there is nothing better to say than the message.
std::string YamlParserHint(std::string_view text, int line, int column, std::string_view message);

}  // namespace bitsh::scenarios
