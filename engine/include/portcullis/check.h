// The Check contract: how a check plugs into the pipeline.
//
// A Check is built once per config Snapshot from its options, is immutable
// after that and shared by every transaction (so it must be thread-safe for
// concurrent calls to NewInstance). For every message the pipeline asks it
// for a CheckInstance, which holds that message's state and receives the SMTP
// stages it declared in stages(). An instance is used by one transaction at a
// time; its calls may come from different threads but never concurrently.
//
// Shape after postscreen and maddy: start work at the earliest stage that has
// its inputs, and retrieve it in Finish() at end of message, bounded by the
// transaction's deadline. Errors become results (temperror, permerror) with
// symbols; a check never throws on network or message input.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/check_result.h"
#include "portcullis/deadline.h"
#include "portcullis/mime.h"
#include "portcullis/transaction_info.h"

namespace portcullis {

// The SMTP stages a check can ask for. Only the stages some enabled check
// wants are negotiated with the MTA.
enum Stage : uint32_t {
  kStageConnect = 1u << 0,
  kStageHelo = 1u << 1,
  kStageMailFrom = 1u << 2,
  kStageRcpt = 1u << 3,
  kStageHeader = 1u << 4,
  kStageEndOfHeaders = 1u << 5,
  kStageBody = 1u << 6,
  // The engine's MIME parse of headers and body (portcullis/mime.h),
  // delivered to CheckInstance::MimeSink(). Implies headers and body.
  kStageMime = 1u << 7,
};
using StageMask = uint32_t;

class CheckInstance {
 public:
  virtual ~CheckInstance() = default;

  // Early stages may return a hard outcome; the pipeline then replies to the
  // MTA at once (a reject at RCPT TO rejects that recipient only).
  // OnConnect and OnHelo are also replayed for every later message on the
  // same connection, because each message gets fresh instances.
  virtual std::optional<ActionRequest> OnConnect(const TransactionInfo&) {
    return std::nullopt;
  }
  virtual std::optional<ActionRequest> OnHelo(const TransactionInfo&) {
    return std::nullopt;
  }
  virtual std::optional<ActionRequest> OnMailFrom(const TransactionInfo&) {
    return std::nullopt;
  }
  virtual std::optional<ActionRequest> OnRcpt(const TransactionInfo&,
                                              std::string_view recipient) {
    (void)recipient;
    return std::nullopt;
  }
  // `value` is exactly what the MTA sent (see HeaderField).
  virtual void OnHeader(const TransactionInfo&, std::string_view name,
                        std::string_view value) {
    (void)name;
    (void)value;
  }
  virtual void OnEndOfHeaders(const TransactionInfo&) {}
  // Body bytes in arrival order; chunk boundaries are arbitrary.
  virtual void OnBody(const TransactionInfo&, std::string_view chunk) {
    (void)chunk;
  }
  // Offline scans only (`portcullis scan`): the message file's raw bytes,
  // before any MTA normalisation, delivered after the body and before
  // Finish(). Checks that look for what an MTA would repair use it.
  virtual void OnRawMessage(const TransactionInfo&, std::string_view raw) { (void)raw; }
  // With kStageMime: where this message's MIME events go (owned by the
  // instance, alive until Finish). Events arrive between the header and body
  // stages that cause them; the last ones before Finish().
  virtual mime::Sink* MimeSink() { return nullptr; }
  // End of message: the result, waiting for outstanding work no later than
  // `deadline` (what is still outstanding then becomes a temperror).
  virtual CheckResult Finish(const TransactionInfo&, Deadline deadline) = 0;
  // Before end of message (from MAIL FROM on): the result this check can
  // already give from the envelope, waiting for outstanding work no later
  // than `deadline`; nullopt when it has none yet or never gives one early.
  // Another check reads it through TransactionInfo::early. Finish() still
  // gives the final result.
  virtual std::optional<CheckResult> EarlyResult(const TransactionInfo&, Deadline deadline) {
    (void)deadline;
    return std::nullopt;
  }
};

class Check {
 public:
  virtual ~Check() = default;
  virtual StageMask stages() const = 0;
  virtual std::unique_ptr<CheckInstance> NewInstance() const = 0;
  // Names of checks whose results this one reads at end of message
  // (TransactionInfo::finished): when enabled, they finish before it.
  // Whether they are enabled is the operator's choice; a check must cope
  // with their absence.
  virtual std::vector<std::string> after() const { return {}; }
  // Called once when the daemon starts serving with this check (not on
  // reload, not in offline commands): environment warnings, self-tests.
  virtual void SelfTest() const {}
};

}  // namespace portcullis
