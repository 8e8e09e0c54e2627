// Opening the LMDB environment of the state store: creates the directory,
// sets the map size and flags, opens the main database, and handles a data
// file LMDB cannot use (moved aside or refused, per recreate_when_corrupt).
//
// LmdbEnv owns the MDB_env (closed by the destructor). LMDB allows one
// environment per file per process; shared_store.h makes sure of that.
// Thread-safe after Open (LMDB's own rules: MDB_NOTLS lets any thread use
// any read transaction; writers are serialised across threads and processes
// by LMDB's lock file).
#pragma once

#include <lmdb.h>

#include <memory>
#include <string>

#include "portcullis/store_options.h"

namespace portcullis::store {

class LmdbEnv {
 public:
  // `path` is the directory, already resolved against the state directory.
  // Returns nullptr with `error` naming the path and what to do.
  static std::unique_ptr<LmdbEnv> Open(const LmdbOptions& options, const std::string& path,
                                       std::string* error);
  ~LmdbEnv();
  LmdbEnv(const LmdbEnv&) = delete;
  LmdbEnv& operator=(const LmdbEnv&) = delete;

  MDB_env* env() const { return env_; }
  MDB_dbi dbi() const { return dbi_; }
  const std::string& path() const { return path_; }

 private:
  LmdbEnv(MDB_env* env, MDB_dbi dbi, std::string path)
      : env_(env), dbi_(dbi), path_(std::move(path)) {}

  MDB_env* env_;
  MDB_dbi dbi_;
  std::string path_;
};

// The codes that mean "this file is not a usable LMDB database".
bool IsLmdbCorruption(int rc);

}  // namespace portcullis::store
