// The greylist check's store keys and values (README.md "Store layout").
//
//   greylist:t:<network>|<sender>|<recipient>   a triplet
//       "pending <first_seen>"                  TTL retry_window
//       "passed <first_seen> <passed_at>"       TTL max_age, refreshed
//   greylist:n:<network>                        decimal count of triplets
//                                               that passed (auto allowlist),
//                                               TTL max_age
//   greylist:a:<network>                        "manual <added_at>", TTL
//                                               from `portcullis greylist allow`
//
// Times are Unix seconds. Sender and recipient are percent-escaped ('%',
// '|', space, controls and bytes >= 0x7f) so that '|' splits a key
// unambiguously: both may hold almost any byte (RFC 5321 4.1.2 quoted local
// parts). The store itself adds its own prefix (Redis key_prefix).
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portcullis::greylist {

inline constexpr char kKeyPrefix[] = "greylist:";
inline constexpr char kTripletPrefix[] = "greylist:t:";
inline constexpr char kCounterPrefix[] = "greylist:n:";
inline constexpr char kAllowPrefix[] = "greylist:a:";

// RFC 5321 4.5.3.1.1/4.5.3.1.2: 64-octet local part, 255-octet domain. A
// longer address (which no conforming MTA sends) is cut there so that a
// client cannot make us write arbitrarily long keys.
inline constexpr size_t kMaxAddressInKey = 64 + 1 + 255;

struct Triplet {
  std::string network;    // "192.0.2.0/24"
  std::string sender;     // normalised (greylist_triplet.h)
  std::string recipient;  // normalised
};

std::string TripletKey(const Triplet& triplet);
std::string CounterKey(std::string_view network);
std::string AllowKey(std::string_view network);
// The prefix of every triplet key of `network` (for `delete --network`).
std::string NetworkTripletPrefix(std::string_view network);

// The inverse of TripletKey; nullopt for keys it did not make.
std::optional<Triplet> ParseTripletKey(std::string_view key);

std::string EscapeKeyPart(std::string_view text);
std::optional<std::string> UnescapeKeyPart(std::string_view text);

struct TripletValue {
  bool passed = false;
  int64_t first_seen = 0;  // Unix seconds of the first attempt
  int64_t passed_at = 0;   // Unix seconds of the accepted retry (passed only)
};

std::string EncodeTriplet(const TripletValue& value);
// nullopt for a value this version cannot read (then it counts as missing
// and is overwritten: a fresh greylisting is better than a stuck entry).
std::optional<TripletValue> DecodeTriplet(std::string_view text);

std::string EncodeAllow(int64_t added_at);
std::optional<int64_t> DecodeAllow(std::string_view text);

}  // namespace portcullis::greylist
