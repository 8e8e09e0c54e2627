// The store operations behind `portcullis greylist` (list, show, delete,
// allow, unallow), on any store::Store so that tests run them against an
// in-memory store. Key layout: greylist_keys.h.
//
// Functions are stateless; thread-safe as far as the Store is. Each is
// bounded by the deadline given (Scan by the same deadline as a whole).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "greylist_keys.h"
#include "greylist_triplet.h"
#include "portcullis/deadline.h"
#include "portcullis/store.h"

namespace portcullis::greylist {

// How the command forms triplets: it cannot read the check's options (they
// live in the checks section, which needs every plugin), so it takes the
// prefixes as flags and uses the default sender normalisation.
struct AdminTripletOptions {
  int ipv4_prefix = 24;
  int ipv6_prefix = 64;
  SenderOptions sender;
  bool recipient_strip_subaddress = false;
};

struct ListedEntry {
  enum class Kind { kTriplet, kCounter, kAllow, kOther };
  Kind kind = Kind::kOther;
  std::string key;
  std::string network;
  Triplet triplet;                    // kTriplet
  std::optional<TripletValue> value;  // kTriplet, when readable
  int64_t passes = 0;                 // kCounter
  int64_t added_at = 0;               // kAllow
  std::string raw;                    // the stored value as is
  store::Clock::time_point expires;
};

struct ListResult {
  store::Status status = store::Status::kUnavailable;
  std::string error;
  std::vector<ListedEntry> entries;  // sorted by key
  bool truncated = false;            // more than `limit` entries exist
};

// Every greylist entry, at most `limit` of them.
ListResult ListEntries(store::Store& store, size_t limit, Deadline deadline);

// Builds the triplet `show`/`delete` look up. Nullopt with `error` when the
// client is not an IP address.
std::optional<Triplet> MakeTriplet(const AdminTripletOptions& options, const std::string& client,
                                   const std::string& sender, const std::string& recipient,
                                   std::string* error);

struct ShowResult {
  store::Status status = store::Status::kUnavailable;  // of the triplet
  std::string error;
  std::string key;
  std::optional<ListedEntry> triplet;  // present when kOk
  std::optional<ListedEntry> counter;  // the network's pass count, if any
  std::optional<ListedEntry> allow;    // the network's manual entry, if any
};

ShowResult ShowTriplet(store::Store& store, const Triplet& triplet, Deadline deadline);

store::WriteResult DeleteTriplet(store::Store& store, const Triplet& triplet, Deadline deadline);

struct DeleteNetworkResult {
  store::Status status = store::Status::kUnavailable;  // kNotFound: nothing deleted
  std::string error;
  size_t deleted = 0;
};
// Deletes the network's triplets, pass counter and manual entry.
DeleteNetworkResult DeleteNetwork(store::Store& store, const std::string& network,
                                  Deadline deadline);

// A manual allowlist entry for `network` ("192.0.2.0/24"), `ttl` long.
store::WriteResult AllowNetwork(store::Store& store, const std::string& network, store::Ttl ttl,
                                store::Clock::time_point now, Deadline deadline);
store::WriteResult UnallowNetwork(store::Store& store, const std::string& network,
                                  Deadline deadline);

}  // namespace portcullis::greylist
