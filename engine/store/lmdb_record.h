// How the LMDB store lays out a value: an 8-byte big-endian expiry time
// (Unix milliseconds) followed by the value's bytes. Big-endian so that a
// hex dump (mdb_dump) reads naturally; the key is stored as given.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "portcullis/store.h"

namespace portcullis::store {

constexpr size_t kLmdbRecordHeaderBytes = 8;

int64_t ToUnixMs(Clock::time_point when);
Clock::time_point FromUnixMs(int64_t ms);

std::string EncodeLmdbRecord(int64_t expires_unix_ms, std::string_view value);

struct LmdbRecord {
  int64_t expires_unix_ms = 0;
  std::string_view value;
};
// nullopt for a record too short to hold the header (written by something
// else): callers treat it as missing.
std::optional<LmdbRecord> DecodeLmdbRecord(std::string_view bytes);

// A decimal integer as Increment stores it; nullopt for anything else.
std::optional<int64_t> ParseStoredInteger(std::string_view text);

}  // namespace portcullis::store
