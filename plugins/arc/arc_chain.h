// The structure of an ARC chain (RFC 8617 5.1.1, 5.2 steps 1-3): the ARC
// fields of a header section grouped into sets by i=, each set complete
// and unique, instances contiguous from 1, the newest seal's cv= not
// "fail", instance 1 with cv=none and every later one with cv=pass. The
// cryptographic checks (steps 4-6) are arc_verifier.h's.
//
// Pure function over caller-owned headers; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "arc_fields.h"
#include "portcullis/transaction_info.h"

namespace portcullis::arc {

// One ARC set: indexes into the header list passed to CheckStructure.
struct ArcSet {
  size_t aar = 0;
  size_t ams = 0;
  size_t seal = 0;
  ArcSeal parsed_seal;
};

struct ChainStructure {
  enum class Outcome { kNone, kValid, kFail } outcome = Outcome::kNone;
  std::string reason;        // for kFail
  std::vector<ArcSet> sets;  // kValid: sets[0] is i=1
};

// `max_instances` (1..kMaxInstances): a chain with more sets fails.
ChainStructure CheckStructure(const std::vector<HeaderField>& headers, int max_instances);

}  // namespace portcullis::arc
