// Crash-safe replacement of a small file, for the fake's snapshot (fake/snapshot.cc).
#pragma once

#include <filesystem>
#include <string_view>

#include "backend/status.h"

namespace bitsh::fake {

// Replaces `path` with `text` so that a crash or a power cut at any moment leaves either the old
// file or the new one whole: the text goes to "<path>.tmp" in the same folder, is flushed to disk,
// renamed over `path`, and the folder itself is flushed so the rename is durable too. A missing
// folder is created first (it is the service's own state folder). With `flush` false the two
// flushes are skipped: still whole after a process crash, not after a power cut, and ~100 times
// cheaper on a busy disk. Never throws: a failure is a
// Status naming the file and the step; `path` is then left as it was, except when only the final
// folder flush failed (the new text is in place but may not survive a power cut).
Status ReplaceFileDurably(const std::filesystem::path& path, std::string_view text, bool flush = true);

#ifndef _WIN32
// Writes all of `text` to the open file `fd`, again after EINTR and short writes. 0, or the errno
// of the write that failed (the snapshot's writer and the journal's, fake/journal_file.cc).
int WriteAll(int fd, std::string_view text);
#endif

}  // namespace bitsh::fake
