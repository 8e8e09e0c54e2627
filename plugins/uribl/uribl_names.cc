#include "uribl_names.h"

#include "dnsbl_names.h"

namespace portcullis::uribl {
namespace {

std::optional<Subject> DomainSubject(const std::string& registered_domain) {
  // "" means the host is itself a public suffix (or unparsable): nothing a
  // URI list could have, and asking for "co.uk" would be noise.
  std::optional<std::string> domain = dnsbl::NormaliseDomain(registered_domain);
  if (!domain) return std::nullopt;
  return Subject{std::move(*domain), std::nullopt};
}

}  // namespace

std::optional<Subject> UrlSubject(const mime::Url& url) {
  if (!url.host_is_ip) return DomainSubject(url.registered_domain);
  std::optional<IpAddress> address = IpAddress::Parse(url.host);
  if (!address) return std::nullopt;
  const IpAddress query = dnsbl::QueryAddress(*address);  // ::ffff:a.b.c.d -> a.b.c.d
  if (dnsbl::IsPrivateAddress(query)) return std::nullopt;
  return Subject{query.ToString(), query};
}

std::optional<Subject> EmailSubject(const mime::EmailAddress& address) {
  return DomainSubject(address.registered_domain);
}

std::optional<std::string> QueryName(const UriblList& list, const Subject& subject) {
  if (!subject.ip) {
    if (!(list.targets & kDomains)) return std::nullopt;
    return dnsbl::DomainQueryName(subject.name, list.zone());
  }
  if (!(list.targets & kIps)) return std::nullopt;
  if (!subject.ip->is_v4() && !list.ipv6) return std::nullopt;
  return dnsbl::IpQueryName(*subject.ip, list.zone());
}

}  // namespace portcullis::uribl
