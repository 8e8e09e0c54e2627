// Reading the `store` section of the config into StoreOptions, with range
// checks; problems are reported through the reader as file:line errors.
//
// Runs while a Snapshot is built (single-threaded, like every ConfigReader).
#pragma once

#include "portcullis/config_value.h"
#include "portcullis/store_options.h"

namespace portcullis::store {

// `reader` is over the `store` table (or nothing: every default).
void ReadStoreOptions(ConfigReader reader, StoreOptions* options);

}  // namespace portcullis::store
