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
// The same for CPUs with AVX2 (most since 2013), block by block rather than
// line by line: each 32-byte block's CR, LF and NUL bytes come as one bit
// mask and are settled in order, so a line costs a few bit operations
// instead of a scan of its own.
__attribute__((target("avx2"))) inline size_t PlainCrLfLinesPrefixAvx2(const char* bytes,
                                                                       size_t size) {
  const __m256i cr = _mm256_set1_epi8('\r');
  const __m256i lf = _mm256_set1_epi8('\n');
  const __m256i zero = _mm256_setzero_si256();
  size_t line = 0;  // start of the line being checked; all before it is plain
  if (size == 0 || bytes[0] == '.') return 0;
  size_t i = 0;
  for (; i + 32 <= size; i += 32) {
    const __m256i block = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + i));
    const __m256i hits =
        _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(block, cr), _mm256_cmpeq_epi8(block, lf)),
                        _mm256_cmpeq_epi8(block, zero));
    uint64_t specials = static_cast<uint32_t>(_mm256_movemask_epi8(hits));
    // The LF of a CRLF that straddled the previous block is already settled.
    if (line > i) specials &= ~uint64_t{0} << (line - i);
    while (specials) {
      const size_t end = i + static_cast<size_t>(__builtin_ctzll(specials));
      if (bytes[end] != '\r' || end + 1 >= size || bytes[end + 1] != '\n') return line;
      line = end + 2;
      if (line >= size || bytes[line] == '.') return line;
      specials &= ~uint64_t{0} << (line - i);  // line - i <= 33
    }
  }
  return line + PlainCrLfLinesPrefixSse2(bytes + line, size - line);
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
