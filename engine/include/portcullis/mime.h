// The MIME contract: what the engine's streaming MIME parser (engine/mime/)
// tells the checks that ask for it, while the message is still arriving.
//
// One Parser per message, fed the header and body callbacks in order; it
// calls a Sink as it recognises things: every header of every part (decoded),
// each part's start and end, the decoded text of text parts (HTML reduced to
// text, everything converted to UTF-8), URLs and e-mail addresses the moment
// they are complete, and anomalies (malformed structure, limits hit). Parsing
// never stops on bad input: it flags and carries on.
//
// A check that wants these events sets kStageMime in Check::stages() and
// returns its sink from CheckInstance::MimeSink(); the engine runs one parser
// per message for all of them. Sinks are called on the connection's callback
// threads, one call at a time, like every CheckInstance method; the
// references passed are valid only during the call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace portcullis::mime {

struct PartInfo {
  int index = 0;  // 0 is the message itself; parts numbered in order of appearance
  int depth = 0;  // 0 for the message; +1 per multipart or message/rfc822 level
  std::string content_type;       // lower-case type/subtype, "text/plain" by default
  std::string charset;            // lower-case as declared, "" when none
  std::string transfer_encoding;  // lower-case: "7bit", "base64", "quoted-printable"...
  std::string disposition;        // lower-case "attachment", "inline" or ""
  // File name from Content-Disposition filename (RFC 2231 continuations and
  // charsets) or Content-Type name, decoded to UTF-8; "" when none.
  std::string filename;
  bool attachment = false;  // disposition attachment, or a filename on a non-text part
};

struct Url {
  enum class Source { kText, kHtmlHref, kHtmlText, kHeader };
  Source source = Source::kText;
  std::string text;  // as found (after de-obfuscation "hxxp" -> "http" etc.)
  std::string scheme;  // lower-case: "http", "https", "ftp", "mailto"...
  // Lower-case host without port or brackets; IP literals in canonical
  // form ("192.0.2.1", "2001:db8::1"), including decimal/hex/octal IPv4
  // spellings ("http://3221225985/" -> "192.0.2.1").
  std::string host;
  bool host_is_ip = false;
  // The registrable domain of `host` under the Public Suffix List
  // ("www.example.co.uk" -> "example.co.uk"); "" for IP hosts and names
  // that are themselves public suffixes.
  std::string registered_domain;
  bool obfuscated = false;  // found through de-obfuscation (hxxp, [.] ...)
};

struct EmailAddress {
  std::string address;  // lower-case domain, local part as found
  std::string domain;
  std::string registered_domain;
};

struct Anomaly {
  std::string symbol;  // "MIME_MISSING_BOUNDARY", "MIME_BAD_BASE64", "MIME_DEPTH_LIMIT"...
  std::string detail;  // for logs: what and where
};

class Sink {
 public:
  virtual ~Sink() = default;
  // Every header of every part, the message's own included: unfolded,
  // RFC 2047 encoded words decoded, in UTF-8.
  virtual void OnHeader(const PartInfo& part, std::string_view name, std::string_view value) {
    (void)part;
    (void)name;
    (void)value;
  }
  // After a part's headers are known (the message itself is part 0).
  virtual void OnPartStart(const PartInfo& part) { (void)part; }
  // Decoded text of a text/* part (and of a message without MIME headers),
  // in UTF-8, in chunks whose boundaries are arbitrary; HTML reduced to
  // its text (tags dropped, entities decoded, script and style skipped).
  virtual void OnText(const PartInfo& part, std::string_view utf8) {
    (void)part;
    (void)utf8;
  }
  // Decoded bytes of every leaf part (after base64/QP, before charset
  // conversion), in chunks; for attachment hashing and binary rules.
  virtual void OnDecodedBytes(const PartInfo& part, std::string_view bytes) {
    (void)part;
    (void)bytes;
  }
  virtual void OnPartEnd(const PartInfo& part) { (void)part; }
  virtual void OnUrl(const Url& url) { (void)url; }
  virtual void OnEmailAddress(const EmailAddress& address) { (void)address; }
  virtual void OnAnomaly(const Anomaly& anomaly) { (void)anomaly; }
};

// Bounds on the work one message can cause. The defaults sit well above
// real mail (the deepest legitimate nesting seen is about 5; newsletters
// have tens of parts) and below what would hurt the gateway.
struct Limits {
  int max_depth = 20;
  int max_parts = 1000;
  uint64_t max_decoded_bytes = 64ull << 20;  // per message, all parts
  size_t max_line_bytes = 1 << 20;           // longer lines are cut for parsing
  int max_urls = 1000;                       // per message, after deduplication
};

}  // namespace portcullis::mime
