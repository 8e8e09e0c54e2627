#include "uribl_result.h"

#include <string>

namespace portcullis::uribl {
namespace {

using dnsbl::ListAnswer;

struct Aggregate {
  dnsbl::SymbolScore symbol;
  std::string parts;  // "a.example(127.0.0.8), b.example(127.0.0.8)"
};

void AddHit(const dnsbl::SymbolScore& symbol, const std::string& part,
            std::vector<Aggregate>* hits) {
  for (Aggregate& hit : *hits) {
    if (hit.symbol.symbol == symbol.symbol) {
      hit.parts += ", " + part;
      return;
    }
  }
  hits->push_back({symbol, part});
}

ActionRequest RejectRequest(const UriblList& list, const Lookup& lookup, const ListAnswer& answer) {
  ActionRequest request;
  request.action = Action::kReject;
  request.smtp_code = list.reject_code;
  request.enhanced_code = list.reject_enhanced_code;
  // Security: the subject passed dnsbl::NormaliseDomain or is a parsed IP,
  // so it is safe in an SMTP reply (no spaces, no line breaks).
  request.text = "Message links to " + lookup.subject + ", listed at " + list.zone();
  request.reason = answer.FirstSymbol().symbol;
  return request;
}

}  // namespace

CheckResult BuildUriblResult(const UriblConfig& config, const std::vector<Retrieved>& retrieved,
                             int skipped) {
  CheckResult result;
  bool any_hit = false;
  bool any_error = false;
  std::optional<ActionRequest> reject;
  for (size_t i = 0; i < config.lists.size(); ++i) {
    const UriblList& list = config.lists[i];
    std::vector<Aggregate> hits;
    std::string error;
    int errors = 0;
    for (const Retrieved& item : retrieved) {
      if (item.lookup->list != i) continue;
      const std::string& subject = item.lookup->subject;
      if (!item.answer) {
        if (errors++ == 0) error = "no answer by end of message (" + subject + ")";
        continue;
      }
      const ListAnswer& answer = *item.answer;
      switch (answer.kind) {
        case ListAnswer::Kind::kNotListed: break;
        case ListAnswer::Kind::kError:
        case ListAnswer::Kind::kTempError:
          if (errors++ == 0) error = answer.error + " (" + subject + ")";
          break;
        case ListAnswer::Kind::kListed:
          for (const dnsbl::Listing& listing : answer.listings) {
            for (const dnsbl::SymbolScore& symbol : listing.symbols) {
              AddHit(symbol, subject + "(" + listing.code + ")", &hits);
            }
          }
          if (answer.Hit() && list.reject && !reject) {
            reject = RejectRequest(list, *item.lookup, answer);
          }
          break;
      }
    }
    for (const Aggregate& hit : hits) {
      result.symbols.push_back(
          {hit.symbol.symbol, hit.symbol.score, list.zone() + " " + hit.parts});
    }
    any_hit = any_hit || !hits.empty();
    if (errors > 0) {
      if (errors > 1) error += " and " + std::to_string(errors - 1) + " more";
      result.symbols.push_back({kErrorSymbol, config.error_score, list.zone() + ": " + error});
      any_error = true;
    }
  }
  if (skipped > 0) {
    result.symbols.push_back({kLimitSymbol, config.limit_score,
                              std::to_string(skipped) + " not looked up (max_lookups " +
                                  std::to_string(config.max_lookups) + ")"});
  }
  if (any_hit) {
    result.status = CheckStatus::kFail;
  } else if (any_error) {
    result.status = CheckStatus::kTemperror;
  } else if (!retrieved.empty()) {
    result.status = CheckStatus::kPass;
  }
  result.request = reject;
  return result;
}

}  // namespace portcullis::uribl
