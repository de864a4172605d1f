// EventAction: what a scheduled event runs - a move-only `void()` callable kept inside the event's
// slot when it is small, so that scheduling an event allocates nothing.
//
// The engine schedules a closure per retry, per deadline and per step. Those of retries, deadlines,
// timers and the start of a connection capture `this` and a JobId (24 bytes); std::function keeps
// at most 16 bytes in place (libstdc++), so each of those took a malloc and a free
// (docs/performance.md, "The engine's cost per event"). Callables up to kInlineBytes live here;
// larger ones on the heap: the end of a transfer step, which carries what the step fetched, and a
// failure reported after a delay, which carries the error.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace bitsh::fake {

class EventAction {
 public:
  static constexpr std::size_t kInlineBytes = 48;

  EventAction() = default;
  EventAction(std::nullptr_t) {}  // NOLINT: "no action", as with std::function
  // Any other callable, held as given: unlike std::function, an empty std::function or a null
  // function pointer makes an action that fails when run, not an empty one.

  template <class F, class Stored = std::decay_t<F>,
            class = std::enable_if_t<!std::is_same_v<Stored, EventAction> && std::is_invocable_r_v<void, Stored&>>>
  EventAction(F&& action) {  // NOLINT: implicit, so that a lambda passes where an action is asked for
    if constexpr (kFitsInline<Stored>) {
      ::new (static_cast<void*>(storage_)) Stored(std::forward<F>(action));
      ops_ = &kInlineOps<Stored>;
    } else {
      ::new (static_cast<void*>(storage_)) Stored*(new Stored(std::forward<F>(action)));
      ops_ = &kHeapOps<Stored>;
    }
  }

  EventAction(EventAction&& other) noexcept { MoveFrom(other); }
  EventAction& operator=(EventAction&& other) noexcept {
    if (this != &other) {
      Reset();
      MoveFrom(other);
    }
    return *this;
  }
  EventAction& operator=(std::nullptr_t) {
    Reset();
    return *this;
  }
  EventAction(const EventAction&) = delete;
  EventAction& operator=(const EventAction&) = delete;
  ~EventAction() { Reset(); }

  explicit operator bool() const { return ops_ != nullptr; }
  // Runs the action. It must hold one.
  void operator()() { ops_->invoke(storage_); }

 private:
  // What an action of one stored type needs: run it, move it to fresh storage (ending it where it
  // was), end it.
  struct Ops {
    void (*invoke)(void* storage);
    void (*move)(void* from, void* to);
    void (*destroy)(void* storage);
  };

  template <class Stored>
  static constexpr bool kFitsInline = sizeof(Stored) <= kInlineBytes &&
                                      alignof(Stored) <= alignof(std::max_align_t) &&
                                      std::is_nothrow_move_constructible_v<Stored>;

  template <class Stored>
  static constexpr Ops kInlineOps = {
      [](void* storage) { (*static_cast<Stored*>(storage))(); },
      [](void* from, void* to) {
        ::new (to) Stored(std::move(*static_cast<Stored*>(from)));
        static_cast<Stored*>(from)->~Stored();
      },
      [](void* storage) { static_cast<Stored*>(storage)->~Stored(); },
  };
  template <class Stored>
  static constexpr Ops kHeapOps = {
      [](void* storage) { (**static_cast<Stored**>(storage))(); },
      [](void* from, void* to) { ::new (to) Stored*(*static_cast<Stored**>(from)); },
      [](void* storage) { delete *static_cast<Stored**>(storage); },
  };

  void MoveFrom(EventAction& other) noexcept {
    if (other.ops_ == nullptr) return;
    other.ops_->move(other.storage_, storage_);
    ops_ = std::exchange(other.ops_, nullptr);
  }
  void Reset() {
    if (ops_ != nullptr) std::exchange(ops_, nullptr)->destroy(storage_);
  }

  alignas(std::max_align_t) unsigned char storage_[kInlineBytes];
  const Ops* ops_ = nullptr;
};

}  // namespace bitsh::fake
