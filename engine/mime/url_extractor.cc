#include "mime/url_extractor.h"

#include <cstring>

#include "mime/ascii.h"
#include "mime/url_parse.h"

namespace portcullis::mime {
namespace {

// Characters that end a token: whitespace and what RFC 3986 Appendix C
// says delimits URLs in text ('<', '>', '"'), plus a few that never occur
// unescaped in links.
bool IsDelimiter(char c) {
  switch (c) {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '\f':
    case '\v':
    case '<':
    case '>':
    case '"':
    case '`':
    case '|':
    case '\\':
    case '^': return true;
    default: return false;
  }
}

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (LowerAscii(s[i]) != prefix[i]) return false;
  }
  return true;
}

// RFC 5322 3.2.3 atext and '.'.
bool IsLocalChar(char c) { return IsAlnum(c) || std::strchr("!#$%&'*+-/=?^_`{}~.", c) != nullptr; }
bool IsDomainChar(char c) {
  return IsAlnum(c) || c == '.' || c == '-' || static_cast<unsigned char>(c) >= 0x80;
}
bool IsSchemeChar(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '*'; }

// Where a URL starting at the front of `s` begins its scheme ("://" or an
// obfuscated colon), npos when there is none.
struct Start {
  size_t at = std::string_view::npos;  // start of the URL in the token
  bool mailto = false;
};

// The next URL start in `token` at or after `from`.
Start FindStart(std::string_view token, size_t from) {
  Start best;
  auto consider = [&](size_t at, bool mailto) {
    if (at < best.at) {
      best.at = at;
      best.mailto = mailto;
    }
  };
  for (size_t sep = token.find("//", from); sep != std::string_view::npos;
       sep = token.find("//", sep + 2)) {
    size_t colon_len = 0;
    if (sep >= 1 && token[sep - 1] == ':') colon_len = 1;
    if (sep >= 3 && (token.substr(sep - 3, 3) == "[:]" || token.substr(sep - 3, 3) == "(:)")) {
      colon_len = 3;
    }
    if (colon_len == 0) continue;
    size_t begin = sep - colon_len;
    const size_t scheme_end = begin;
    // RFC 3986 3.1: schemes are short; ours are at most "h**ps".
    while (begin > 0 && scheme_end - begin < 8 && IsSchemeChar(token[begin - 1])) --begin;
    if (begin == scheme_end || begin < from) continue;
    consider(begin, false);
    break;
  }
  // One pass for "www." and "mailto:" (case-insensitive), before any
  // scheme start found above.
  const size_t limit = best.at < token.size() ? best.at : token.size();
  for (size_t i = from; i < limit; ++i) {
    const char c = static_cast<char>(token[i] | 0x20);
    if (c == 'w' && StartsWithNoCase(token.substr(i), "www.") &&
        (i == 0 || (!IsAlnum(token[i - 1]) && token[i - 1] != '.' && token[i - 1] != '/' &&
                    token[i - 1] != '@'))) {
      consider(i, false);
      break;
    }
    if (c == 'm' && StartsWithNoCase(token.substr(i), "mailto:")) {
      consider(i, true);
      break;
    }
  }
  return best;
}

// Trailing characters that end a sentence rather than a URL.
std::string_view TrimTrailing(std::string_view url) {
  for (;;) {
    if (url.empty()) return url;
    const char c = url.back();
    if (std::strchr(".,;:!?'*", c) != nullptr) {
      url.remove_suffix(1);
      continue;
    }
    // A closing bracket belongs to the URL only when it closes one opened
    // in it (Wikipedia links end in ")").
    const char open = c == ')' ? '(' : c == ']' ? '[' : c == '}' ? '{' : 0;
    if (open != 0) {
      size_t opens = 0;
      size_t closes = 0;
      for (char d : url) {
        opens += d == open;
        closes += d == c;
      }
      if (closes > opens) {
        url.remove_suffix(1);
        continue;
      }
    }
    return url;
  }
}

}  // namespace

void UrlExtractor::Text(std::string_view text, Url::Source source) {
  source_ = source;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = i;
    while (end < text.size() && !IsDelimiter(text[end])) ++end;
    std::string_view piece = text.substr(i, end - i);
    // Cut at kMaxTokenBytes exactly, wherever the chunks fall.
    while (!piece.empty()) {
      const size_t room = kMaxTokenBytes - carry_.size();
      const size_t take = piece.size() < room ? piece.size() : room;
      carry_.append(piece.substr(0, take));
      piece.remove_prefix(take);
      if (carry_.size() == kMaxTokenBytes) {
        Token(carry_);
        carry_.clear();
      }
    }
    if (end < text.size()) {  // a delimiter: the token is complete
      if (!carry_.empty()) Token(carry_);
      carry_.clear();
      i = end + 1;
    } else {
      i = end;
    }
  }
}

void UrlExtractor::EndText() {
  if (!carry_.empty()) Token(carry_);
  carry_.clear();
}

void UrlExtractor::Token(std::string_view token) {
  // Most words hold none of these: skip them cheaply.
  bool interesting = false;
  for (char c : token) {
    if (c == '/' || c == '@' || c == '.' || c == ':') {
      interesting = true;
      break;
    }
  }
  if (!interesting) return;
  size_t done = 0;  // text before this is URLs or was searched for addresses
  size_t from = 0;
  while (from < token.size()) {
    const Start start = FindStart(token, from);
    if (start.at == std::string_view::npos) break;
    // The URL runs to the end of the token or to the next URL start glued
    // to it ("http://a.example/http://b.example" is two).
    const Start next = FindStart(token, start.at + (start.mailto ? 7 : 4));
    std::string_view candidate = token.substr(
        start.at, next.at == std::string_view::npos ? std::string_view::npos : next.at - start.at);
    candidate = TrimTrailing(candidate);
    Emails(token.substr(done, start.at - done));
    if (start.mailto) {
      Mailto(candidate, source_);
    } else if (auto url = ParseUrl(candidate, source_, nullptr)) {
      Report(std::move(*url));
    }
    done = start.at + candidate.size();
    from = next.at == std::string_view::npos ? token.size() : next.at;
    if (done > from) from = done;
  }
  if (done < token.size()) Emails(token.substr(done));
}

void UrlExtractor::Emails(std::string_view segment) {
  for (size_t at = segment.find('@'); at != std::string_view::npos;
       at = segment.find('@', at + 1)) {
    size_t begin = at;
    while (begin > 0 && IsLocalChar(segment[begin - 1])) --begin;
    while (begin < at && segment[begin] == '.') ++begin;
    size_t end = at + 1;
    while (end < segment.size() && IsDomainChar(segment[end])) ++end;
    while (end > at + 1 && (segment[end - 1] == '.' || segment[end - 1] == '-')) --end;
    if (auto address = ParseEmail(segment.substr(begin, at - begin),
                                  segment.substr(at + 1, end - at - 1), psl_)) {
      ReportEmail(std::move(*address));
    }
  }
}

void UrlExtractor::Mailto(std::string_view candidate, Url::Source source) {
  if (candidate.size() <= 7) return;
  std::string_view address = candidate.substr(7);  // "mailto:"
  address = address.substr(0, address.find_first_of("?#,;"));
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) return;
  auto email = ParseEmail(address.substr(0, at), address.substr(at + 1), psl_);
  if (!email) return;
  Url url;
  url.source = source;
  url.text = std::string(candidate);
  url.scheme = "mailto";
  url.host = email->domain;
  url.registered_domain = email->registered_domain;
  Report(std::move(url));
  ReportEmail(std::move(*email));
}

void UrlExtractor::Target(std::string_view target, Url::Source source) {
  if (StartsWithNoCase(target, "mailto:")) {
    Mailto(target, source);
    return;
  }
  const Start start = FindStart(target, 0);
  const bool relative_scheme = target.substr(0, 2) == "//";
  if (!relative_scheme && start.at != 0) return;  // relative, javascript:, cid: ...
  if (auto url = ParseUrl(target, source, nullptr)) Report(std::move(*url));
}

void UrlExtractor::Report(Url url) {
  if (static_cast<int>(seen_urls_.size()) >= max_urls_) {
    if (!seen_urls_.count(UrlDedupKey(url))) limit_hit_ = true;
    return;
  }
  if (!seen_urls_.insert(UrlDedupKey(url)).second) return;
  // The registered domain only for URLs reported (ParseUrl was given no
  // list): a newsletter repeats its links many times.
  if (psl_ && !url.host_is_ip && url.scheme != "mailto") {
    url.registered_domain = psl_->RegistrableDomain(url.host).value_or("");
  }
  sink_->OnUrl(url);
}

void UrlExtractor::ReportEmail(EmailAddress address) {
  // RFC 5321 2.4: the domain is case-insensitive, the local part is not.
  if (static_cast<int>(seen_emails_.size()) >= max_urls_) {
    if (!seen_emails_.count(address.address)) limit_hit_ = true;
    return;
  }
  if (!seen_emails_.insert(address.address).second) return;
  sink_->OnEmailAddress(address);
}

}  // namespace portcullis::mime
