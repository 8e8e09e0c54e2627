#include "dmarc_record.h"

#include <set>

namespace portcullis::dmarc {
namespace {

// A record is one TXT string set; DNS limits it to 64 KiB, real records are
// a few hundred bytes. Bounds for what untrusted DNS data can push:
constexpr size_t kMaxReportUris = 16;  // per rua/ruf; RFC 7489 6.2 "two" is common
constexpr size_t kMaxRecordTags = 32;  // known tags are 11

bool IsWsp(char c) { return c == ' ' || c == '\t'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (IsWsp(text.front()) || text.front() == '\r' || text.front() == '\n')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (IsWsp(text.back()) || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string LowerText(std::string_view text) {
  std::string out;
  for (char c : text) out.push_back(Lower(c));
  return out;
}

std::optional<Policy> ParsePolicy(std::string_view value) {
  const std::string lower = LowerText(value);
  if (lower == "none") return Policy::kNone;
  if (lower == "quarantine") return Policy::kQuarantine;
  if (lower == "reject") return Policy::kReject;
  return std::nullopt;
}

std::optional<Alignment> ParseAlignment(std::string_view value) {
  const std::string lower = LowerText(value);
  if (lower == "r") return Alignment::kRelaxed;
  if (lower == "s") return Alignment::kStrict;
  return std::nullopt;
}

// 1*N DIGIT as a number no larger than `max`.
std::optional<uint64_t> ParseNumber(std::string_view value, size_t max_digits, uint64_t max) {
  if (value.empty() || value.size() > max_digits) return std::nullopt;
  uint64_t number = 0;
  for (char c : value) {
    if (!IsDigit(c)) return std::nullopt;
    number = number * 10 + static_cast<uint64_t>(c - '0');
  }
  if (number > max) return std::nullopt;
  return number;
}

// 6.4 dmarc-uri: URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]; the URI
// must at least have an RFC 3986 scheme and something after it.
std::optional<ReportUri> ParseReportUri(std::string_view text) {
  ReportUri out;
  const size_t bang = text.rfind('!');
  std::string_view uri = text.substr(0, bang);
  if (bang != std::string_view::npos) {
    std::string_view size = text.substr(bang + 1);
    uint64_t unit = 1;
    if (!size.empty() && IsAlpha(size.back())) {
      switch (Lower(size.back())) {
        case 'k': unit = uint64_t{1} << 10; break;
        case 'm': unit = uint64_t{1} << 20; break;
        case 'g': unit = uint64_t{1} << 30; break;
        case 't': unit = uint64_t{1} << 40; break;
        default: return std::nullopt;
      }
      size.remove_suffix(1);
    }
    // 15 digits times 2^40 still fits in 64 bits.
    auto number = ParseNumber(size, 15, UINT64_MAX >> 41);
    if (!number) return std::nullopt;
    out.max_bytes = *number * unit;
  }
  const size_t colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == uri.size() ||
      !IsAlpha(uri[0])) {
    return std::nullopt;
  }
  for (size_t i = 0; i < uri.size(); ++i) {
    const char c = uri[i];
    // RFC 3986 2: no spaces, controls, or the "," that separates URIs.
    if (c <= ' ' || c == 0x7F || c == ',') return std::nullopt;
    if (i < colon && !(IsAlpha(c) || IsDigit(c) || c == '+' || c == '-' || c == '.')) {
      return std::nullopt;
    }
  }
  out.uri = std::string(uri);
  return out;
}

// A comma-separated URI list; invalid entries are dropped (7.1: a receiver
// uses the URIs it can), and an empty result means "no valid URI".
std::vector<ReportUri> ParseUriList(std::string_view value) {
  std::vector<ReportUri> uris;
  size_t start = 0;
  while (start <= value.size() && uris.size() < kMaxReportUris) {
    size_t comma = value.find(',', start);
    if (comma == std::string_view::npos) comma = value.size();
    if (auto uri = ParseReportUri(Trim(value.substr(start, comma - start)))) {
      uris.push_back(std::move(*uri));
    }
    start = comma + 1;
  }
  return uris;
}

// Keyword *(":" Keyword) where each keyword is one of `allowed` (empty:
// any keyword of ALPHA / DIGIT).
std::optional<std::vector<std::string>> ParseColonList(std::string_view value,
                                                       const std::set<std::string>& allowed) {
  std::vector<std::string> items;
  size_t start = 0;
  for (;;) {
    size_t colon = value.find(':', start);
    if (colon == std::string_view::npos) colon = value.size();
    const std::string item = LowerText(Trim(value.substr(start, colon - start)));
    if (item.empty()) return std::nullopt;
    for (char c : item) {
      if (!IsAlpha(c) && !IsDigit(c)) return std::nullopt;
    }
    if (!allowed.empty() && !allowed.count(item)) return std::nullopt;
    items.push_back(item);
    if (colon == value.size()) return items;
    start = colon + 1;
  }
}

struct Tag {
  std::string name;  // lower-case
  std::string_view value;
};

// RFC 7489 6.4 uses the DKIM tag-list (RFC 6376 3.2): tag *WSP "=" *WSP
// value, separated by ";" with optional spaces; a trailing ";" is allowed.
bool SplitTags(std::string_view text, std::vector<Tag>* tags, std::string* error) {
  size_t start = 0;
  while (start < text.size()) {
    size_t semi = text.find(';', start);
    if (semi == std::string_view::npos) semi = text.size();
    std::string_view part = Trim(text.substr(start, semi - start));
    start = semi + 1;
    if (part.empty()) continue;
    const size_t equals = part.find('=');
    if (equals == std::string_view::npos) {
      *error = "'" + std::string(part.substr(0, 40)) + "' is not tag=value";
      return false;
    }
    std::string_view name = Trim(part.substr(0, equals));
    if (name.empty() || !IsAlpha(name[0])) {
      *error = "bad tag name '" + std::string(name.substr(0, 40)) + "'";
      return false;
    }
    // RFC 6376 3.2 tag-name is ALPHA *(ALPHA / DIGIT / "_"); "-" is
    // accepted too because 6.3 says unknown tags are ignored, not fatal.
    for (char c : name) {
      if (!IsAlpha(c) && !IsDigit(c) && c != '_' && c != '-') {
        *error = "bad tag name '" + std::string(name.substr(0, 40)) + "'";
        return false;
      }
    }
    if (tags->size() >= kMaxRecordTags) {
      *error = "more than " + std::to_string(kMaxRecordTags) + " tags";
      return false;
    }
    tags->push_back({LowerText(name), Trim(part.substr(equals + 1))});
  }
  return true;
}

}  // namespace

std::string_view PolicyName(Policy policy) {
  switch (policy) {
    case Policy::kNone: return "none";
    case Policy::kQuarantine: return "quarantine";
    case Policy::kReject: return "reject";
  }
  return "none";
}

Policy NextLowerPolicy(Policy policy) {
  return policy == Policy::kReject ? Policy::kQuarantine : Policy::kNone;
}

bool HasDmarcVersion(std::string_view text) {
  if (text.empty() || Lower(text[0]) != 'v') return false;
  text.remove_prefix(1);
  while (!text.empty() && IsWsp(text.front())) text.remove_prefix(1);
  if (text.empty() || text.front() != '=') return false;
  text.remove_prefix(1);
  while (!text.empty() && IsWsp(text.front())) text.remove_prefix(1);
  if (text.size() < 6 || LowerText(text.substr(0, 6)) != "dmarc1") return false;
  text.remove_prefix(6);
  // "v=DMARC10" is another version; the tag ends at WSP or ";".
  return text.empty() || IsWsp(text.front()) || text.front() == ';';
}

SelectedRecord SelectDmarcRecord(const std::vector<std::string>& texts) {
  SelectedRecord selected;
  for (const std::string& text : texts) {
    if (!HasDmarcVersion(text)) continue;
    if (selected.selection == Selection::kOne) {
      return {Selection::kMultiple, ""};
    }
    selected = {Selection::kOne, text};
  }
  return selected;
}

ParsedDmarcRecord ParseDmarcRecord(std::string_view text) {
  ParsedDmarcRecord parsed;
  if (!HasDmarcVersion(text)) {
    parsed.error = "does not start with v=DMARC1";
    return parsed;
  }
  std::vector<Tag> tags;
  if (!SplitTags(text, &tags, &parsed.error)) return parsed;

  DmarcRecord record;
  bool policy_valid = false;
  bool subdomain_policy_valid = true;
  std::set<std::string> seen;
  auto fail = [&](const Tag& tag, const char* why) {
    parsed.error = tag.name + "=" + std::string(tag.value.substr(0, 40)) + ": " + why;
    return parsed;
  };
  for (const Tag& tag : tags) {
    // As in DKIM (RFC 6376 3.2), a tag given twice is ambiguous.
    if (!seen.insert(tag.name).second) return fail(tag, "tag given twice");
    if (tag.name == "v") {
      continue;  // checked above; it is the first tag
    } else if (tag.name == "p") {
      if (auto policy = ParsePolicy(tag.value)) {
        record.policy = *policy;
        policy_valid = true;
      }
    } else if (tag.name == "sp") {
      record.subdomain_policy = ParsePolicy(tag.value);
      subdomain_policy_valid = record.subdomain_policy.has_value();
    } else if (tag.name == "pct") {
      auto percent = ParseNumber(tag.value, 3, 100);
      if (!percent) return fail(tag, "not a number 0-100");
      record.percent = static_cast<int>(*percent);
    } else if (tag.name == "adkim" || tag.name == "aspf") {
      auto alignment = ParseAlignment(tag.value);
      if (!alignment) return fail(tag, "not r or s");
      (tag.name == "adkim" ? record.dkim_alignment : record.spf_alignment) = *alignment;
    } else if (tag.name == "rua" || tag.name == "ruf") {
      (tag.name == "rua" ? record.aggregate_uris : record.failure_uris) = ParseUriList(tag.value);
    } else if (tag.name == "fo") {
      auto options = ParseColonList(tag.value, {"0", "1", "d", "s"});
      if (!options) return fail(tag, "not a list of 0, 1, d, s");
      record.failure_options = *options;
    } else if (tag.name == "rf") {
      auto formats = ParseColonList(tag.value, {});
      if (!formats) return fail(tag, "not a list of format names");
      record.report_formats = *formats;
    } else if (tag.name == "ri") {
      // 6.4: 1*32DIGIT; anything past 32 bits is nonsense for an interval.
      auto interval = ParseNumber(tag.value, 10, UINT32_MAX);
      if (!interval) return fail(tag, "not a number of seconds");
      record.report_interval = static_cast<uint32_t>(*interval);
    }
    // 6.3: unknown tags MUST be ignored.
  }
  if (!policy_valid || !subdomain_policy_valid) {
    // 6.6.3 step 6: a missing or invalid p (or an invalid sp) with a valid
    // rua URI is read as p=none; otherwise no DMARC processing.
    if (record.aggregate_uris.empty()) {
      parsed.error = policy_valid ? "invalid sp" : (seen.count("p") ? "invalid p" : "no p tag");
      return parsed;
    }
    record.policy = Policy::kNone;
    record.subdomain_policy.reset();
    record.policy_defaulted = true;
  }
  parsed.record = std::move(record);
  return parsed;
}

}  // namespace portcullis::dmarc
