#include "backend/status.h"

namespace bitsh {

std::string Status::ToString() const {
  if (code_ == hr::kOk) return message_.empty() ? "S_OK" : "S_OK: " + message_;
  std::string text = HResultName(code_);
  if (text.rfind("0x", 0) != 0) text += " (" + HResultHex(code_) + ")";
  if (!message_.empty()) text += ": " + message_;
  return text;
}

}  // namespace bitsh
