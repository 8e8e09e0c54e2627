// What the uribl check asks a list about, and the DNS name it asks.
//
// SURBL, URIBL and Spamhaus DBL list *registered* domains (the name a
// registrant bought: "example.co.uk", never "www.example.co.uk" or
// "co.uk"). SURBL documents its own two-level/three-level TLD files for
// finding that name; the MIME parser computes it with the Public Suffix List
// (mime::Url::registered_domain), which is the same idea kept current. IP
// hosts ("http://192.0.2.1/") are asked in RFC 5782 2.1 form, octets
// reversed (IPv6 nibbles, 2.4, where a list takes them).
//
// Security: URLs are chosen by the sender. Only plain host names (letters,
// digits, '-', '_', labels of 1..63 octets, at least two labels:
// dnsbl::NormaliseDomain) and parsed IP addresses become queries, so a
// message cannot make us send odd or oversized questions. Private and
// loopback addresses are never asked: no list has them, and the query would
// leak internal addresses.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "portcullis/ip_address.h"
#include "portcullis/mime.h"
#include "uribl_config.h"

namespace portcullis::uribl {

// One thing to ask about: a registered domain or an IP host.
struct Subject {
  std::string name;             // "example.co.uk" or "192.0.2.1" (dedup key, details)
  std::optional<IpAddress> ip;  // set for IP hosts
};

// The URL's registered domain, or its IP host; nullopt when there is
// nothing a list could have (a public suffix, a private address, junk).
std::optional<Subject> UrlSubject(const mime::Url& url);
// The address's registered domain; nullopt as above.
std::optional<Subject> EmailSubject(const mime::EmailAddress& address);

// The query name for `subject` on `list` ("example.co.uk.multi.surbl.org",
// "1.2.0.192.multi.surbl.org"); nullopt when the list does not take this
// kind of subject or the name would be too long.
std::optional<std::string> QueryName(const UriblList& list, const Subject& subject);

}  // namespace portcullis::uribl
