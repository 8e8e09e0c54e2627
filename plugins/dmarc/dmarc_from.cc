#include "dmarc_from.h"

#include "portcullis/from_header.h"
#include "portcullis/public_suffix.h"

namespace portcullis::dmarc {

AuthorDomain FindAuthorDomain(const std::vector<std::string>& from_values) {
  AuthorDomain out;
  if (from_values.empty()) {
    out.problem = "no From header";  // RFC 5322 3.6: exactly one is required
    return out;
  }
  if (from_values.size() > 1) {
    out.problem = std::to_string(from_values.size()) + " From headers";
    return out;
  }
  const FromDomains parsed = ParseFromDomains(from_values.front());
  if (parsed.domains.empty()) {
    out.problem = "From header has no address with a domain";
    return out;
  }
  if (parsed.ambiguous) {
    out.problem = "From header cannot be parsed unambiguously";
    return out;
  }
  if (parsed.domains.size() > 1) {
    out.problem = "From header has " + std::to_string(parsed.domains.size()) + " addresses";
    return out;
  }
  auto domain = NormaliseDomain(parsed.domains.front());
  // An address literal ("user@[192.0.2.1]") has no DNS domain to look up.
  if (!domain || domain->front() == '[' || domain->find('.') == std::string::npos) {
    out.problem = "From domain is not a multi-label domain name";
    return out;
  }
  out.domain = std::move(*domain);
  return out;
}

}  // namespace portcullis::dmarc
