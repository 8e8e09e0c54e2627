// Streaming body canonicalization and hashing (RFC 6376 3.4.3, 3.4.4, 3.7).
//
// A BodyHasher consumes body chunks split anywhere (a CRLF, a WSP run or
// the trailing empty lines may straddle chunks) and never holds more than a
// count of deferred line breaks, a pending CR and a pending space: the body
// is never buffered. A BodyHashSet owns one hasher per distinct
// (canonicalization, hash, l=) so that signatures sharing them share the
// work. Single-threaded: owned by one message's verifier.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dkim_signature.h"

namespace portcullis::dkim {

class BodyHasher {
 public:
  BodyHasher(Canonicalization canon, HashAlgorithm hash, std::optional<uint64_t> limit);
  ~BodyHasher();
  BodyHasher(const BodyHasher&) = delete;
  BodyHasher& operator=(const BodyHasher&) = delete;

  void Update(std::string_view chunk);
  // Ends the body; later calls return the same digest. Empty on an OpenSSL
  // failure.
  const std::string& Finish();

  // Bytes of canonical body seen in total (not only those hashed), so that
  // an l= longer than the body can be detected.
  uint64_t canonical_length() const { return canonical_length_; }
  bool Matches(Canonicalization canon, HashAlgorithm hash, std::optional<uint64_t> limit) const {
    return canon == canon_ && hash == hash_ && limit == limit_;
  }

 private:
  void Content(char c);
  void Emit(std::string_view bytes);
  void Flush();

  Canonicalization canon_;
  HashAlgorithm hash_;
  std::optional<uint64_t> limit_;
  struct Digest;
  std::unique_ptr<Digest> digest_;
  std::string out_;             // canonical bytes not yet given to the digest
  uint64_t pending_crlf_ = 0;   // line breaks held back: maybe trailing empty lines
  bool pending_cr_ = false;     // a CR whose LF may come in the next chunk
  bool pending_space_ = false;  // relaxed: a WSP run not yet known to be inner
  bool any_content_ = false;
  uint64_t canonical_length_ = 0;
  uint64_t hashed_ = 0;
  bool finished_ = false;
  std::string result_;
};

class BodyHashSet {
 public:
  // The index of the hasher for these parameters, created on first use.
  size_t Want(Canonicalization canon, HashAlgorithm hash, std::optional<uint64_t> limit);
  void Update(std::string_view chunk);
  BodyHasher& at(size_t index) { return *hashers_[index]; }
  size_t size() const { return hashers_.size(); }

 private:
  std::vector<std::unique_ptr<BodyHasher>> hashers_;
};

}  // namespace portcullis::dkim
