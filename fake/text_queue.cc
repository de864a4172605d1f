#include "fake/text_queue.h"

#include <algorithm>
#include <cstring>

namespace bitsh::fake {

namespace {
constexpr std::size_t kFirstCapacity = 4096;
}  // namespace

std::uint64_t TextQueue::Push(std::string_view text) {
  if (text.empty()) return tail_;  // nothing to keep: View answers "" without reading the buffer
  for (;;) {
    if (capacity_ > 0) {
      std::uint64_t begin = tail_;
      const std::size_t offset = static_cast<std::size_t>(begin & (capacity_ - 1));
      if (offset + text.size() > capacity_) begin += capacity_ - offset;  // to the buffer's start
      if (begin + text.size() - head_ <= capacity_) {
        std::memcpy(buffer_.get() + (begin & (capacity_ - 1)), text.data(), text.size());
        tail_ = begin + text.size();
        return begin;
      }
    }
    Grow();
  }
}

void TextQueue::Grow() {
  const std::size_t capacity = capacity_ == 0 ? kFirstCapacity : capacity_ * 2;
  std::unique_ptr<char[]> buffer(new char[capacity]);
  // The kept bytes, a run at a time: a run between two multiples of the old size lies whole in
  // the old buffer, and whole in the new one at the same position modulo the new size.
  for (std::uint64_t at = head_; at < tail_;) {
    const std::uint64_t run_end = std::min(tail_, (at | (capacity_ - 1)) + 1);
    std::memcpy(buffer.get() + (at & (capacity - 1)), buffer_.get() + (at & (capacity_ - 1)),
                static_cast<std::size_t>(run_end - at));
    at = run_end;
  }
  buffer_ = std::move(buffer);
  capacity_ = capacity;
}

}  // namespace bitsh::fake
