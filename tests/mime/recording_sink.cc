#include "recording_sink.h"

#include "portcullis/public_suffix.h"
#include "util/message_file.h"

namespace portcullis::mime::testing {
namespace {

std::string Describe(const PartInfo& p) {
  std::string s = "part " + std::to_string(p.index) + " depth=" + std::to_string(p.depth) +
                  " type=" + p.content_type;
  if (!p.charset.empty()) s += " charset=" + p.charset;
  s += " cte=" + p.transfer_encoding;
  if (!p.disposition.empty()) s += " disposition=" + p.disposition;
  if (!p.filename.empty()) s += " filename=\"" + p.filename + "\"";
  if (p.attachment) s += " attachment";
  return s;
}

// Control characters other than newline shown as \xNN so goldens stay text.
std::string Escape(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n') || u == 0x7F) {
      out += "\\x";
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::string UrlSourceName(Url::Source source) {
  switch (source) {
    case Url::Source::kText: return "text";
    case Url::Source::kHtmlHref: return "href";
    case Url::Source::kHtmlText: return "html-text";
    case Url::Source::kHeader: return "header";
  }
  return "?";
}

void RecordingSink::OnHeader(const PartInfo& part, std::string_view name, std::string_view value) {
  ++events;
  structure.push_back("header " + std::to_string(part.index) + " " + std::string(name) + ": " +
                      Escape(value));
}
void RecordingSink::OnPartStart(const PartInfo& part) {
  ++events;
  parts.push_back(part);
  structure.push_back("start " + Describe(part));
}
void RecordingSink::OnText(const PartInfo& part, std::string_view utf8) {
  ++events;
  ++text_calls;
  std::string& t = text[part.index];
  t.append(utf8);
  if (t.size() > max_text_bytes) max_text_bytes = t.size();
}
void RecordingSink::OnDecodedBytes(const PartInfo& part, std::string_view b) {
  ++events;
  bytes[part.index].append(b);
}
void RecordingSink::OnPartEnd(const PartInfo& part) {
  ++events;
  structure.push_back("end part " + std::to_string(part.index));
}
void RecordingSink::OnUrl(const Url& url) {
  ++events;
  urls.push_back(url);
}
void RecordingSink::OnEmailAddress(const EmailAddress& address) {
  ++events;
  emails.push_back(address);
}
void RecordingSink::OnAnomaly(const Anomaly& anomaly) {
  ++events;
  anomalies.push_back(anomaly);
}

bool RecordingSink::HasAnomaly(std::string_view symbol) const {
  for (const Anomaly& a : anomalies) {
    if (a.symbol == symbol) return true;
  }
  return false;
}

std::string RecordingSink::Render() const {
  std::string out = "== structure\n";
  for (const std::string& s : structure) out += s + "\n";
  for (const auto& [index, t] : text) {
    out += "== text " + std::to_string(index) + "\n" + Escape(t);
    if (t.empty() || t.back() != '\n') out += "\n";
  }
  out += "== bytes\n";
  for (const auto& [index, b] : bytes) {
    char hash[17];
    snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(Fnv1a(b)));
    out += "part " + std::to_string(index) + " " + std::to_string(b.size()) + " bytes fnv1a " +
           hash + "\n";
  }
  out += "== urls\n";
  for (const Url& u : urls) {
    out += UrlSourceName(u.source) + " " + Escape(u.text) + " scheme=" + u.scheme +
           " host=" + u.host + (u.host_is_ip ? " ip" : "") +
           (u.registered_domain.empty() ? "" : " domain=" + u.registered_domain) +
           (u.obfuscated ? " obfuscated" : "") + "\n";
  }
  out += "== emails\n";
  for (const EmailAddress& e : emails) {
    out += e.address + " domain=" + e.domain +
           (e.registered_domain.empty() ? "" : " registered=" + e.registered_domain) + "\n";
  }
  out += "== anomalies\n";
  for (const Anomaly& a : anomalies) out += a.symbol + " " + a.detail + "\n";
  return out;
}

void FeedMessage(MimeParser* parser, std::string_view raw, size_t chunk) {
  const MessageParts split = SplitMessageFile(raw);
  for (const HeaderField& h : split.headers) parser->Header(h.name, h.value);
  parser->EndOfHeaders();
  std::string_view body = split.body;
  if (chunk == 0) chunk = body.size() + 1;
  for (size_t i = 0; i < body.size(); i += chunk) parser->Body(body.substr(i, chunk));
  parser->End();
}

std::unique_ptr<RecordingSink> ParseMessage(std::string_view raw, size_t chunk,
                                            const Limits& limits) {
  auto sink = std::make_unique<RecordingSink>();
  MimeParser parser(limits, sink.get(), SystemPublicSuffixList(nullptr));
  FeedMessage(&parser, raw, chunk);
  return sink;
}

}  // namespace portcullis::mime::testing
