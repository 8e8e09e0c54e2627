// The on-disk cache of compiled Hyperscan databases, so that a restart or a
// reload with unchanged rules skips compiling (seconds for thousands of
// rules) and only deserialises (milliseconds).
//
// One file per database, named by its key (DatabaseKey: SHA-256 of the
// patterns, flags, Hyperscan version and platform), holding a short header
// and hs_serialize_database's bytes. Written atomically (temporary file,
// then rename) so a reader never sees half a file; a file that does not
// deserialise is treated as absent and overwritten. Files of old rule sets
// are left for the operator to prune (they are small and keyed, never
// wrong).
//
// A DatabaseCache is a value holding the directory; its methods are
// thread-safe (distinct processes may share the directory).
#pragma once

#include <hs/hs.h>

#include <string>

namespace portcullis::content {

class DatabaseCache {
 public:
  explicit DatabaseCache(std::string dir) : dir_(std::move(dir)) {}

  // The cached database for `key`, or nullptr when absent, stale or
  // corrupt (`note` then says which, for a warning; "" when simply absent).
  hs_database_t* Load(const std::string& key, std::string* note) const;
  // Stores `database` under `key`; false with `error` when the directory
  // cannot be written (the caller warns and carries on).
  bool Store(const std::string& key, const hs_database_t* database, std::string* error) const;

  std::string PathFor(const std::string& key) const;

 private:
  std::string dir_;
};

}  // namespace portcullis::content
