// RequestCounter: how many requests each path (and each "METHOD path") has had, which is what a
// ServerFault's request_number is matched against. Not thread-safe: FileServer calls it under its
// mutex.
//
// Bounded (issue 21: a counter per unique path grew without end): at most `max_paths` paths are
// counted. Past that, a path is still counted when `pinned` (a fault or a generated file names it,
// so a fault's "request N" stays exact) and otherwise only added to one "other" total. Dropping the
// oldest counters instead would renumber a path a fault may name later; a cap keeps every count it
// gives exact, and the first max_paths paths (every test and scenario) behave as before.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace bitsh::server {

class RequestCounter {
 public:
  explicit RequestCounter(std::size_t max_paths = 10'000) : max_paths_(max_paths) {}

  struct Numbers {
    int number = 0;         // this request's 1-based count among the path's requests; 0 = not counted
    int method_number = 0;  // among the path's requests with this method; 0 = not counted
  };
  // Counts a request and returns its numbers.
  Numbers Count(const std::string& path, const std::string& method, bool pinned);

  std::size_t counted_paths() const { return by_path_.size(); }
  // Requests for paths past the cap, not counted one by one.
  std::uint64_t other() const { return other_; }

 private:
  const std::size_t max_paths_;
  std::map<std::string, int> by_path_;
  std::map<std::string, int> by_method_and_path_;
  std::uint64_t other_ = 0;
};

}  // namespace bitsh::server
