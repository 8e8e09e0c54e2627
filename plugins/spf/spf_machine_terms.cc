// The mechanisms (RFC 7208 5), redirect (6.1), the validated names for
// "ptr" and %{p} (5.5, 7.3) and the explanation (6.2).
#include <algorithm>
#include <cstring>

#include "spf_domain.h"
#include "spf_machine.h"
#include "spf_text.h"

namespace portcullis::spf {
namespace {

// The first `bits` bits of two addresses of the same family are equal.
bool PrefixEquals(const IpAddress& a, const IpAddress& b, int bits) {
  const int whole = bits / 8;
  if (std::memcmp(a.bytes(), b.bytes(), static_cast<size_t>(whole)) != 0) return false;
  const int rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes()[whole] & mask) == (b.bytes()[whole] & mask);
}

bool IsVoid(const dns::Answer& answer) {
  // RFC 7208 4.6.4: NXDOMAIN, or a positive answer with no records.
  return answer.status == dns::Status::kNxDomain || answer.status == dns::Status::kNoData;
}

}  // namespace

std::string_view Machine::ValidatedNameFor(const std::string& domain) const {
  // RFC 7208 7.3: prefer <domain> itself, then a sub-domain of it, then
  // any validated name; "unknown" when there is none.
  for (const std::string& name : validated_names_) {
    if (EqualsDomain(name, domain)) return name;
  }
  for (const std::string& name : validated_names_) {
    if (IsSameOrSubdomain(name, domain)) return name;
  }
  if (!validated_names_.empty()) return validated_names_.front();
  return "unknown";
}

std::string Machine::ExpandFor(const MacroString& spec, const std::string& domain) const {
  if (spec.is_literal()) return spec.Expand(MacroInputs{});
  MacroInputs inputs;
  inputs.sender = sender_;
  inputs.local_part = local_part_;
  inputs.sender_domain = sender_domain_;
  inputs.domain = domain;
  inputs.ip = &ip_;
  inputs.validated_name = ValidatedNameFor(domain);
  inputs.helo = helo_;
  inputs.receiver = receiver_;
  inputs.now = now_;
  return spec.Expand(inputs);
}

std::string Machine::TargetOf(const Frame& frame, const Directive& directive) const {
  if (directive.domain_spec < 0) return frame.domain;
  return ExpandFor(frame.record->specs[static_cast<size_t>(directive.domain_spec)], frame.domain);
}

bool Machine::AddressMatches(const IpAddress& address, const Directive& directive) const {
  if (address.is_v4() != v4_) return false;
  return PrefixEquals(ip_, address, v4_ ? directive.cidr4 : directive.cidr6);
}

bool Machine::Advance() {
  Frame& frame = frames_.back();
  const Record& record = *frame.record;
  while (frame.next < record.directives.size()) {
    const Directive& directive = record.directives[frame.next];
    if (QueriesDns(directive.mechanism)) {
      // RFC 7208 4.6.4: the limit is enforced before the term's query.
      if (dns_terms_ >= kMaxDnsTerms) {
        Finish(SpfResult::kPermerror, "more than 10 DNS-querying terms (RFC 7208 4.6.4)");
        return false;
      }
      // The validated names first (the same directive runs again after).
      if (directive.domain_spec >= 0 &&
          NeedsNames(record.specs[static_cast<size_t>(directive.domain_spec)])) {
        return StartValidatedNames(NamesFor::kMacro);
      }
      if (directive.mechanism == Mechanism::kPtr && !names_ready_) {
        return StartValidatedNames(NamesFor::kTerm);
      }
      ++dns_terms_;
    }
    ++frame.next;
    switch (directive.mechanism) {
      case Mechanism::kAll: return Match(frame, directive);
      case Mechanism::kIp4:
      case Mechanism::kIp6:
        // 5.6: a mechanism of the other family never matches.
        if ((directive.mechanism == Mechanism::kIp4) == v4_ &&
            AddressMatches(directive.network, directive)) {
          return Match(frame, directive);
        }
        break;
      case Mechanism::kInclude: return StartFrame(TargetOf(frame, directive), FrameKind::kInclude);
      case Mechanism::kA:
      case Mechanism::kMx:
      case Mechanism::kExists: {
        target_ = TargetOf(frame, directive);
        // A target that is no domain name cannot exist: no query, no match
        // (RFC 7208 4.3 and 5 by analogy; the RFC leaves it undefined).
        if (!IsValidDomain(target_)) break;
        current_ = &directive;
        if (directive.mechanism == Mechanism::kA) {
          // 5.3: A for an IPv4 client, AAAA for IPv6.
          return Issue({{target_, AddressType()}}, Waiting::kAddresses);
        }
        if (directive.mechanism == Mechanism::kMx) {
          return Issue({{target_, dns::RecordType::kMx}}, Waiting::kMx);
        }
        // 5.7: always an A lookup, even for an IPv6 client.
        return Issue({{target_, dns::RecordType::kA}}, Waiting::kExists);
      }
      case Mechanism::kPtr: {
        if ((ptr_status_ == dns::Status::kNxDomain || ptr_status_ == dns::Status::kNoData) &&
            !CountVoid()) {
          return false;
        }
        // 5.5: a validated name equal to or under the target matches.
        const std::string target = TargetOf(frame, directive);
        for (const std::string& name : validated_names_) {
          if (IsSameOrSubdomain(name, target)) return Match(frame, directive);
        }
        break;
      }
    }
  }
  // RFC 7208 6.1: redirect only when nothing matched and there is no "all".
  if (record.redirect >= 0 && !record.has_all) {
    if (dns_terms_ >= kMaxDnsTerms) {
      Finish(SpfResult::kPermerror, "more than 10 DNS-querying terms (RFC 7208 4.6.4)");
      return false;
    }
    const MacroString& spec = record.specs[static_cast<size_t>(record.redirect)];
    if (NeedsNames(spec)) return StartValidatedNames(NamesFor::kMacro);
    ++dns_terms_;
    return StartFrame(ExpandFor(spec, frame.domain), FrameKind::kRedirect);
  }
  // RFC 7208 4.7: no match and no redirect is neutral.
  return FrameResult(SpfResult::kNeutral, frame.domain + ": no mechanism matched");
}

bool Machine::OnAddresses(const dns::AnswerPtr& answer) {
  // RFC 7208 5: a DNS error other than NXDOMAIN ends the evaluation.
  if (answer->status == dns::Status::kTempError) {
    Finish(SpfResult::kTemperror, DnsError(questions_[0], *answer));
    return false;
  }
  if (IsVoid(*answer) || (answer->status == dns::Status::kOk && answer->addresses.empty())) {
    CountVoid();
    return false;
  }
  for (const IpAddress& address : answer->addresses) {
    if (AddressMatches(address, *current_)) return Match(frames_.back(), *current_);
  }
  return false;
}

bool Machine::OnMx(const dns::AnswerPtr& answer) {
  if (answer->status == dns::Status::kTempError) {
    Finish(SpfResult::kTemperror, DnsError(questions_[0], *answer));
    return false;
  }
  if (IsVoid(*answer) || (answer->status == dns::Status::kOk && answer->mx.empty())) {
    CountVoid();
    return false;
  }
  if (answer->status != dns::Status::kOk) return false;
  // RFC 7208 4.6.4: more than 10 MX names to look up is a permerror.
  if (answer->mx.size() > kMaxMxNames) {
    Finish(SpfResult::kPermerror, "more than 10 MX records for " + target_ + " (RFC 7208 4.6.4)");
    return false;
  }
  std::vector<dns::MxRecord> mx = answer->mx;
  std::stable_sort(mx.begin(), mx.end(), [](const dns::MxRecord& a, const dns::MxRecord& b) {
    return a.preference < b.preference;
  });
  std::vector<Question> questions;
  for (const dns::MxRecord& record : mx) {
    // RFC 7505: a null MX (".") names no host. 5.4: no implicit MX.
    if (!record.exchange.empty()) questions.push_back({record.exchange, AddressType()});
  }
  if (questions.empty()) return false;
  return Issue(std::move(questions), Waiting::kMxAddresses);
}

bool Machine::OnMxAddresses() {
  // In preference order: the first temperror or match decides.
  for (size_t i = 0; i < answers_.size(); ++i) {
    const dns::Answer& answer = *answers_[i];
    if (answer.status == dns::Status::kTempError) {
      Finish(SpfResult::kTemperror, DnsError(questions_[i], answer));
      return false;
    }
    for (const IpAddress& address : answer.addresses) {
      if (AddressMatches(address, *current_)) return Match(frames_.back(), *current_);
    }
  }
  return false;
}

bool Machine::OnExists(const dns::AnswerPtr& answer) {
  if (answer->status == dns::Status::kTempError) {
    Finish(SpfResult::kTemperror, DnsError(questions_[0], *answer));
    return false;
  }
  if (IsVoid(*answer) || (answer->status == dns::Status::kOk && answer->addresses.empty())) {
    CountVoid();
    return false;
  }
  if (answer->status == dns::Status::kOk) return Match(frames_.back(), *current_);
  return false;
}

bool Machine::StartValidatedNames(NamesFor why) {
  names_for_ = why;
  // RFC 7208 4.6.4: the PTR query behind %{p} counts against the limit too;
  // the term that holds the macro still needs its own slot.
  if (why == NamesFor::kMacro) {
    if (dns_terms_ + 2 > kMaxDnsTerms) {
      Finish(SpfResult::kPermerror, "more than 10 DNS-querying terms (RFC 7208 4.6.4)");
      return false;
    }
    ++dns_terms_;
  } else if (why == NamesFor::kExplanation) {
    // An explanation never changes the result: past the limit %{p} is
    // simply "unknown".
    if (dns_terms_ >= kMaxDnsTerms) {
      names_ready_ = true;
      return AfterNames();
    }
    ++dns_terms_;
  }
  // RFC 7208 5.5: the PTR records of the client address.
  std::string name = dns::ReverseName(ip_) + (v4_ ? ".in-addr.arpa" : ".ip6.arpa");
  return Issue({{std::move(name), dns::RecordType::kPtr}}, Waiting::kPtrNames);
}

bool Machine::OnPtrNames(const dns::AnswerPtr& answer) {
  // RFC 7208 5.5: a DNS error on the PTR query means no validated names
  // (the mechanism does not match; %{p} is "unknown").
  ptr_status_ = answer->status;
  if (answer->status == dns::Status::kOk && answer->names.empty()) {
    ptr_status_ = dns::Status::kNoData;
  }
  if (ptr_status_ != dns::Status::kOk) {
    names_ready_ = true;
    return AfterNames();
  }
  // RFC 7208 4.6.4: names past the first 10 are ignored.
  ptr_names_.assign(answer->names.begin(),
                    answer->names.begin() +
                        static_cast<std::ptrdiff_t>(std::min(answer->names.size(), kMaxPtrNames)));
  std::vector<Question> questions;
  for (const std::string& name : ptr_names_) questions.push_back({name, AddressType()});
  return Issue(std::move(questions), Waiting::kPtrAddresses);
}

bool Machine::OnPtrAddresses() {
  // RFC 7208 5.5: a name is validated when one of its addresses is <ip>; a
  // DNS error on a name skips that name.
  for (size_t i = 0; i < answers_.size(); ++i) {
    const dns::Answer& answer = *answers_[i];
    if (answer.status != dns::Status::kOk) continue;
    if (std::find(answer.addresses.begin(), answer.addresses.end(), ip_) !=
        answer.addresses.end()) {
      validated_names_.push_back(ptr_names_[i]);
    }
  }
  names_ready_ = true;
  return AfterNames();
}

bool Machine::AfterNames() {
  if (names_for_ != NamesFor::kExplanation) return false;  // Advance re-runs the term
  return explain_ ? FinishExplanation() : StartExplanation();
}

bool Machine::StartExplanation() {
  const Frame& frame = frames_.front();
  const MacroString& spec = frame.record->specs[static_cast<size_t>(frame.record->exp)];
  if (NeedsNames(spec)) return StartValidatedNames(NamesFor::kExplanation);
  // RFC 7208 6.2: any problem with the explanation means no explanation,
  // never a different result.
  std::string target = ExpandFor(spec, frame.domain);
  if (!IsValidDomain(target)) {
    Finish(SpfResult::kFail, std::move(fail_reason_));
    return false;
  }
  return Issue({{std::move(target), dns::RecordType::kTxt}}, Waiting::kExplanation);
}

bool Machine::OnExplanation(const dns::AnswerPtr& answer) {
  // 6.2: an error, no record or more than one record: no explanation.
  if (answer->status != dns::Status::kOk || answer->texts.size() != 1) {
    Finish(SpfResult::kFail, std::move(fail_reason_));
    return false;
  }
  std::string error;
  explain_ = MacroString::Parse(answer->texts[0], MacroContext::kExplainString, &error);
  if (!explain_) {
    Finish(SpfResult::kFail, std::move(fail_reason_));
    return false;
  }
  return FinishExplanation();
}

bool Machine::FinishExplanation() {
  if (NeedsNames(*explain_)) return StartValidatedNames(NamesFor::kExplanation);
  // 6.2: US-ASCII only; the expansion is already bounded (kMaxMacroOutput).
  std::string text = PrintableAscii(ExpandFor(*explain_, frames_.front().domain), kMaxMacroOutput);
  Finish(SpfResult::kFail, std::move(fail_reason_), std::move(text));
  return false;
}

}  // namespace portcullis::spf
