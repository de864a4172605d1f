// SHA-256 digests (OpenSSL's libcrypto), in lower-case hex: how tests and scenarios say "this
// download is byte-for-byte that file".
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace bitsh::content {

std::string Sha256Hex(std::string_view bytes);

// The digest of a file, read in pieces; nullopt when it cannot be read.
std::optional<std::string> FileSha256Hex(const std::filesystem::path& path);

// The digest of `size` bytes generated from `seed`, computed without holding them in memory.
std::string GeneratedSha256Hex(std::uint64_t seed, std::uint64_t size);

}  // namespace bitsh::content
