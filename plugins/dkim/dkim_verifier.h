// Verification of every DKIM-Signature of one message (RFC 6376 6), shaped
// like the milter stages: AddHeader for each field, EndOfHeaders (parses
// the signatures, canonicalizes the signed headers, starts the key lookups
// in parallel), AddBody for each chunk (streamed into the shared body
// hashers), Finish (waits for the keys up to a deadline and verifies).
//
// The dkim check, `portcullis dkim-verify` and anything else that needs
// DKIM results (ARC) use this one code path. One MessageVerifier per
// message; single-threaded use (key answers arrive on the resolver's thread
// through AsyncResult, which is thread-safe). The resolver must outlive
// Finish().
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dkim_body_hash.h"
#include "dkim_result.h"
#include "dkim_signature.h"
#include "portcullis/async_result.h"
#include "portcullis/dns.h"
#include "portcullis/transaction_info.h"

namespace portcullis::dkim {

// Security: each signature costs a DNS lookup and an RSA/Ed25519
// verification; a message may carry any number. Signatures past this are
// reported as ignored (default of the max_signatures option).
inline constexpr size_t kDefaultMaxSignatures = 10;
inline constexpr size_t kMaxMaxSignatures = 50;
// Security: the verifier keeps the header section until end of headers.
// RFC 5322 sets no limit; MTAs cut far lower (Postfix header_size_limit
// 100 KB). Past these the signatures cannot be checked: permerror.
inline constexpr size_t kMaxHeaderFields = 1000;
inline constexpr size_t kMaxHeaderBytes = 1024 * 1024;
// RFC 6376 3.5 t=: verifiers MAY reject signatures from the future; allow
// this much clock difference between signer and us.
inline constexpr int64_t kClockSkewSeconds = 300;

struct VerifierOptions {
  size_t max_signatures = kDefaultMaxSignatures;
  // Limit of each key lookup (the Finish deadline also bounds the wait).
  std::chrono::milliseconds key_timeout{10000};
};

class MessageVerifier {
 public:
  explicit MessageVerifier(VerifierOptions options = {});

  // One header field as the MTA delivers it (HeaderField conventions).
  void AddHeader(std::string_view name, std::string_view value);
  // `now_unix` is the wall-clock time for t= and x=. `resolver` may be
  // null: every signature that needs a key is then a temperror.
  void EndOfHeaders(dns::Resolver* resolver, int64_t now_unix);
  void AddBody(std::string_view chunk);
  // One result per DKIM-Signature field in header order (ignored ones
  // included, flagged). Call once.
  std::vector<SignatureResult> Finish(Deadline deadline);

  bool headers_done() const { return headers_done_; }
  size_t signature_fields() const { return signature_fields_; }
  bool too_many_signatures() const { return signature_fields_ > options_.max_signatures; }

 private:
  struct Pending {
    SignatureResult result;
    bool decided = false;  // result is final before any key or body
    std::optional<DkimSignature> signature;
    std::string header_data;  // RFC 6376 3.7 header hash input
    size_t hasher = 0;
    AsyncResultPtr<dns::AnswerPtr> key;
    Deadline key_deadline = Deadline::Never();
  };

  void Prepare(Pending& pending, std::string_view value, int64_t now_unix);
  void Evaluate(Pending& pending, const dns::AnswerPtr& answer);

  VerifierOptions options_;
  std::vector<HeaderField> headers_;
  size_t header_bytes_ = 0;
  bool headers_truncated_ = false;
  size_t signature_fields_ = 0;
  std::vector<Pending> pending_;
  BodyHashSet bodies_;
  bool headers_done_ = false;
  bool finished_ = false;
};

// The whole message at once: `headers` in order, `body` as CRLF text.
std::vector<SignatureResult> VerifyMessage(const std::vector<HeaderField>& headers,
                                           std::string_view body, dns::Resolver* resolver,
                                           Deadline deadline, int64_t now_unix,
                                           const VerifierOptions& options = {});

// "selector._domainkey.domain" (RFC 6376 3.6.2.1).
std::string KeyName(std::string_view selector, std::string_view domain);

}  // namespace portcullis::dkim
