#include "dnsbl_result.h"

#include <string>

namespace portcullis::dnsbl {
namespace {

struct Aggregate {
  SymbolScore symbol;
  std::string parts;  // "127.0.0.2, 127.0.0.3"
};

void AddHit(const SymbolScore& symbol, const std::string& part, std::vector<Aggregate>* hits) {
  for (Aggregate& hit : *hits) {
    if (hit.symbol.symbol == symbol.symbol) {
      hit.parts += ", " + part;
      return;
    }
  }
  hits->push_back({symbol, part});
}

}  // namespace

ActionRequest RejectRequest(const DnsblList& list, const ListAnswer& answer) {
  ActionRequest request = list.reject_reply;
  request.reason = answer.FirstSymbol().symbol;
  return request;
}

CheckResult BuildDnsblResult(const DnsblConfig& config, const std::vector<Retrieved>& retrieved) {
  CheckResult result;
  bool any_block = false;
  bool any_allow = false;
  bool any_error = false;
  std::optional<ActionRequest> reject;
  std::optional<ActionRequest> accept;
  for (size_t i = 0; i < config.lists.size(); ++i) {
    const DnsblList& list = config.lists[i];
    std::vector<Aggregate> hits;
    std::string error;
    std::string temperror;
    for (const Retrieved& item : retrieved) {
      if (item.lookup->list != i) continue;
      if (!item.answer) {
        if (temperror.empty()) temperror = "no answer by end of message";
        continue;
      }
      const ListAnswer& answer = *item.answer;
      switch (answer.kind) {
        case ListAnswer::Kind::kNotListed: break;
        case ListAnswer::Kind::kError:
          if (error.empty()) error = answer.error;
          break;
        case ListAnswer::Kind::kTempError:
          if (temperror.empty()) temperror = answer.error;
          break;
        case ListAnswer::Kind::kListed:
          for (const Listing& listing : answer.listings) {
            std::string part = listing.code;
            if (!item.lookup->domain.empty()) {
              part +=
                  " " + item.lookup->domain + "(" + IdentityNames(item.lookup->identities) + ")";
            }
            for (const SymbolScore& symbol : listing.symbols) AddHit(symbol, part, &hits);
          }
          if (answer.Hit() && list.Rejects() && (item.lookup->identities & kFrom) && !reject) {
            reject = RejectRequest(list, answer);
          }
          break;
      }
    }
    for (const Aggregate& hit : hits) {
      result.symbols.push_back({hit.symbol.symbol, hit.symbol.score, list.zone + " " + hit.parts});
    }
    if (!hits.empty()) {
      if (list.allowlist) {
        any_allow = true;
        if (list.accept && !accept) {
          accept = ActionRequest{};
          accept->action = Action::kAccept;
          accept->reason = hits.front().symbol.symbol;
        }
      } else {
        any_block = true;
      }
    }
    if (!error.empty()) {
      result.symbols.push_back({kErrorSymbol, config.error_score, list.zone + ": " + error});
    }
    if (!temperror.empty()) {
      result.symbols.push_back(
          {kTempErrorSymbol, config.temperror_score, list.zone + ": " + temperror});
    }
    any_error = any_error || !error.empty() || !temperror.empty();
  }
  if (any_block) {
    result.status = CheckStatus::kFail;
  } else if (any_allow) {
    result.status = CheckStatus::kPass;
  } else if (any_error) {
    result.status = CheckStatus::kTemperror;
  }
  // A reject list is an explicit hard policy; it outranks a DNSWL's accept.
  if (reject) {
    result.request = reject;
  } else if (accept) {
    result.request = accept;
  }
  return result;
}

}  // namespace portcullis::dnsbl
