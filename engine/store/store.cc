#include "portcullis/store.h"

namespace portcullis::store {

std::string_view StatusName(Status status) {
  switch (status) {
    case Status::kOk:
      return "ok";
    case Status::kNotFound:
      return "not_found";
    case Status::kUnavailable:
      return "unavailable";
  }
  return "unavailable";
}

std::vector<GetResult> Store::GetMany(std::span<const std::string> keys, Deadline deadline) {
  std::vector<GetResult> results;
  results.reserve(keys.size());
  for (const std::string& key : keys) results.push_back(Get(key, deadline));
  return results;
}

std::vector<WriteResult> Store::PutMany(std::span<const PutRequest> entries, Deadline deadline) {
  std::vector<WriteResult> results;
  results.reserve(entries.size());
  for (const PutRequest& entry : entries) {
    results.push_back(Put(entry.key, entry.value, entry.ttl, deadline));
  }
  return results;
}

}  // namespace portcullis::store
