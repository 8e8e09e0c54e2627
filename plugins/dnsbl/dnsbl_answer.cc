#include "dnsbl_answer.h"

#include <algorithm>

namespace portcullis::dnsbl {
namespace {

uint32_t ToNumber(const IpAddress& address) {
  const uint8_t* b = address.bytes();
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

void AddOnce(const SymbolScore& symbol, std::vector<SymbolScore>* symbols) {
  for (const SymbolScore& have : *symbols) {
    if (have.symbol == symbol.symbol) return;
  }
  symbols->push_back(symbol);
}

}  // namespace

bool IsListingCode(uint32_t code) {
  return (code & 0xff000000) == kLoopbackNet && (code & 0xffffff00) != kErrorCodeNet;
}

std::string_view ListAnswerKindName(ListAnswer::Kind kind) {
  switch (kind) {
    case ListAnswer::Kind::kNotListed: return "not_listed";
    case ListAnswer::Kind::kListed: return "listed";
    case ListAnswer::Kind::kError: return "error";
    case ListAnswer::Kind::kTempError: return "temperror";
  }
  return "?";
}

std::string DescribeErrorCode(const IpAddress& address) {
  std::string text = address.ToString();
  if (!address.is_v4()) return text + " (not an IPv4 answer)";
  const uint32_t code = ToNumber(address);
  if ((code & 0xff000000) != kLoopbackNet) return text + " (outside 127.0.0.0/8, RFC 5782 2.3)";
  // Spamhaus's documented return codes for refused queries.
  switch (code & 0xff) {
    case 252: return text + " (refused: typo in the zone name)";
    case 254: return text + " (refused: query came through a public/open resolver)";
    case 255: return text + " (refused: excessive number of queries)";
    default: return text + " (refused: error code)";
  }
}

std::vector<SymbolScore> SymbolsForCode(const DnsblList& list, uint32_t code) {
  std::vector<SymbolScore> symbols;
  for (const CodeRule& rule : list.codes) {
    if (rule.error.empty() && code >= rule.first && code <= rule.last) {
      AddOnce(rule.symbol, &symbols);
    }
  }
  for (const MaskRule& rule : list.masks) {
    if ((code & 0xff & rule.mask) != 0) AddOnce(rule.symbol, &symbols);
  }
  if (symbols.empty() && list.default_symbol) symbols.push_back(*list.default_symbol);
  return symbols;
}

ListAnswer Classify(const DnsblList& list, const dns::Answer& answer) {
  ListAnswer result;
  switch (answer.status) {
    case dns::Status::kNxDomain:
    case dns::Status::kNoData: return result;
    case dns::Status::kTempError:
      result.kind = ListAnswer::Kind::kTempError;
      result.error = answer.error.empty() ? "temporary DNS error" : answer.error;
      return result;
    case dns::Status::kPermError:
      // We check names before asking, so this is our bug or the resolver's.
      result.kind = ListAnswer::Kind::kError;
      result.error = "unusable query name" + (answer.error.empty() ? "" : ": " + answer.error);
      return result;
    case dns::Status::kOk: break;
  }
  if (answer.addresses.empty()) return result;
  // An error code anywhere in the answer makes all of it an error: a list
  // that wildcards everything must not look like a listing.
  for (const IpAddress& address : answer.addresses) {
    if (!address.is_v4() || !IsListingCode(ToNumber(address))) {
      result.kind = ListAnswer::Kind::kError;
      result.error = DescribeErrorCode(address);
      return result;
    }
    for (const CodeRule& rule : list.codes) {
      const uint32_t code = ToNumber(address);
      if (!rule.error.empty() && code >= rule.first && code <= rule.last) {
        result.kind = ListAnswer::Kind::kError;
        result.error = address.ToString() + " (" + rule.error + ")";
        return result;
      }
    }
  }
  result.kind = ListAnswer::Kind::kListed;
  for (const IpAddress& address : answer.addresses) {
    std::string code = address.ToString();
    auto seen = std::find_if(result.listings.begin(), result.listings.end(),
                             [&](const Listing& listing) { return listing.code == code; });
    if (seen != result.listings.end()) continue;
    result.listings.push_back({std::move(code), SymbolsForCode(list, ToNumber(address))});
  }
  return result;
}

bool ListAnswer::Hit() const {
  for (const Listing& listing : listings) {
    if (!listing.symbols.empty()) return true;
  }
  return false;
}

const SymbolScore& ListAnswer::FirstSymbol() const {
  for (const Listing& listing : listings) {
    if (!listing.symbols.empty()) return listing.symbols.front();
  }
  static const SymbolScore kNone;
  return kNone;
}

}  // namespace portcullis::dnsbl
