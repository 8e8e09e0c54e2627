// An SPF record parsed once into a compact form (RFC 7208 4.5, 4.6, 5, 6,
// 12), and the choice of the one record among a domain's TXT answers.
//
// A Record is immutable after ParseRecord and shared (shared_ptr) by the
// parse cache and every evaluation using it, on any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/ip_address.h"
#include "spf_macro.h"
#include "spf_result.h"

namespace portcullis::spf {

// RFC 7208 4.6.2: the result a matching directive produces.
enum class Qualifier : uint8_t { kPass, kFail, kSoftfail, kNeutral };
SpfResult QualifierResult(Qualifier qualifier);

enum class Mechanism : uint8_t { kAll, kInclude, kA, kMx, kPtr, kIp4, kIp6, kExists };
// RFC 7208 4.6.4: the mechanisms that count against the 10-lookup limit.
bool QueriesDns(Mechanism mechanism);

struct Directive {
  Qualifier qualifier = Qualifier::kPass;
  Mechanism mechanism = Mechanism::kAll;
  uint8_t cidr4 = 32;        // ip4-cidr-length, or of a/mx for IPv4 clients
  uint8_t cidr6 = 128;       // ip6-cidr-length, or of a/mx for IPv6 clients
  int32_t domain_spec = -1;  // index into Record::specs; -1: none (<domain>)
  uint32_t term_offset = 0;  // the term as written, in Record::text
  uint32_t term_length = 0;
  IpAddress network;  // ip4 / ip6 only
};

struct Record {
  std::string text;  // the record as published
  std::vector<Directive> directives;
  std::vector<MacroString> specs;    // domain-specs of directives and modifiers
  int32_t redirect = -1;             // index into specs
  int32_t exp = -1;                  // index into specs
  bool has_all = false;              // 6.1: then redirect= is ignored
  bool uses_validated_name = false;  // some domain-spec holds %{p}

  std::string_view TermText(const Directive& directive) const {
    return std::string_view(text).substr(directive.term_offset, directive.term_length);
  }
  // Approximate heap footprint, for the cache bound.
  size_t MemoryBytes() const;
};

struct ParsedRecord {
  std::shared_ptr<const Record> record;  // null on a syntax error
  std::string error;                     // why, naming the term
};

// RFC 7208 4.6: the whole record is checked first; any syntax error makes it
// unusable (permerror). `text` must start with "v=spf1".
ParsedRecord ParseRecord(std::string_view text);

// RFC 7208 4.5: "v=spf1" (any case) followed by a space or the end.
bool IsSpfRecord(std::string_view text);

enum class Selection { kNone, kOne, kMultiple };
struct SelectedRecord {
  Selection selection = Selection::kNone;
  std::string_view text;  // the record when kOne
};
// RFC 7208 4.5: the single SPF record among `texts`; none when there is
// none, kMultiple (permerror) when there are several.
SelectedRecord SelectRecord(const std::vector<std::string>& texts);

}  // namespace portcullis::spf
