#include "arc_chain.h"

#include <array>
#include <optional>

namespace portcullis::arc {
namespace {

constexpr size_t kKinds = 3;

ChainStructure Fail(std::string reason) {
  ChainStructure out;
  out.outcome = ChainStructure::Outcome::kFail;
  out.reason = std::move(reason);
  return out;
}

std::string Named(ArcFieldKind kind, int instance) {
  return std::string(ArcFieldName(kind)) + " i=" + std::to_string(instance);
}

}  // namespace

ChainStructure CheckStructure(const std::vector<HeaderField>& headers, int max_instances) {
  // Slots per instance, per kind; kMaxInstances bounds the table whatever
  // the message says.
  std::array<std::array<std::optional<size_t>, kKinds>, kMaxInstances + 1> slots{};
  int highest = 0;
  bool any = false;
  for (size_t index = 0; index < headers.size(); ++index) {
    auto kind = ArcFieldKindOf(headers[index].name);
    if (!kind) continue;
    any = true;
    std::string error;
    auto instance = ParseInstance(*kind, headers[index].value, &error);
    if (!instance) {
      // RFC 8617 5.1.1: a set with an invalid instance makes the chain fail.
      return Fail(std::string(ArcFieldName(*kind)) + ": " + error);
    }
    if (*instance > max_instances) {
      return Fail("more than " + std::to_string(max_instances) + " ARC sets");
    }
    auto& slot = slots[static_cast<size_t>(*instance)][static_cast<size_t>(*kind)];
    // RFC 8617 5.1.1: exactly one field of each kind per instance.
    if (slot) return Fail("more than one " + Named(*kind, *instance));
    slot = index;
    if (*instance > highest) highest = *instance;
  }
  // RFC 8617 5.2 step 1: no ARC sets, arc=none.
  if (!any) return ChainStructure{};

  // Step 2: the newest seal reporting a failed chain ends evaluation.
  const auto& newest = slots[static_cast<size_t>(highest)];
  std::optional<ArcSeal> newest_seal;
  if (newest[static_cast<size_t>(ArcFieldKind::kSeal)]) {
    std::string error;
    newest_seal =
        ParseSeal(headers[*newest[static_cast<size_t>(ArcFieldKind::kSeal)]].value, &error);
    if (!newest_seal) return Fail(Named(ArcFieldKind::kSeal, highest) + ": " + error);
    if (newest_seal->cv == ChainValidation::kFail) {
      return Fail(Named(ArcFieldKind::kSeal, highest) + " says cv=fail");
    }
  }

  // Step 3: every instance 1..highest complete, cv= as 5.1.1 requires.
  ChainStructure out;
  out.outcome = ChainStructure::Outcome::kValid;
  for (int instance = 1; instance <= highest; ++instance) {
    const auto& set = slots[static_cast<size_t>(instance)];
    for (ArcFieldKind kind :
         {ArcFieldKind::kAuthResults, ArcFieldKind::kMessageSignature, ArcFieldKind::kSeal}) {
      if (!set[static_cast<size_t>(kind)]) return Fail(Named(kind, instance) + " missing");
    }
    ArcSet arc_set;
    arc_set.aar = *set[static_cast<size_t>(ArcFieldKind::kAuthResults)];
    arc_set.ams = *set[static_cast<size_t>(ArcFieldKind::kMessageSignature)];
    arc_set.seal = *set[static_cast<size_t>(ArcFieldKind::kSeal)];
    std::string error;
    auto seal = ParseSeal(headers[arc_set.seal].value, &error);
    if (!seal) return Fail(Named(ArcFieldKind::kSeal, instance) + ": " + error);
    if (seal->instance != instance) {
      return Fail(Named(ArcFieldKind::kSeal, instance) + ": inconsistent i=");
    }
    // RFC 8617 5.1.1: "The ARC Set with instance value of 1 MUST have a
    // Chain Validation Status of 'none'"; every later one 'pass'.
    const ChainValidation want = instance == 1 ? ChainValidation::kNone : ChainValidation::kPass;
    if (seal->cv != want) {
      return Fail(Named(ArcFieldKind::kSeal, instance) +
                  " has cv=" + std::string(ChainValidationName(seal->cv)) +
                  ", want cv=" + std::string(ChainValidationName(want)));
    }
    arc_set.parsed_seal = std::move(*seal);
    out.sets.push_back(std::move(arc_set));
  }
  return out;
}

}  // namespace portcullis::arc
