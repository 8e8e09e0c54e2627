#include "dkim_verifier.h"

#include "dkim_crypto.h"
#include "dkim_header_canon.h"
#include "dkim_key.h"

namespace portcullis::dkim {
namespace {

constexpr std::string_view kSignatureField = "dkim-signature";

bool IsSignatureField(std::string_view name) {
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  return ToLower(name) == kSignatureField;
}

void Decide(SignatureResult& result, DkimResult outcome, std::string reason) {
  result.result = outcome;
  result.reason = std::move(reason);
}

}  // namespace

std::string KeyName(std::string_view selector, std::string_view domain) {
  std::string name(selector);
  name += "._domainkey.";
  name += domain;
  return name;
}

MessageVerifier::MessageVerifier(VerifierOptions options) : options_(options) {}

void MessageVerifier::AddHeader(std::string_view name, std::string_view value) {
  if (headers_done_) return;
  if (IsSignatureField(name)) ++signature_fields_;
  if (headers_.size() >= kMaxHeaderFields ||
      header_bytes_ + name.size() + value.size() > kMaxHeaderBytes) {
    headers_truncated_ = true;
    return;
  }
  header_bytes_ += name.size() + value.size();
  headers_.push_back(HeaderField{std::string(name), std::string(value)});
}

void MessageVerifier::Prepare(Pending& pending, std::string_view value, int64_t now_unix) {
  SignatureResult& result = pending.result;
  SignatureParseError error;
  pending.signature = ParseSignature(value, &error);
  if (!pending.signature) {
    result.domain = error.domain;
    result.selector = error.selector;
    result.algorithm = error.algorithm;
    result.b_text = error.b_text;
    Decide(result, DkimResult::kPermerror, error.reason);
    pending.decided = true;
    return;
  }
  const DkimSignature& sig = *pending.signature;
  result.domain = sig.domain;
  result.selector = sig.selector;
  result.algorithm = sig.algorithm;
  result.identity = sig.identity;
  result.b_text = sig.b_text;
  pending.decided = true;
  if (sig.hash == HashAlgorithm::kSha1) {
    // RFC 8301 3.1: "Verifiers MUST NOT consider signatures using RSA-SHA1
    // to be valid." Nothing about it can be fixed by a retry: permerror.
    Decide(result, DkimResult::kPermerror, "rsa-sha1 not allowed (RFC 8301)");
    return;
  }
  // RFC 6376 6.1.1: an expired signature MAY be treated as PERMFAIL.
  if (sig.expiration && *sig.expiration < now_unix) {
    Decide(result, DkimResult::kPermerror, "signature expired (x=)");
    return;
  }
  if (sig.timestamp && *sig.timestamp > now_unix + kClockSkewSeconds) {
    Decide(result, DkimResult::kPermerror, "signature timestamp in the future (t=)");
    return;
  }
  if (headers_truncated_) {
    Decide(result, DkimResult::kPermerror, "header section exceeds the verifier's limits");
    return;
  }
  auto without_b = WithoutSignatureValue(value);
  if (!without_b) {
    Decide(result, DkimResult::kPermerror, "signature field has no b=");
    return;
  }
  // RFC 6376 3.7: the signed fields, then this signature field with an
  // empty b= and without its trailing CRLF. The name is as received.
  std::string_view name = kSignatureField;
  for (const HeaderField& field : headers_) {
    if (IsSignatureField(field.name) && field.value == value) {
      name = field.name;
      break;
    }
  }
  pending.header_data = SelectAndCanonicalize(sig.header_canon, headers_, sig.signed_headers);
  pending.header_data += CanonicalizeHeader(sig.header_canon, name, *without_b);
  pending.hasher = bodies_.Want(sig.body_canon, sig.hash, sig.body_length);
  pending.decided = false;
}

void MessageVerifier::EndOfHeaders(dns::Resolver* resolver, int64_t now_unix) {
  if (headers_done_) return;
  headers_done_ = true;
  size_t index = 0;
  for (const HeaderField& field : headers_) {
    if (!IsSignatureField(field.name)) continue;
    Pending pending;
    if (index++ >= options_.max_signatures) {
      pending.result.ignored = true;
      pending.decided = true;
      Decide(pending.result, DkimResult::kNeutral,
             "not evaluated: more than " + std::to_string(options_.max_signatures) + " signatures");
      SignatureParseError error;
      if (auto sig = ParseSignature(field.value, &error)) {
        pending.result.domain = sig->domain;
        pending.result.selector = sig->selector;
        pending.result.algorithm = sig->algorithm;
        pending.result.b_text = sig->b_text;
      } else {
        pending.result.domain = error.domain;
        pending.result.selector = error.selector;
        pending.result.algorithm = error.algorithm;
        pending.result.b_text = error.b_text;
      }
      pending_.push_back(std::move(pending));
      continue;
    }
    Prepare(pending, field.value, now_unix);
    if (!pending.decided) {
      if (!resolver) {
        pending.decided = true;
        Decide(pending.result, DkimResult::kTemperror, "no DNS resolver");
      } else {
        // Lookups of all signatures run in parallel; Finish joins them.
        pending.key_deadline = Deadline::After(options_.key_timeout);
        pending.key =
            resolver->Lookup(KeyName(pending.signature->selector, pending.signature->domain),
                             dns::RecordType::kTxt, pending.key_deadline);
      }
    }
    pending_.push_back(std::move(pending));
  }
  // Signature fields that fell past the header limit are still reported.
  for (size_t i = pending_.size(); i < signature_fields_; ++i) {
    Pending pending;
    pending.decided = true;
    Decide(pending.result, DkimResult::kPermerror, "header section exceeds the verifier's limits");
    pending.result.ignored = i >= options_.max_signatures;
    pending_.push_back(std::move(pending));
  }
  headers_.clear();
  headers_.shrink_to_fit();
}

void MessageVerifier::AddBody(std::string_view chunk) { bodies_.Update(chunk); }

void MessageVerifier::Evaluate(Pending& pending, const dns::AnswerPtr& answer) {
  SignatureResult& result = pending.result;
  const DkimSignature& sig = *pending.signature;
  switch (answer->status) {
    case dns::Status::kOk: break;
    case dns::Status::kNxDomain:
    case dns::Status::kNoData:
      // RFC 6376 6.1.2: no key record → PERMFAIL (no key for signature).
      return Decide(result, DkimResult::kPermerror, "no key for signature");
    case dns::Status::kTempError:
      return Decide(result, DkimResult::kTemperror,
                    "key lookup failed: " +
                        (answer->error.empty() ? std::string("temporary error") : answer->error));
    case dns::Status::kPermError: return Decide(result, DkimResult::kPermerror, "invalid key name");
  }
  if (answer->texts.empty()) return Decide(result, DkimResult::kPermerror, "no key for signature");
  // RFC 6376 3.6.2.2: with several TXT records the result is undefined; use
  // the first that parses.
  std::optional<KeyRecord> key;
  std::string first_error;
  for (const std::string& text : answer->texts) {
    std::string error;
    key = ParseKeyRecord(text, &error);
    if (key) break;
    if (first_error.empty()) first_error = error;
  }
  if (!key) return Decide(result, DkimResult::kPermerror, first_error);
  if (key->revoked) return Decide(result, DkimResult::kPermerror, "key revoked");
  if (key->type != sig.key_type) {
    return Decide(result, DkimResult::kPermerror, "key type (k=) does not match a=");
  }
  if (!key->allows_sha256) {
    return Decide(result, DkimResult::kPermerror, "key does not allow sha256 (h=)");
  }
  if (key->strict_identity && !sig.identity.empty()) {
    const std::string identity_domain = ToLower(sig.identity.substr(sig.identity.rfind('@') + 1));
    if (identity_domain != sig.domain) {
      return Decide(result, DkimResult::kPermerror, "i= is a subdomain of d= but the key has t=s");
    }
  }
  BodyHasher& body = bodies_.at(pending.hasher);
  const std::string& body_hash = body.Finish();
  if (sig.body_length && body.canonical_length() < *sig.body_length) {
    // Our choice: l= promising more body than arrived is a fail (the body
    // is not what was signed), as a truncated body would be.
    return Decide(result, DkimResult::kFail, "body shorter than l=");
  }
  if (body_hash != sig.body_hash) return Decide(result, DkimResult::kFail, "body hash mismatch");
  const CryptoResult crypto = VerifyHeaderSignature(sig.key_type, sig.hash, key->public_key,
                                                    pending.header_data, sig.signature);
  switch (crypto.outcome) {
    case CryptoOutcome::kValid:
      return Decide(result, DkimResult::kPass, key->testing ? "key in testing mode (t=y)" : "");
    case CryptoOutcome::kInvalid: return Decide(result, DkimResult::kFail, crypto.reason);
    case CryptoOutcome::kBadKey:
    case CryptoOutcome::kWeakKey: return Decide(result, DkimResult::kPermerror, crypto.reason);
  }
}

std::vector<SignatureResult> MessageVerifier::Finish(Deadline deadline) {
  std::vector<SignatureResult> results;
  if (finished_) return results;
  finished_ = true;
  for (Pending& pending : pending_) {
    if (!pending.decided) {
      auto answer = pending.key->WaitUntil(deadline.Min(pending.key_deadline));
      if (!answer || !*answer) {
        Decide(pending.result, DkimResult::kTemperror, "key lookup timeout");
      } else {
        Evaluate(pending, *answer);
      }
    }
    results.push_back(std::move(pending.result));
  }
  return results;
}

std::vector<SignatureResult> VerifyMessage(const std::vector<HeaderField>& headers,
                                           std::string_view body, dns::Resolver* resolver,
                                           Deadline deadline, int64_t now_unix,
                                           const VerifierOptions& options) {
  MessageVerifier verifier(options);
  for (const HeaderField& field : headers) verifier.AddHeader(field.name, field.value);
  verifier.EndOfHeaders(resolver, now_unix);
  verifier.AddBody(body);
  return verifier.Finish(deadline);
}

}  // namespace portcullis::dkim
