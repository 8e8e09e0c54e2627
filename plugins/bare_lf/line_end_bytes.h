// Bulk scans for the line-end scanner. Ordinary mail is nearly all plain
// CRLF lines, so the scanner skips them in bulk and looks at bytes one by
// one only around what its rules care about; 16 bytes a step with SSE2
// (always there on x86-64), a byte loop elsewhere.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace portcullis::bare_lf {

inline bool IsLineEndByte(char c) { return c == '\r' || c == '\n' || c == '\0'; }

// Index of the first CR, LF or NUL in bytes[0, size), or size if none.
inline size_t FindLineEndByte(const char* bytes, size_t size) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i zero = _mm_setzero_si128();
  for (; i + 16 <= size; i += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
    const __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, cr), _mm_cmpeq_epi8(block, lf)),
                     _mm_cmpeq_epi8(block, zero));
    if (const int mask = _mm_movemask_epi8(hits))
      return i + static_cast<size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < size; ++i) {
    if (IsLineEndByte(bytes[i])) return i;
  }
  return size;
}

// Length of the longest prefix of `bytes` made of whole plain lines, for a
// scan standing at a line start after a CRLF: lines ended by CR LF, with no
// other CR or LF, no NUL and no "." as first byte (a "." line is what
// smuggling hides behind, so any line starting with "." is left to the
// byte rules). The prefix ends just after an LF, or is 0.
inline size_t PlainCrLfLinesPrefixSse2(const char* bytes, size_t size) {
  size_t line = 0;
  while (line < size && bytes[line] != '.') {
    const size_t end = line + FindLineEndByte(bytes + line, size - line);
    if (end + 1 >= size || bytes[end] != '\r' || bytes[end + 1] != '\n') break;
    line = end + 2;
  }
  return line;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PORTCULLIS_BARE_LF_AVX2 1
// The same for CPUs with AVX2 (most since 2013), 64 bytes at a time and
// without looking at lines one by one: with bit masks of the block's CR, LF,
// NUL and "." bytes, a block of plain lines is one where every CR is followed
// by an LF and every LF preceded by a CR, with no NUL and no "." right after
// an LF. The first block that is not so ends the prefix at its last line end
// before the first offending byte.
__attribute__((target("avx2"))) inline uint64_t ByteMask64(__m256i low, __m256i high, char c) {
  const __m256i wanted = _mm256_set1_epi8(c);
  const uint64_t low_bits =
      static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(low, wanted)));
  const uint64_t high_bits =
      static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(high, wanted)));
  return low_bits | (high_bits << 32);
}

__attribute__((target("avx2"))) inline size_t PlainCrLfLinesPrefixAvx2(const char* bytes,
                                                                       size_t size) {
  size_t plain_end = 0;     // just after the last LF known to end a plain line
  uint64_t cr_before = 0;   // bit 0: the byte before this block is a CR
  uint64_t line_start = 1;  // bit 0: this block starts a line (we start at one)
  size_t i = 0;
  for (; i + 64 <= size; i += 64) {
    const __m256i low = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + i));
    const __m256i high = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + i + 32));
    const uint64_t crs = ByteMask64(low, high, '\r');
    const uint64_t lfs = ByteMask64(low, high, '\n');
    // Bit k: byte k-1 is a CR but byte k no LF, or the other way round.
    const uint64_t unpaired = ((crs << 1) | cr_before) ^ lfs;
    const uint64_t dot_lines = ByteMask64(low, high, '.') & ((lfs << 1) | line_start);
    const uint64_t offending = unpaired | dot_lines | ByteMask64(low, high, '\0');
    if (offending) {
      const uint64_t lfs_before = lfs & ((offending & (~offending + 1)) - 1);
      return lfs_before ? i + 64 - static_cast<size_t>(__builtin_clzll(lfs_before)) : plain_end;
    }
    if (lfs) plain_end = i + 64 - static_cast<size_t>(__builtin_clzll(lfs));
    cr_before = crs >> 63;
    line_start = lfs >> 63;
  }
  // The tail, and a CR in the last block's last byte, from the last line end.
  return plain_end + PlainCrLfLinesPrefixSse2(bytes + plain_end, size - plain_end);
}
#endif

inline size_t PlainCrLfLinesPrefix(const char* bytes, size_t size) {
#if defined(PORTCULLIS_BARE_LF_AVX2)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) return PlainCrLfLinesPrefixAvx2(bytes, size);
#endif
  return PlainCrLfLinesPrefixSse2(bytes, size);
}

}  // namespace portcullis::bare_lf
