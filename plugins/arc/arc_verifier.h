// Verification of a message's ARC chain (RFC 8617 5.2), shaped like the
// milter stages: AddHeader for each field; EndOfHeaders checks the chain's
// structure (arc_chain.h), builds the signed data of the newest
// ARC-Message-Signature and of every ARC-Seal, and starts the key lookups
// in parallel; AddBody streams the body into the DKIM body hasher of the
// newest AMS; Finish joins the lookups (bounded by a deadline) and
// verifies. Reuses the DKIM machinery of plugins/dkim (tag lists, header
// canonicalization, key records, body hashing, OpenSSL verification).
//
// One ChainVerifier per message; single-threaded use (key answers arrive
// through AsyncResult, which is thread-safe). The resolver must outlive
// Finish().
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "arc_chain.h"
#include "arc_fields.h"
#include "dkim_body_hash.h"
#include "portcullis/async_result.h"
#include "portcullis/dns.h"
#include "portcullis/transaction_info.h"

namespace portcullis::arc {

struct ChainOptions {
  int max_instances = kMaxInstances;  // 1..kMaxInstances
  std::chrono::milliseconds key_timeout{10000};
};

// RFC 8617 defines none, pass and fail; temperror is ours for key lookups
// that did not answer (a retry may pass, so it must not read as fail).
enum class ArcResult { kNone, kPass, kFail, kTemperror };
std::string_view ArcResultName(ArcResult result);

struct ChainResult {
  ArcResult result = ArcResult::kNone;
  std::string reason;                // "" for pass and none
  int instances = 0;                 // sets in a structurally valid chain
  std::vector<std::string> sealers;  // AS d= in instance order (valid structure)
};

class ChainVerifier {
 public:
  explicit ChainVerifier(ChainOptions options = {});

  void AddHeader(std::string_view name, std::string_view value);
  // `resolver` may be null: a chain that needs keys is then a temperror.
  void EndOfHeaders(dns::Resolver* resolver);
  void AddBody(std::string_view chunk);
  // Call once.
  ChainResult Finish(Deadline deadline);

  bool headers_done() const { return headers_done_; }

 private:
  struct Signed {
    std::string what;  // "ARC-Seal i=2", for reasons
    dkim::KeyType key_type = dkim::KeyType::kRsa;
    dkim::HashAlgorithm hash = dkim::HashAlgorithm::kSha256;
    std::string key_name;
    std::string data;       // the canonicalized signed data
    std::string signature;  // b= decoded
  };
  struct Outcome {
    ArcResult result = ArcResult::kPass;
    std::string reason;
  };

  void Prepare(const ChainStructure& structure);
  Outcome VerifySigned(const Signed& item, Deadline deadline);

  ChainOptions options_;
  std::vector<HeaderField> headers_;
  size_t header_bytes_ = 0;
  bool headers_truncated_ = false;
  bool headers_done_ = false;
  bool finished_ = false;
  ChainResult result_;
  bool decided_ = false;  // result_ final before any key or body
  // Newest AMS first, then the seals from the newest down (5.2 steps 4, 6).
  std::vector<Signed> signed_;
  std::string body_hash_;  // bh= of the newest AMS
  std::optional<uint64_t> body_length_;
  dkim::BodyHashSet bodies_;
  size_t hasher_ = 0;
  // One lookup per distinct key name, all started at end of headers.
  std::map<std::string, AsyncResultPtr<dns::AnswerPtr>> keys_;
  Deadline key_deadline_ = Deadline::Never();
};

}  // namespace portcullis::arc
