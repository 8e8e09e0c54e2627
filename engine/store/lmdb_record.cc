#include "store/lmdb_record.h"

#include <charconv>

namespace portcullis::store {

int64_t ToUnixMs(Clock::time_point when) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
}

Clock::time_point FromUnixMs(int64_t ms) {
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(
      std::chrono::milliseconds(ms)));
}

std::string EncodeLmdbRecord(int64_t expires_unix_ms, std::string_view value) {
  std::string bytes(kLmdbRecordHeaderBytes, '\0');
  auto bits = static_cast<uint64_t>(expires_unix_ms);
  for (size_t i = 0; i < kLmdbRecordHeaderBytes; ++i) {
    bytes[kLmdbRecordHeaderBytes - 1 - i] = static_cast<char>(bits & 0xff);
    bits >>= 8;
  }
  bytes.append(value);
  return bytes;
}

std::optional<LmdbRecord> DecodeLmdbRecord(std::string_view bytes) {
  if (bytes.size() < kLmdbRecordHeaderBytes) return std::nullopt;
  uint64_t bits = 0;
  for (size_t i = 0; i < kLmdbRecordHeaderBytes; ++i) {
    bits = (bits << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return LmdbRecord{static_cast<int64_t>(bits), bytes.substr(kLmdbRecordHeaderBytes)};
}

std::optional<int64_t> ParseStoredInteger(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace portcullis::store
