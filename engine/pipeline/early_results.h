// The pipeline's side of TransactionInfo::early: asks a check instance of the
// current message for its early result (CheckInstance::EarlyResult) and keeps
// what it gives, so that several recipients' decisions ask the check once.
//
// Owned by a Session's Transaction; used from that connection's callbacks
// only, one at a time.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "portcullis/check.h"
#include "portcullis/transaction_info.h"

namespace portcullis {

class PipelineEarlyResults : public EarlyResults {
 public:
  // `find` gives the message's instance of a check by name (null when the
  // check is not enabled); `info` the view of the transaction the asked
  // check receives, as of the current stage.
  PipelineEarlyResults(std::function<CheckInstance*(std::string_view)> find,
                       std::function<TransactionInfo()> info)
      : find_(std::move(find)), info_(std::move(info)) {}

  const CheckResult* Get(std::string_view check, Deadline deadline) override;

 private:
  std::function<CheckInstance*(std::string_view)> find_;
  std::function<TransactionInfo()> info_;
  // Node-based, so pointers handed out stay valid as entries are added.
  std::map<std::string, CheckResult, std::less<>> known_;
};

}  // namespace portcullis
