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
// without looking at lines one by one. A block of plain lines is one where
// every CR is followed by an LF and every LF preceded by a CR, with no NUL
// and no "." right after an LF. Each block is judged whole in vector
// registers, against the same 64 bytes loaded one byte earlier (so "the
// byte before" is a lane-wise compare); only the first block, whose first
// byte has no byte before it, and a block that offends are looked at
// through bit masks, which find the last line end before the first
// offending byte.
__attribute__((target("avx2"))) inline uint64_t ByteMask64(__m256i low, __m256i high, char c) {
  const __m256i wanted = _mm256_set1_epi8(c);
  const uint64_t low_bits =
      static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(low, wanted)));
  const uint64_t high_bits =
      static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(high, wanted)));
  return low_bits | (high_bits << 32);
}

// Bit k set: byte k of the block at `block` offends (see above). `cr_before`
// and `line_start` say whether the byte before the block is a CR or an LF.
__attribute__((target("avx2"))) inline uint64_t OffendingBytes(const char* block,
                                                               uint64_t cr_before,
                                                               uint64_t line_start, uint64_t* lfs) {
  const __m256i low = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block));
  const __m256i high = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32));
  const uint64_t crs = ByteMask64(low, high, '\r');
  *lfs = ByteMask64(low, high, '\n');
  // Bit k: byte k-1 is a CR but byte k no LF, or the other way round.
  const uint64_t unpaired = ((crs << 1) | cr_before) ^ *lfs;
  const uint64_t dot_lines = ByteMask64(low, high, '.') & ((*lfs << 1) | line_start);
  return unpaired | dot_lines | ByteMask64(low, high, '\0');
}

__attribute__((target("avx2"))) inline bool BlockIsPlain(const char* block, bool* has_lf) {
  const __m256i cr = _mm256_set1_epi8('\r');
  const __m256i lf = _mm256_set1_epi8('\n');
  const __m256i dot = _mm256_set1_epi8('.');
  const __m256i zero = _mm256_setzero_si256();
  __m256i bad = zero;
  __m256i lfs = zero;
  for (int half = 0; half < 64; half += 32) {
    const __m256i now = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + half));
    const __m256i before = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + half - 1));
    const __m256i lf_now = _mm256_cmpeq_epi8(now, lf);
    lfs = _mm256_or_si256(lfs, lf_now);
    bad = _mm256_or_si256(bad, _mm256_xor_si256(_mm256_cmpeq_epi8(before, cr), lf_now));
    bad = _mm256_or_si256(
        bad, _mm256_and_si256(_mm256_cmpeq_epi8(before, lf), _mm256_cmpeq_epi8(now, dot)));
    bad = _mm256_or_si256(bad, _mm256_cmpeq_epi8(now, zero));
  }
  *has_lf = !_mm256_testz_si256(lfs, lfs);
  return _mm256_testz_si256(bad, bad);
}

__attribute__((target("avx2"))) inline size_t PlainCrLfLinesPrefixAvx2(const char* bytes,
                                                                       size_t size) {
  constexpr size_t kNone = ~size_t{0};
  size_t last_lf_block = kNone;  // the last block holding an LF, all plain so far
  size_t i = 0;
  uint64_t lfs = 0;
  for (; i + 64 <= size; i += 64) {
    bool has_lf = false;
    if (i > 0 && BlockIsPlain(bytes + i, &has_lf)) {
      if (has_lf) last_lf_block = i;
      continue;
    }
    // The first block (we start at a line start), or one that offends.
    const uint64_t cr_before = i > 0 && bytes[i - 1] == '\r';
    const uint64_t line_start = i == 0 || bytes[i - 1] == '\n';
    const uint64_t offending = OffendingBytes(bytes + i, cr_before, line_start, &lfs);
    if (offending) {
      const uint64_t lfs_before = lfs & ((offending & (~offending + 1)) - 1);
      if (lfs_before) return i + 64 - static_cast<size_t>(__builtin_clzll(lfs_before));
      break;
    }
    if (lfs) last_lf_block = i;
  }
  size_t plain_end = 0;  // just after the last LF known to end a plain line
  if (last_lf_block != kNone) {
    OffendingBytes(bytes + last_lf_block, 0, 0, &lfs);
    plain_end = last_lf_block + 64 - static_cast<size_t>(__builtin_clzll(lfs));
  }
  if (i + 64 <= size) return plain_end;  // stopped at an offending block
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
