#include "dmarc_discovery.h"

namespace portcullis::dmarc {

Discovery DiscoveryFromAnswer(const dns::Answer& answer, const std::string& domain) {
  Discovery out;
  out.record_domain = domain;
  switch (answer.status) {
    case dns::Status::kOk: break;
    case dns::Status::kTempError:
      out.status = DiscoveryStatus::kTempError;
      out.error = "_dmarc." + domain + ": " + (answer.error.empty() ? "DNS error" : answer.error);
      return out;
    // NXDOMAIN and NODATA: no record here. A name too long to ask for
    // (kPermError) cannot hold one either.
    case dns::Status::kNxDomain:
    case dns::Status::kNoData:
    case dns::Status::kPermError: out.status = DiscoveryStatus::kNone; return out;
  }
  const SelectedRecord selected = SelectDmarcRecord(answer.texts);
  switch (selected.selection) {
    case Selection::kNone: out.status = DiscoveryStatus::kNone; return out;
    case Selection::kMultiple:
      out.status = DiscoveryStatus::kMultiple;
      out.error = "_dmarc." + domain + ": more than one DMARC record";
      return out;
    case Selection::kOne: break;
  }
  ParsedDmarcRecord parsed = ParseDmarcRecord(selected.text);
  if (!parsed.record) {
    out.status = DiscoveryStatus::kInvalid;
    out.error = "_dmarc." + domain + ": " + parsed.error;
    return out;
  }
  out.status = DiscoveryStatus::kFound;
  out.record = std::move(*parsed.record);
  return out;
}

AsyncResultPtr<Discovery> StartDiscovery(dns::Resolver& resolver, std::string author_domain,
                                         std::string organizational_domain, Deadline deadline) {
  auto result = MakeAsyncResult<Discovery>();
  const std::string first = "_dmarc." + author_domain;
  dns::Resolver* resolver_ptr = &resolver;
  resolver.Lookup(
      first, dns::RecordType::kTxt, deadline,
      [result, resolver_ptr, author_domain, organizational_domain,
       deadline](const dns::AnswerPtr& answer) {
        Discovery at_author = DiscoveryFromAnswer(*answer, author_domain);
        // 6.6.3 step 4: only an empty set sends us to the Organizational
        // Domain; a temperror, several records or a broken record end here.
        if (at_author.status != DiscoveryStatus::kNone || organizational_domain == author_domain) {
          result->Set(std::move(at_author));
          return;
        }
        resolver_ptr->Lookup("_dmarc." + organizational_domain, dns::RecordType::kTxt, deadline,
                             [result, organizational_domain](const dns::AnswerPtr& fallback) {
                               Discovery at_org =
                                   DiscoveryFromAnswer(*fallback, organizational_domain);
                               at_org.at_organizational_domain = true;
                               result->Set(std::move(at_org));
                             });
      });
  return result;
}

}  // namespace portcullis::dmarc
