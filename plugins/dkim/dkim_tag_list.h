// The DKIM tag=value list (RFC 6376 3.2) shared by DKIM-Signature fields and
// key records, and the base64 that their b=, bh= and p= values carry.
//
// Pure functions over caller-owned text; thread-safe. Results hold
// string_views into the input, so the input must outlive them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::dkim {

// Security: a hostile signature or key record may carry any number of tags;
// real ones have at most about 15 (RFC 6376 3.5 defines 15 signature tags).
// 64 leaves room for extensions and bounds the work per field.
inline constexpr size_t kMaxTags = 64;

struct Tag {
  std::string_view name;
  std::string_view value;  // without the surrounding FWS; inner FWS kept
  size_t value_begin = 0;  // offsets into the input of the raw value span:
  size_t value_end = 0;    // from after "=" up to ";" or the end (RFC 6376 3.7)
};

struct TagList {
  std::vector<Tag> tags;
  const Tag* Find(std::string_view name) const;
};

// Parses `text` (FWS may be " ", "\t", "\r\n" or the bare "\n" an MTA hands
// a milter for a fold). Returns nullopt with `error` set on a syntax error,
// a duplicate tag (RFC 6376 3.2: "Tags with duplicate names MUST NOT occur
// within a single tag-list; if a tag name does occur more than once, the
// entire tag-list is invalid") or more than kMaxTags tags.
std::optional<TagList> ParseTagList(std::string_view text, std::string* error);

// True for the whitespace a tag value may contain (WSP and the line breaks
// of FWS).
inline bool IsFws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// `text` with every FWS character removed (b=, bh= and p= values, 3.5).
std::string StripFws(std::string_view text);

// Strict base64 (RFC 4648 4) after FWS removal: the alphabet, padding only
// at the end and only as needed. Returns nullopt for anything else.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace portcullis::dkim
