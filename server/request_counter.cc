#include "server/request_counter.h"

namespace bitsh::server {

RequestCounter::Numbers RequestCounter::Count(const std::string& path, const std::string& method, bool pinned) {
  auto found = by_path_.find(path);
  if (found == by_path_.end()) {
    if (by_path_.size() >= max_paths_ && !pinned) {
      ++other_;
      return {};
    }
    found = by_path_.emplace(path, 0).first;
  }
  return {++found->second, ++by_method_and_path_[method + " " + path]};
}

}  // namespace bitsh::server
