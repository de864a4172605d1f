// Status and Result<T>: how every fallible call in bits-harness reports its outcome.
//
// A Status carries an HRESULT-style code (the real BITS value, see hresult.h) and a message that
// names its subject (a job id, a URL, a field). No exception crosses the Backend interface.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "backend/hresult.h"

namespace bitsh {

class [[nodiscard]] Status {
 public:
  // S_OK with no message.
  Status() = default;
  Status(HResult code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidState(std::string subject) { return {hr::kInvalidState, std::move(subject)}; }
  static Status NotFound(std::string subject) { return {hr::kNotFound, std::move(subject)}; }
  static Status Empty(std::string subject) { return {hr::kEmpty, std::move(subject)}; }
  static Status AccessDenied(std::string subject) { return {hr::kAccessDenied, std::move(subject)}; }
  static Status InvalidArg(std::string subject) { return {hr::kInvalidArg, std::move(subject)}; }
  static Status StringTooLong(std::string subject) { return {hr::kStringTooLong, std::move(subject)}; }
  static Status NotImplemented(std::string subject) { return {hr::kNotImpl, std::move(subject)}; }

  // True for S_OK and every success code (BG_S_PARTIAL_COMPLETE, ...), as SUCCEEDED(hr).
  bool ok() const { return Succeeded(code_); }
  HResult code() const { return code_; }
  const std::string& message() const { return message_; }

  bool IsInvalidState() const { return code_ == hr::kInvalidState; }
  bool IsNotFound() const { return code_ == hr::kNotFound; }
  bool IsAccessDenied() const { return code_ == hr::kAccessDenied; }

  // "BG_E_INVALID_STATE (0x80200002): job {...} is CANCELLED"; "S_OK" for a plain success.
  std::string ToString() const;

  friend bool operator==(const Status& a, const Status& b) { return a.code_ == b.code_; }

 private:
  HResult code_ = hr::kOk;
  std::string message_;
};

// A value or the failed Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design, like std::optional
  Result(Status status) : status_(std::move(status)) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok().
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T& operator*() const& { return *value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace bitsh
