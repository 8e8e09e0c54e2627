#include "dkim_body_hash.h"

#include <openssl/evp.h>

#include <algorithm>

namespace portcullis::dkim {
namespace {

// Canonical bytes are collected and handed to the digest in pieces of this
// size: few EVP calls, bounded memory.
constexpr size_t kFlushBytes = 16384;

}  // namespace

struct BodyHasher::Digest {
  EVP_MD_CTX* ctx = nullptr;
  bool ok = false;
  ~Digest() { EVP_MD_CTX_free(ctx); }
};

BodyHasher::BodyHasher(Canonicalization canon, HashAlgorithm hash, std::optional<uint64_t> limit)
    : canon_(canon), hash_(hash), limit_(limit), digest_(std::make_unique<Digest>()) {
  digest_->ctx = EVP_MD_CTX_new();
  const EVP_MD* md = hash == HashAlgorithm::kSha256 ? EVP_sha256() : EVP_sha1();
  digest_->ok = digest_->ctx && EVP_DigestInit_ex(digest_->ctx, md, nullptr) == 1;
}

BodyHasher::~BodyHasher() = default;

void BodyHasher::Emit(std::string_view bytes) {
  canonical_length_ += bytes.size();
  if (limit_) {
    // RFC 6376 3.5 l=: only the first l= octets of the canonical body count.
    const uint64_t room = *limit_ > hashed_ ? *limit_ - hashed_ : 0;
    bytes = bytes.substr(0, static_cast<size_t>(std::min<uint64_t>(room, bytes.size())));
  }
  hashed_ += bytes.size();
  out_.append(bytes);
  if (out_.size() >= kFlushBytes) Flush();
}

void BodyHasher::Flush() {
  if (digest_->ok && !out_.empty()) {
    digest_->ok = EVP_DigestUpdate(digest_->ctx, out_.data(), out_.size()) == 1;
  }
  out_.clear();
}

void BodyHasher::Content(char c) {
  // A content byte proves the held-back line breaks were not trailing.
  for (; pending_crlf_ > 0; --pending_crlf_) Emit("\r\n");
  if (pending_space_) Emit(" ");
  pending_space_ = false;
  any_content_ = true;
  Emit(std::string_view(&c, 1));
}

void BodyHasher::Update(std::string_view chunk) {
  if (finished_) return;
  for (char c : chunk) {
    if (pending_cr_) {
      pending_cr_ = false;
      if (c == '\n') {
        // End of a line: relaxed drops the WSP at its end (3.4.4 b).
        pending_space_ = false;
        ++pending_crlf_;
        continue;
      }
      Content('\r');  // a lone CR is data
    }
    if (c == '\r') {
      pending_cr_ = true;
    } else if (canon_ == Canonicalization::kRelaxed && (c == ' ' || c == '\t')) {
      pending_space_ = true;  // 3.4.4 a: a WSP run becomes one SP if inner
    } else {
      Content(c);
    }
  }
}

const std::string& BodyHasher::Finish() {
  if (finished_) return result_;
  if (pending_cr_) Content('\r');
  pending_cr_ = false;
  // Trailing empty lines are ignored (3.4.3, 3.4.4 c); the last line keeps
  // its CRLF, and one is added if the body did not end with one. An empty
  // body is "\r\n" for simple and nothing for relaxed (3.4.3; 3.4.4 as
  // corrected by erratum 1384).
  if (any_content_ || canon_ == Canonicalization::kSimple) Emit("\r\n");
  Flush();
  finished_ = true;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (digest_->ok && EVP_DigestFinal_ex(digest_->ctx, digest, &length) == 1) {
    result_.assign(reinterpret_cast<const char*>(digest), length);
  }
  return result_;
}

size_t BodyHashSet::Want(Canonicalization canon, HashAlgorithm hash,
                         std::optional<uint64_t> limit) {
  for (size_t i = 0; i < hashers_.size(); ++i) {
    if (hashers_[i]->Matches(canon, hash, limit)) return i;
  }
  hashers_.push_back(std::make_unique<BodyHasher>(canon, hash, limit));
  return hashers_.size() - 1;
}

void BodyHashSet::Update(std::string_view chunk) {
  for (auto& hasher : hashers_) hasher->Update(chunk);
}

}  // namespace portcullis::dkim
