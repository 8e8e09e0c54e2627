#include "spf_options.h"

#include <algorithm>

#include "portcullis/transaction_info.h"
#include "spf_domain.h"

namespace portcullis::spf {
namespace {

// The actions an operator may map a result to (discard is left out on
// purpose: silently dropping mail on an SPF result loses mail).
const std::vector<std::string>& AllowedActions() {
  static const std::vector<std::string> kAllowed = {"none", "reject", "tempfail", "quarantine",
                                                    "accept"};
  return kAllowed;
}

// RFC 7208 4.6.4 asks for at least 20 s; below 100 ms nothing would answer.
constexpr int64_t kMinTimeoutMs = 100;
constexpr int64_t kMaxTimeoutMs = 120000;

}  // namespace

bool SpfOptions::EnforcesFailFor(std::string_view domain) const {
  if (reject_fail_domains.empty()) return true;
  return std::any_of(reject_fail_domains.begin(), reject_fail_domains.end(),
                     [&](const std::string& listed) { return EqualsDomain(listed, domain); });
}

SpfOptions DefaultSpfOptions() {
  SpfOptions options;
  options.actions.fill(Action::kNone);
  options.actions[static_cast<size_t>(SpfResult::kFail)] = Action::kReject;
  // Defaults: a fail alone is strong evidence, softfail a hint; a broken
  // record (permerror) is a small hint; temporary errors say nothing.
  auto set = [&](SpfResult result, double score) {
    options.scores[static_cast<size_t>(result)] = score;
  };
  set(SpfResult::kNone, 0);
  set(SpfResult::kNeutral, 0);
  set(SpfResult::kPass, -1);
  set(SpfResult::kFail, 5);
  set(SpfResult::kSoftfail, 2);
  set(SpfResult::kTemperror, 0);
  set(SpfResult::kPermerror, 1);
  options.helo_scores.fill(0);
  return options;
}

std::shared_ptr<const SpfOptions> ReadSpfOptions(ConfigReader& reader) {
  auto options = std::make_shared<SpfOptions>(DefaultSpfOptions());
  bool ok = true;
  options->check_helo = reader.Boolean("check_helo", options->check_helo);
  options->received_spf_header =
      reader.Boolean("received_spf_header", options->received_spf_header);
  options->timeout = std::chrono::milliseconds(
      reader.Integer("timeout_ms", options->timeout.count(), kMinTimeoutMs, kMaxTimeoutMs));

  {
    ConfigReader actions = reader.Table("actions");
    for (int i = 0; i < kResultCount; ++i) {
      const auto result = static_cast<SpfResult>(i);
      const std::string key(ResultName(result));
      if (!actions.Has(key)) continue;  // the default stays
      const std::string name = actions.String(key, "none");
      const bool allowed = std::find(AllowedActions().begin(), AllowedActions().end(), name) !=
                           AllowedActions().end();
      if (!allowed) {
        actions.Error(key,
                      "'" + name + "' is not one of: none, reject, tempfail, quarantine, accept");
        ok = false;
        continue;
      }
      options->actions[static_cast<size_t>(i)] = *ParseAction(name);
    }
  }

  for (const std::string& domain : reader.StringList("reject_fail_domains")) {
    if (!IsValidDomain(domain)) {
      reader.Error("reject_fail_domains", "'" + domain + "' is not a domain name");
      ok = false;
      continue;
    }
    std::string lower = ToLower(domain);
    if (lower.back() == '.') lower.pop_back();
    options->reject_fail_domains.push_back(std::move(lower));
  }

  for (const auto& [name, score] : reader.NumberMap("scores")) {
    if (name == "no_client_address") {
      options->no_client_address_score = score;
      continue;
    }
    const bool helo = name.rfind("helo_", 0) == 0;
    auto result = ParseResultName(helo ? std::string_view(name).substr(5) : name);
    if (!result) {
      reader.Error("scores", "unknown key '" + name +
                                 "' (want a result name, helo_<result> or no_client_address)");
      ok = false;
      continue;
    }
    (helo ? options->helo_scores : options->scores)[static_cast<size_t>(*result)] = score;
  }
  if (!ok) return nullptr;
  return options;
}

}  // namespace portcullis::spf
