#include "arc_verifier.h"

#include <optional>

#include "dkim_crypto.h"
#include "dkim_header_canon.h"
#include "dkim_key.h"
#include "dkim_verifier.h"

namespace portcullis::arc {
namespace {

using dkim::Canonicalization;

std::string Named(ArcFieldKind kind, int instance) {
  return std::string(ArcFieldName(kind)) + " i=" + std::to_string(instance);
}

}  // namespace

std::string_view ArcResultName(ArcResult result) {
  switch (result) {
    case ArcResult::kNone: return "none";
    case ArcResult::kPass: return "pass";
    case ArcResult::kFail: return "fail";
    case ArcResult::kTemperror: return "temperror";
  }
  return "";
}

ChainVerifier::ChainVerifier(ChainOptions options) : options_(options) {}

void ChainVerifier::AddHeader(std::string_view name, std::string_view value) {
  if (headers_done_) return;
  // Security: the same bounds as the DKIM verifier (dkim_verifier.h); a
  // chain whose fields fall past them cannot be checked.
  if (headers_.size() >= dkim::kMaxHeaderFields ||
      header_bytes_ + name.size() + value.size() > dkim::kMaxHeaderBytes) {
    headers_truncated_ = true;
    return;
  }
  header_bytes_ += name.size() + value.size();
  headers_.push_back(HeaderField{std::string(name), std::string(value)});
}

void ChainVerifier::Prepare(const ChainStructure& structure) {
  const int highest = static_cast<int>(structure.sets.size());
  result_.instances = highest;
  for (const ArcSet& set : structure.sets) result_.sealers.push_back(set.parsed_seal.domain);

  // RFC 8617 5.2 step 4: the newest AMS is verified like a DKIM signature.
  const ArcSet& newest = structure.sets.back();
  const HeaderField& ams_field = headers_[newest.ams];
  std::string error;
  auto ams = ParseMessageSignature(ams_field.value, &error);
  if (!ams) {
    result_.result = ArcResult::kFail;
    result_.reason = Named(ArcFieldKind::kMessageSignature, highest) + ": " + error;
    decided_ = true;
    return;
  }
  auto ams_without_b = dkim::WithoutSignatureValue(ams_field.value);
  if (!ams_without_b) {
    result_.result = ArcResult::kFail;
    result_.reason = Named(ArcFieldKind::kMessageSignature, highest) + ": no b=";
    decided_ = true;
    return;
  }
  Signed ams_item;
  ams_item.what = Named(ArcFieldKind::kMessageSignature, highest);
  ams_item.key_type = ams->key_type;
  ams_item.hash = ams->hash;
  ams_item.key_name = dkim::KeyName(ams->selector, ams->domain);
  ams_item.signature = ams->signature;
  ams_item.data = dkim::SelectAndCanonicalize(ams->header_canon, headers_, ams->signed_headers);
  ams_item.data += dkim::CanonicalizeHeader(ams->header_canon, ams_field.name, *ams_without_b);
  body_hash_ = ams->body_hash;
  body_length_ = ams->body_length;
  hasher_ = bodies_.Want(ams->body_canon, ams->hash, ams->body_length);
  signed_.push_back(std::move(ams_item));

  // Step 6: every seal, newest first. RFC 8617 5.1.1: AS i=n signs the
  // AAR, AMS and AS of sets 1..n in that order, relaxed header
  // canonicalization, its own b= empty and without the final CRLF.
  std::string prefix;
  std::vector<Signed> seals;
  for (size_t n = 0; n < structure.sets.size(); ++n) {
    const ArcSet& set = structure.sets[n];
    const int instance = static_cast<int>(n) + 1;
    for (size_t index : {set.aar, set.ams}) {
      prefix += dkim::CanonicalizeHeader(Canonicalization::kRelaxed, headers_[index].name,
                                         headers_[index].value);
      prefix += "\r\n";
    }
    const HeaderField& seal_field = headers_[set.seal];
    auto seal_without_b = dkim::WithoutSignatureValue(seal_field.value);
    if (!seal_without_b) {
      result_.result = ArcResult::kFail;
      result_.reason = Named(ArcFieldKind::kSeal, instance) + ": no b=";
      decided_ = true;
      return;
    }
    Signed seal;
    seal.what = Named(ArcFieldKind::kSeal, instance);
    seal.key_type = set.parsed_seal.key_type;
    seal.hash = set.parsed_seal.hash;
    seal.key_name = dkim::KeyName(set.parsed_seal.selector, set.parsed_seal.domain);
    seal.signature = set.parsed_seal.signature;
    seal.data = prefix + dkim::CanonicalizeHeader(Canonicalization::kRelaxed, seal_field.name,
                                                  *seal_without_b);
    seals.push_back(std::move(seal));
    prefix +=
        dkim::CanonicalizeHeader(Canonicalization::kRelaxed, seal_field.name, seal_field.value);
    prefix += "\r\n";
  }
  for (auto it = seals.rbegin(); it != seals.rend(); ++it) signed_.push_back(std::move(*it));
}

void ChainVerifier::EndOfHeaders(dns::Resolver* resolver) {
  if (headers_done_) return;
  headers_done_ = true;
  const ChainStructure structure = CheckStructure(headers_, options_.max_instances);
  switch (structure.outcome) {
    case ChainStructure::Outcome::kNone:
      decided_ = true;
      result_.result = headers_truncated_ ? ArcResult::kFail : ArcResult::kNone;
      if (headers_truncated_) result_.reason = "header section exceeds the verifier's limits";
      break;
    case ChainStructure::Outcome::kFail:
      decided_ = true;
      result_.result = ArcResult::kFail;
      result_.reason = structure.reason;
      break;
    case ChainStructure::Outcome::kValid:
      if (headers_truncated_) {
        decided_ = true;
        result_.result = ArcResult::kFail;
        result_.reason = "header section exceeds the verifier's limits";
        break;
      }
      Prepare(structure);
      if (decided_) break;
      if (!resolver) {
        decided_ = true;
        result_.result = ArcResult::kTemperror;
        result_.reason = "no DNS resolver";
        break;
      }
      // All keys in parallel; Finish joins them.
      key_deadline_ = Deadline::After(options_.key_timeout);
      for (const Signed& item : signed_) {
        if (keys_.count(item.key_name)) continue;
        keys_.emplace(item.key_name,
                      resolver->Lookup(item.key_name, dns::RecordType::kTxt, key_deadline_));
      }
      break;
  }
  headers_.clear();
  headers_.shrink_to_fit();
}

void ChainVerifier::AddBody(std::string_view chunk) { bodies_.Update(chunk); }

ChainVerifier::Outcome ChainVerifier::VerifySigned(const Signed& item, Deadline deadline) {
  auto key_answer = keys_.at(item.key_name)->WaitUntil(deadline.Min(key_deadline_));
  if (!key_answer || !*key_answer) {
    return {ArcResult::kTemperror, item.what + ": key lookup timeout"};
  }
  const dns::Answer& answer = **key_answer;
  switch (answer.status) {
    case dns::Status::kOk: break;
    case dns::Status::kTempError:
      return {ArcResult::kTemperror,
              item.what + ": key lookup failed: " +
                  (answer.error.empty() ? std::string("temporary error") : answer.error)};
    case dns::Status::kNxDomain:
    case dns::Status::kNoData:
    case dns::Status::kPermError:
      // RFC 8617 5.2: a signature that cannot be validated fails the chain
      // (ARC has no permerror).
      return {ArcResult::kFail, item.what + ": no key"};
  }
  std::optional<dkim::KeyRecord> key;
  std::string first_error;
  for (const std::string& text : answer.texts) {
    std::string error;
    key = dkim::ParseKeyRecord(text, &error);
    if (key) break;
    if (first_error.empty()) first_error = error;
  }
  if (!key)
    return {ArcResult::kFail, item.what + ": " + (first_error.empty() ? "no key" : first_error)};
  if (key->revoked) return {ArcResult::kFail, item.what + ": key revoked"};
  if (key->type != item.key_type)
    return {ArcResult::kFail, item.what + ": key type does not match a="};
  if (!key->allows_sha256) return {ArcResult::kFail, item.what + ": key does not allow sha256"};
  const dkim::CryptoResult crypto = dkim::VerifyHeaderSignature(
      item.key_type, item.hash, key->public_key, item.data, item.signature);
  if (crypto.outcome == dkim::CryptoOutcome::kValid) return {};
  return {ArcResult::kFail, item.what + ": " + crypto.reason};
}

ChainResult ChainVerifier::Finish(Deadline deadline) {
  if (finished_) return {};
  finished_ = true;
  if (!headers_done_) EndOfHeaders(nullptr);
  if (decided_) return result_;
  // Step 4 body part: the newest AMS's body hash.
  dkim::BodyHasher& body = bodies_.at(hasher_);
  const std::string& digest = body.Finish();
  std::optional<Outcome> temporary;
  if ((body_length_ && body.canonical_length() < *body_length_) || digest != body_hash_) {
    result_.result = ArcResult::kFail;
    result_.reason = signed_.front().what + ": body hash mismatch";
    return result_;
  }
  // A definite failure anywhere wins over a lookup that did not answer.
  for (const Signed& item : signed_) {
    Outcome outcome = VerifySigned(item, deadline);
    if (outcome.result == ArcResult::kFail) {
      result_.result = ArcResult::kFail;
      result_.reason = std::move(outcome.reason);
      return result_;
    }
    if (outcome.result == ArcResult::kTemperror && !temporary) temporary = std::move(outcome);
  }
  if (temporary) {
    result_.result = ArcResult::kTemperror;
    result_.reason = std::move(temporary->reason);
    return result_;
  }
  result_.result = ArcResult::kPass;
  return result_;
}

}  // namespace portcullis::arc
