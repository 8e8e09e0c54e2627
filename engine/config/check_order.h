// Orders the enabled checks so that every check finishes after the checks it
// reads (Check::after()), keeping the config order otherwise.
//
// Pure function on the Snapshot being built; single-threaded.
#pragma once

#include <string>
#include <vector>

namespace portcullis {

struct EnabledCheck;

// Reorders `checks` in place. Returns "" or, for a cycle, an error naming
// the checks in it (the order is then left unchanged).
std::string OrderChecksByDependencies(std::vector<EnabledCheck>* checks);

}  // namespace portcullis
