// Deterministic file content from (seed, size): a 4 GiB test file needs no disk, and anyone can
// recompute the bytes (and so the SHA-256) of a download from the two numbers. The file server
// serves such files, the scripted transport produces them, and tests compare downloads with them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace bitsh::content {

// The byte at `offset` of the content generated from `seed`.
std::uint8_t GeneratedByte(std::uint64_t seed, std::uint64_t offset);

// Writes bytes [offset, offset + length) of the content generated from `seed` to `out`.
void FillGenerated(std::uint64_t seed, std::uint64_t offset, char* out, std::size_t length);

// Bytes [offset, offset + length) of the content generated from `seed`.
std::string GeneratedBytes(std::uint64_t seed, std::uint64_t offset, std::uint64_t length);

// Empty when the file at `path` holds exactly the content generated from (seed, size); otherwise
// where and how it differs: "byte 4096 is 0x1f, expected 0x80", "has 70000 bytes, expected
// 100000 (the first 70000 match)", "cannot be opened". Portable, for checks where SHA-256
// (OpenSSL) is not at hand, and more telling than a digest when a download is wrong.
std::string MismatchWithGenerated(const std::filesystem::path& path, std::uint64_t seed, std::uint64_t size);

}  // namespace bitsh::content
