// Typed, range-checked access to one JSON object of the snapshot, for fake/snapshot_reader.cc.
// Internal to the reader: a bad field throws SnapshotInvalid, which ReadSnapshot turns into a
// Status before returning (an exception never leaves the reader). Exceptions keep each rule one
// line long; the alternative, a Status checked after every field, would triple the reader.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "backend/clock.h"

namespace bitsh::fake {

struct SnapshotInvalid {
  std::string message;  // "<where>: field \"<name>\": <what is wrong>"
};

[[noreturn]] inline void FailField(const std::string& where, std::string_view name, const std::string& what) {
  throw SnapshotInvalid{where + ": field \"" + std::string(name) + "\": " + what};
}

// A JSON value as a short text for messages (long values are cut).
inline std::string Shown(const nlohmann::json& value) {
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

// Latest time a snapshot may hold: 2200-01-01, well inside the nanosecond range of TimePoint.
inline constexpr std::uint64_t kLatestSnapshotNanos = 7'258'118'400'000'000'000ull;

class SnapshotFields {
 public:
  // `where` prefixes every message ("/q/queue.json: job 3 {…}"); `names` are the only fields
  // allowed, so a damaged key is reported by name rather than as a missing one elsewhere.
  SnapshotFields(const nlohmann::json& object, std::string where, std::initializer_list<std::string_view> names)
      : object_(object), where_(std::move(where)) {
    if (!object_.is_object()) throw SnapshotInvalid{where_ + ": " + Shown(object_) + " is not an object"};
    for (const auto& item : object_.items()) {
      bool known = false;
      for (std::string_view name : names) known = known || item.key() == name;
      if (!known) throw SnapshotInvalid{where_ + ": unknown field \"" + item.key() + "\""};
    }
  }

  const std::string& where() const { return where_; }
  // Once the object's name is known (a job's id), messages use it.
  void Rename(std::string where) { where_ = std::move(where); }

  [[noreturn]] void Fail(std::string_view name, const std::string& what) const { FailField(where_, name, what); }

  // False when the field is absent (a field newer than the snapshot) or null.
  bool Has(std::string_view name) const {
    auto found = object_.find(std::string(name));
    return found != object_.end() && !found->is_null();
  }
  const nlohmann::json& At(std::string_view name) const {
    auto found = object_.find(std::string(name));
    if (found == object_.end()) throw SnapshotInvalid{where_ + ": field \"" + std::string(name) + "\" is missing"};
    return *found;
  }

  std::uint64_t Unsigned(std::string_view name, std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) const {
    const nlohmann::json& value = At(name);
    if (!value.is_number_unsigned()) Fail(name, Shown(value) + " is not a non-negative integer");
    const std::uint64_t number = value.get<std::uint64_t>();
    if (number > max) Fail(name, Shown(value) + " exceeds " + std::to_string(max));
    return number;
  }
  std::uint32_t Unsigned32(std::string_view name) const {
    return static_cast<std::uint32_t>(Unsigned(name, std::numeric_limits<std::uint32_t>::max()));
  }

  bool Bool(std::string_view name) const {
    const nlohmann::json& value = At(name);
    if (!value.is_boolean()) Fail(name, Shown(value) + " is not true or false");
    return value.get<bool>();
  }

  std::string String(std::string_view name) const {
    const nlohmann::json& value = At(name);
    if (!value.is_string()) Fail(name, Shown(value) + " is not a string");
    return value.get<std::string>();
  }

  // Nanoseconds since the epoch, as the writer stores a TimePoint.
  TimePoint Time(std::string_view name) const {
    const std::uint64_t nanos = Unsigned(name, kLatestSnapshotNanos);
    return TimePoint(std::chrono::duration_cast<TimePoint::duration>(Duration(static_cast<std::int64_t>(nanos))));
  }
  std::optional<TimePoint> OptionalTime(std::string_view name) const {
    if (At(name).is_null()) return std::nullopt;
    return Time(name);
  }

 private:
  const nlohmann::json& object_;
  std::string where_;
};

}  // namespace bitsh::fake
