// Small RAII helpers for COM: a reference-owning pointer, CoTaskMem strings, UTF-8 <-> UTF-16.
// Windows only (MSVC or MinGW-w64).
#pragma once

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN  // no winspool.h: its GetJob/EnumJobs macros clash with Backend
#endif
#include <windows.h>

#include <optional>
#include <string>
#include <utility>

#include "backend/job_types.h"

namespace bitsh::real {

// Owns one reference to a COM interface; Release()s it when it goes.
template <typename Interface>
class ComPtr {
 public:
  ComPtr() = default;
  explicit ComPtr(Interface* owned) : pointer_(owned) {}
  ComPtr(const ComPtr& other) : pointer_(other.pointer_) {
    if (pointer_ != nullptr) pointer_->AddRef();
  }
  ComPtr& operator=(ComPtr other) {
    std::swap(pointer_, other.pointer_);
    return *this;
  }
  ~ComPtr() {
    if (pointer_ != nullptr) pointer_->Release();
  }

  Interface* get() const { return pointer_; }
  Interface* operator->() const { return pointer_; }
  explicit operator bool() const { return pointer_ != nullptr; }
  // For out-parameters: releases what is held and hands out the slot.
  Interface** Receive() {
    *this = ComPtr();
    return &pointer_;
  }

 private:
  Interface* pointer_ = nullptr;
};

// Takes ownership of a string BITS allocated with CoTaskMemAlloc and returns it as UTF-8.
std::string TakeCoTaskString(wchar_t* text);

std::wstring Utf8ToWide(const std::string& text);
std::string WideToUtf8(const wchar_t* text);

// A BITS job GUID as a JobId and back (the bytes in GUID text order, as JobId::ToString prints).
JobId FromGuid(const GUID& guid);
GUID ToGuid(const JobId& id);

// FILETIME (100 ns since 1601) <-> TimePoint; a zero FILETIME is "not yet" (nullopt), both ways.
std::optional<TimePoint> FromFileTime(const FILETIME& time);
FILETIME ToFileTime(const std::optional<TimePoint>& time);

}  // namespace bitsh::real
