// The per-message state behind a Session: the pinned Snapshot, the check
// instances, the input-limit bookkeeping and the headers to remove.
// Internal to the pipeline; owned by its Session, single-threaded.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/early_results.h"
#include "pipeline/mime_fanout.h"
#include "pipeline/session.h"

namespace portcullis {

struct Session::Transaction {
  struct Instance {
    const EnabledCheck* check;
    std::unique_ptr<CheckInstance> instance;
    // Time spent in this check for this message. Kept in clock ticks: a
    // conversion to seconds at every stage showed up in the profile.
    std::chrono::steady_clock::duration elapsed{};
  };

  std::shared_ptr<const Snapshot> snapshot;
  MessageInfo message;
  std::vector<Instance> instances;
  // TransactionInfo::early, from MAIL FROM on.
  std::optional<PipelineEarlyResults> early;
  // The message's MIME parse, when some check asked for it (kStageMime).
  std::unique_ptr<MimeFanout> mime;
  // Hard outcomes for the policy at end of message.
  std::vector<std::pair<std::string, ActionRequest>> requests;
  // Rejects and tempfails already given at an early stage.
  std::vector<std::pair<std::string, ActionRequest>> refusals;
  std::vector<std::string> rejected_recipients;
  bool any_tempfailed = false;
  bool mail_seen = false;
  std::vector<Symbol> engine_symbols;  // input-limit findings
  int64_t header_count = 0;
  int64_t body_bytes = 0;
  bool body_limit_hit = false;
  bool header_limit_hit = false;
  // Occurrences (1-based, per lower-cased name) of headers we must delete
  // before delivery: forged Authentication-Results and our own headers.
  std::map<std::string, int> header_occurrences;
  std::vector<std::pair<std::string, int>> headers_to_delete;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::chrono::steady_clock::duration work{};  // engine and check work, no waiting
};

}  // namespace portcullis
