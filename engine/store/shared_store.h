// Building the state store the `store` section names, and the process's
// one shared instance of it.
//
// AcquireSharedStore returns the store already open for the same options
// and state directory while any Snapshot still holds it, so a reload that
// leaves the section alone keeps the open LMDB environment (LMDB allows one
// per file per process) and Redis's warm connections. A reload that changes
// the LMDB options while the old store is alive keeps the old store for the
// same path (logged: the change takes effect after a restart).
//
// Thread-safe.
#pragma once

#include <prometheus/registry.h>

#include <memory>
#include <string>

#include "portcullis/store.h"
#include "portcullis/store_options.h"

namespace portcullis::store {

// The LMDB directory: options.lmdb.path, relative ones under `state_dir`.
std::string ResolveLmdbPath(const StoreOptions& options, const std::string& state_dir);

// A new store (with metrics when `metrics` is not null). nullptr with
// `error` naming the path or address when it cannot be opened.
std::shared_ptr<Store> MakeStore(const StoreOptions& options, const std::string& state_dir,
                                 prometheus::Registry* metrics, std::string* error);

std::shared_ptr<Store> AcquireSharedStore(const StoreOptions& options,
                                          const std::string& state_dir,
                                          prometheus::Registry* metrics, std::string* error);

}  // namespace portcullis::store
