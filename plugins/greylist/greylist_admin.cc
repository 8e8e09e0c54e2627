#include "greylist_admin.h"

#include <algorithm>
#include <charconv>

#include "greylist_decide.h"

namespace portcullis::greylist {
namespace {

ListedEntry Describe(std::string_view key, const store::Entry& entry) {
  ListedEntry out;
  out.key = std::string(key);
  out.raw = entry.value;
  out.expires = entry.expires;
  const std::string_view counter = kCounterPrefix;
  const std::string_view allow = kAllowPrefix;
  if (std::optional<Triplet> triplet = ParseTripletKey(key)) {
    out.kind = ListedEntry::Kind::kTriplet;
    out.network = triplet->network;
    out.triplet = std::move(*triplet);
    out.value = DecodeTriplet(entry.value);
  } else if (key.starts_with(counter)) {
    out.kind = ListedEntry::Kind::kCounter;
    out.network = std::string(key.substr(counter.size()));
    const std::string& text = entry.value;
    std::from_chars(text.data(), text.data() + text.size(), out.passes);
  } else if (key.starts_with(allow)) {
    out.kind = ListedEntry::Kind::kAllow;
    out.network = std::string(key.substr(allow.size()));
    out.added_at = DecodeAllow(entry.value).value_or(0);
  }
  return out;
}

std::optional<ListedEntry> Fetch(store::Store& store, const std::string& key, Deadline deadline,
                                 store::Status* status, std::string* error) {
  store::GetResult got = store.Get(key, deadline);
  *status = got.status;
  if (got.status == store::Status::kUnavailable) *error = got.error;
  if (got.status != store::Status::kOk) return std::nullopt;
  return Describe(key, got.entry);
}

}  // namespace

ListResult ListEntries(store::Store& store, size_t limit, Deadline deadline) {
  ListResult result;
  store::WriteResult scanned = store.Scan(
      kKeyPrefix,
      [&](std::string_view key, const store::Entry& entry) {
        if (result.entries.size() == limit) {
          result.truncated = true;
          return false;
        }
        result.entries.push_back(Describe(key, entry));
        return true;
      },
      deadline);
  result.status = scanned.status;
  result.error = scanned.error;
  std::sort(result.entries.begin(), result.entries.end(),
            [](const ListedEntry& a, const ListedEntry& b) { return a.key < b.key; });
  return result;
}

std::optional<Triplet> MakeTriplet(const AdminTripletOptions& options, const std::string& client,
                                   const std::string& sender, const std::string& recipient,
                                   std::string* error) {
  std::optional<IpAddress> address = IpAddress::Parse(client);
  if (!address) {
    *error = "--client '" + client + "' is not an IP address";
    return std::nullopt;
  }
  Triplet triplet;
  triplet.network = ClientNetwork(*address, options.ipv4_prefix, options.ipv6_prefix);
  triplet.sender = NormaliseSender(sender, options.sender);
  triplet.recipient =
      NormaliseRecipient(recipient, options.recipient_strip_subaddress, options.sender.separators);
  return triplet;
}

ShowResult ShowTriplet(store::Store& store, const Triplet& triplet, Deadline deadline) {
  ShowResult result;
  result.key = TripletKey(triplet);
  result.triplet = Fetch(store, result.key, deadline, &result.status, &result.error);
  if (result.status == store::Status::kUnavailable) return result;
  store::Status status;
  std::string error;
  result.counter = Fetch(store, CounterKey(triplet.network), deadline, &status, &error);
  result.allow = Fetch(store, AllowKey(triplet.network), deadline, &status, &error);
  return result;
}

store::WriteResult DeleteTriplet(store::Store& store, const Triplet& triplet, Deadline deadline) {
  return store.Delete(TripletKey(triplet), deadline);
}

DeleteNetworkResult DeleteNetwork(store::Store& store, const std::string& network,
                                  Deadline deadline) {
  DeleteNetworkResult result;
  std::vector<std::string> keys;
  store::WriteResult scanned = store.Scan(
      NetworkTripletPrefix(network),
      [&](std::string_view key, const store::Entry&) {
        keys.emplace_back(key);
        return true;
      },
      deadline);
  if (scanned.status == store::Status::kUnavailable) {
    result.error = scanned.error;
    return result;
  }
  keys.push_back(CounterKey(network));
  keys.push_back(AllowKey(network));
  for (const std::string& key : keys) {
    store::WriteResult deleted = store.Delete(key, deadline);
    if (deleted.status == store::Status::kUnavailable) {
      result.error = deleted.error;
      return result;
    }
    if (deleted.status == store::Status::kOk) ++result.deleted;
  }
  result.status = result.deleted > 0 ? store::Status::kOk : store::Status::kNotFound;
  return result;
}

store::WriteResult AllowNetwork(store::Store& store, const std::string& network, store::Ttl ttl,
                                store::Clock::time_point now, Deadline deadline) {
  return store.Put(AllowKey(network), EncodeAllow(UnixSeconds(now)), ttl, deadline);
}

store::WriteResult UnallowNetwork(store::Store& store, const std::string& network,
                                  Deadline deadline) {
  return store.Delete(AllowKey(network), deadline);
}

}  // namespace portcullis::greylist
