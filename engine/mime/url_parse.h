// One URL or e-mail address candidate, cut out of text by the extractor
// (url_extractor.h), turned into a mime::Url: scheme de-obfuscation (hxxp,
// h**p), host de-obfuscation ("[.]", "(.)", "[dot]"), percent-decoding of
// the host, IP literals in canonical form (including the decimal, hex and
// octal IPv4 spellings browsers accept, WHATWG URL "IPv4 parser"), host
// validation, IDN hosts as A-labels, and the registered domain. Pure
// functions, any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "portcullis/mime.h"
#include "portcullis/public_suffix.h"

namespace portcullis::mime {

struct Host {
  std::string name;  // canonical: lower-case A-labels, or an IP literal
  bool is_ip = false;
  bool obfuscated = false;
};

// `raw` is the host as written (no port, brackets kept for IPv6). Returns
// nullopt when it is not a plausible Internet host: a name needs two labels
// or more, labels of 1..63 octets, at most 253 in all, and a last label
// that starts with a letter (so "1.2.3.999" is not a name).
std::optional<Host> NormaliseHost(std::string_view raw);

// WHATWG URL IPv4: one to four dot-separated numbers, each decimal, "0x"
// hex or "0" octal, the last filling the remaining bytes
// ("3221225985", "0xC0.0.2.1", "0300.0.02.01" -> "192.0.2.1"). nullopt when
// `host` is not written as numbers; `*invalid` set when it is but is out of
// range (such a host is rejected, not read as a name).
std::optional<std::string> ParseIpv4Forms(std::string_view host, bool* invalid);

// A candidate that starts with a scheme ("http://", "hxxps://", "ftp://",
// "h**p://"), with "www." (scheme http), or with "//" (protocol-relative,
// href only). nullopt when the scheme is not one we report or the host is
// not valid. `text` of the result is the candidate with the scheme and host
// de-obfuscated.
std::optional<Url> ParseUrl(std::string_view candidate, Url::Source source,
                            const PublicSuffixList* psl);

// "local@domain" (the domain validated like a URL host, never an IP).
std::optional<EmailAddress> ParseEmail(std::string_view local, std::string_view domain,
                                       const PublicSuffixList* psl);

// The key two URLs are the same under: scheme, canonical host and the rest.
std::string UrlDedupKey(const Url& url);

}  // namespace portcullis::mime
