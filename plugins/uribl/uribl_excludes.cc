#include "uribl_excludes.h"

#include <array>

namespace portcullis::uribl {
namespace {

// Registered domains only (the check asks for registered domains): a
// subdomain such as docs.google.com is covered by google.com.
constexpr std::array<std::string_view, 40> kDefaults = {
    // Standards bodies: every HTML part names w3.org in its DOCTYPE/xmlns.
    "w3.org",
    "ietf.org",
    "iana.org",
    "schema.org",
    "xmlsoap.org",
    // Big platforms whose links are in signatures and newsletters.
    "google.com",
    "gmail.com",
    "googleapis.com",
    "gstatic.com",
    "youtube.com",
    "microsoft.com",
    "outlook.com",
    "office.com",
    "live.com",
    "apple.com",
    "icloud.com",
    "amazon.com",
    "facebook.com",
    "instagram.com",
    "whatsapp.com",
    "twitter.com",
    "x.com",
    "linkedin.com",
    "wikipedia.org",
    "wikimedia.org",
    "github.com",
    "mozilla.org",
    "yahoo.com",
    "adobe.com",
    "paypal.com",
    // Infrastructure and open-source projects.
    "apache.org",
    "debian.org",
    "ubuntu.com",
    "python.org",
    "gnu.org",
    "kernel.org",
    "cloudflare.com",
    "akamai.net",
    "akamaihd.net",
    "bing.com",
};

}  // namespace

std::span<const std::string_view> DefaultExcludedDomains() { return kDefaults; }

}  // namespace portcullis::uribl
