// Deterministic file content from (seed, size): a 4 GiB test file needs no disk, and anyone can
// recompute the bytes (and so the SHA-256) of a download from the two numbers. The file server
// serves such files, the scripted transport produces them, and tests compare downloads with them.
#pragma once

#include <cstdint>
#include <string>

namespace bitsh::content {

// The byte at `offset` of the content generated from `seed`.
std::uint8_t GeneratedByte(std::uint64_t seed, std::uint64_t offset);

// Writes bytes [offset, offset + length) of the content generated from `seed` to `out`.
void FillGenerated(std::uint64_t seed, std::uint64_t offset, char* out, std::size_t length);

// Bytes [offset, offset + length) of the content generated from `seed`.
std::string GeneratedBytes(std::uint64_t seed, std::uint64_t offset, std::uint64_t length);

}  // namespace bitsh::content
