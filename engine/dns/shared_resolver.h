// The process's one resolver, shared by every Snapshot that asks for the
// same ResolverOptions: a reload that leaves the `dns` section alone keeps the
// warm cache and the loop thread; a reload that changes it gets a new
// resolver, and the old one lives until the last Snapshot using it is gone.
//
// Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "portcullis/dns.h"

namespace portcullis::dns {

// Returns nullptr with `error` set when the options are unusable.
std::shared_ptr<Resolver> AcquireSharedResolver(const ResolverOptions& options,
                                                prometheus::Registry* metrics,
                                                std::string* error);

}  // namespace portcullis::dns
