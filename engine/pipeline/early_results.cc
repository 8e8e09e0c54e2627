#include "pipeline/early_results.h"

namespace portcullis {

const CheckResult* PipelineEarlyResults::Get(std::string_view check, Deadline deadline) {
  if (auto it = known_.find(check); it != known_.end()) return &it->second;
  CheckInstance* instance = find_(check);
  if (!instance) return nullptr;
  // Not kept when absent: a later recipient may find it finished.
  std::optional<CheckResult> result = instance->EarlyResult(info_(), deadline);
  if (!result) return nullptr;
  return &known_.emplace(std::string(check), std::move(*result)).first->second;
}

}  // namespace portcullis
