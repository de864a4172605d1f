// TextQueue: texts kept first in, first out, in one buffer, for the event log's kept lines.
//
// The event log adds a line per event and, once full, lets go of its oldest line for each new one.
// A std::string per line cost an allocation per line while the log filled and a free per line
// when it went; here the texts sit one after another in a buffer that grows by doubling and is
// then reused, so a log that has grown allocates nothing more.
//
// A text is named by where it starts, a position that only grows (the buffer's offset is that
// position modulo its size, a power of two). A text never straddles the buffer's end: one that
// would is written at the buffer's start instead, and the bytes skipped are reclaimed with that
// text. Doubling keeps that true for every text already written, so growing copies
// the live bytes to the same positions in a larger buffer and no text moves.
#pragma once

#include <cassert>
#include <cstdint>
#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>

namespace bitsh::fake {

class TextQueue {
 public:
  TextQueue() = default;
  TextQueue(TextQueue&& other) noexcept
      : buffer_(std::move(other.buffer_)), capacity_(std::exchange(other.capacity_, 0)),
        head_(std::exchange(other.head_, 0)), tail_(std::exchange(other.tail_, 0)) {}
  TextQueue& operator=(TextQueue&& other) noexcept {
    buffer_ = std::move(other.buffer_);
    capacity_ = std::exchange(other.capacity_, 0);
    head_ = std::exchange(other.head_, 0);
    tail_ = std::exchange(other.tail_, 0);
    return *this;
  }

  // Appends `text` and returns its position, for View and for a later DropUntil.
  // REQUIRES: `text` does not view this queue's own buffer (growing would free it first).
  std::uint64_t Push(std::string_view text);

  // The text of `size` bytes pushed at `position`, valid until the next Push or DropUntil.
  // REQUIRES: that text is still kept.
  std::string_view View(std::uint64_t position, std::size_t size) const {
    if (size == 0) return {};
    return {buffer_.get() + (position & (capacity_ - 1)), size};
  }

  // Lets go of every text that ends at or before `end` (the oldest ones), for reuse.
  // REQUIRES: `end` is where a pushed text ends (its position plus its size).
  void DropUntil(std::uint64_t end) {
    assert(end <= tail_);
    if (end > head_) head_ = end;
  }

  // Bytes kept (the skipped ones included) and the buffer's size.
  std::size_t size() const { return static_cast<std::size_t>(tail_ - head_); }
  std::size_t capacity() const { return capacity_; }

 private:
  void Grow();

  // Not a std::vector: a larger buffer is allocated without being zero-filled.
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;  // 0 or a power of two
  std::uint64_t head_ = 0;    // where the oldest kept text starts (or the skipped bytes before it)
  std::uint64_t tail_ = 0;    // where the next text goes
};

}  // namespace bitsh::fake
