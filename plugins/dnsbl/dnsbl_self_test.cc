#include "dnsbl_self_test.h"

#include "dnsbl_answer.h"
#include "dnsbl_names.h"
#include "portcullis/log.h"

namespace portcullis::dnsbl {
namespace {

struct Probe {
  size_t list;
  std::string query;
  bool want_listed;
  bool ipv6;  // an IPv6 (nibble) test entry
  AsyncResultPtr<dns::AnswerPtr> answer;
};

void AddProbes(size_t index, const DnsblList& list, dns::Resolver& resolver, Deadline deadline,
               std::vector<Probe>* probes) {
  auto add = [&](std::string query, bool want_listed, bool ipv6) {
    auto answer = resolver.Lookup(query, dns::RecordType::kA, deadline);
    probes->push_back({index, std::move(query), want_listed, ipv6, std::move(answer)});
  };
  if (list.type == ListType::kDomain) {
    add("test." + list.zone, true, false);
    add("invalid." + list.zone, false, false);
    return;
  }
  add(IpQueryName(*IpAddress::Parse("127.0.0.2"), list.zone), true, false);
  add(IpQueryName(*IpAddress::Parse("127.0.0.1"), list.zone), false, false);
  if (list.ipv6) {
    // IpQueryName would unmap these to IPv4; RFC 5782 5 wants the nibbles.
    add(dns::ReverseName(*IpAddress::Parse("::ffff:7f00:2")) + "." + list.zone, true, true);
    add(dns::ReverseName(*IpAddress::Parse("::ffff:7f00:1")) + "." + list.zone, false, true);
  }
}

std::optional<std::string> Judge(const DnsblList& list, const Probe& probe,
                                 const std::optional<dns::AnswerPtr>& answer,
                                 std::chrono::milliseconds budget) {
  const std::string prefix =
      "dnsbl: list " + list.zone + ": RFC 5782 section 5 test " + probe.query + ": ";
  const std::string timeout = prefix + "no answer within " + std::to_string(budget.count()) +
                              " ms (timeout); the list or the resolver is unreachable";
  if (!answer || !*answer) return timeout;
  const ListAnswer classified = Classify(list, **answer);
  // The resolver's own "timeout" races ours at the same deadline.
  if (classified.kind == ListAnswer::Kind::kTempError && classified.error == "timeout") {
    return timeout;
  }
  switch (classified.kind) {
    case ListAnswer::Kind::kTempError: return prefix + "lookup failed (" + classified.error + ")";
    case ListAnswer::Kind::kError:
      return prefix + "error answer " + classified.error +
             "; lookups of this list will give DNSBL_ERROR, not listings";
    case ListAnswer::Kind::kNotListed:
      if (!probe.want_listed) return std::nullopt;
      return prefix + "not listed, but every list must list it; check the zone name" +
             (probe.ipv6 ? " or set ipv6 = false if the list has no IPv6 data" : "") +
             " (a list that was shut down also looks like this)";
    case ListAnswer::Kind::kListed:
      if (probe.want_listed) return std::nullopt;
      return prefix + "listed, but no list may list it: the list answers everything " +
             "(shut down or wildcarded?) and would hit every message; disable it";
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> SelfTestWarnings(const DnsblConfig& config, dns::Resolver& resolver,
                                          std::chrono::milliseconds budget) {
  const Deadline deadline = Deadline::After(budget);
  std::vector<Probe> probes;
  for (size_t i = 0; i < config.lists.size(); ++i) {
    if (config.lists[i].self_test) AddProbes(i, config.lists[i], resolver, deadline, &probes);
  }
  std::vector<std::string> warnings;
  for (const Probe& probe : probes) {
    // All probes share one deadline: the whole test takes at most `budget`.
    std::optional<dns::AnswerPtr> answer = probe.answer->WaitUntil(deadline);
    if (auto warning = Judge(config.lists[probe.list], probe, answer, budget)) {
      warnings.push_back(std::move(*warning));
    }
  }
  return warnings;
}

void RunSelfTest(const DnsblConfig& config, dns::Resolver* resolver) {
  if (!resolver) return;
  for (const std::string& warning : SelfTestWarnings(config, *resolver)) LogWarning(warning);
}

}  // namespace portcullis::dnsbl
