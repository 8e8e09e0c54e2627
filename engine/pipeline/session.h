// A Session is one MTA connection going through the pipeline: it turns SMTP
// stages into calls on the enabled checks, enforces the input limits, asks
// the policy for the verdict at end of message and says which header edits
// to make. It knows nothing of libmilter: the milter adapter drives it in the
// daemon, and `portcullis scan` drives it offline.
//
// Each message gets a fresh Transaction pinned to the Snapshot current at its
// start, with fresh check instances; connect and HELO are replayed to them.
// Abort ends the transaction, not the connection.
//
// Not thread-safe: one connection's stages arrive one at a time (libmilter
// serialises a connection's callbacks, though on different threads).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/snapshot.h"
#include "pipeline/report.h"

namespace portcullis {

struct StageReply {
  enum class Kind { kContinue, kAccept, kReject, kTempfail, kDiscard, kSkip };
  Kind kind = Kind::kContinue;
  std::string smtp_code;
  std::string enhanced_code;
  std::string text;
};

struct HeaderEdit {
  enum class Kind { kInsert, kAppend, kDelete };
  Kind kind = Kind::kAppend;
  std::string name;
  std::string value;  // without the leading space; the adapter adds it
  int index = 0;      // insert: position; delete: 1-based occurrence of name
};

struct EndOfMessageOutcome {
  Verdict verdict;
  Report report;
  std::vector<HeaderEdit> edits;
};

class Session {
 public:
  using SnapshotSource = std::function<std::shared_ptr<const Snapshot>()>;

  explicit Session(SnapshotSource snapshots);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The Snapshot the next transaction will use (for negotiation).
  std::shared_ptr<const Snapshot> CurrentSnapshot() const { return snapshots_(); }

  void SetMacro(std::string_view name, std::string_view value);
  StageReply Connect(ConnectionInfo info);
  StageReply Helo(std::string helo);
  StageReply MailFrom(std::string from);
  StageReply Rcpt(std::string recipient);
  StageReply Header(std::string name, std::string value);
  StageReply EndOfHeaders();
  StageReply Body(std::string_view chunk);
  // Offline only: the raw file bytes, for checks that look at what an MTA
  // would have normalised away. Call before EndOfMessage.
  void RawMessage(std::string_view raw);
  EndOfMessageOutcome EndOfMessage();
  void Abort();

  const ConnectionInfo& connection() const { return connection_; }

 private:
  struct Transaction;

  Transaction& Begin();
  void EndTransaction(const char* why);
  // `call(CheckInstance&)` returns std::optional<ActionRequest>; a template
  // rather than std::function because it runs for every header of every
  // message.
  template <typename Call>
  StageReply Dispatch(uint32_t stage, const Call& call);
  TransactionInfo Info() const;
  void NoteLimit(const char* limit, const char* symbol, const std::string& detail);
  std::vector<HeaderEdit> HeaderEdits(const Verdict& verdict, const Report& report) const;
  void LogSummary(const Verdict& verdict, const Report& report, double elapsed_ms) const;

  SnapshotSource snapshots_;
  ConnectionInfo connection_;
  std::unordered_map<std::string, std::string> macros_;
  bool connected_ = false;
  bool helo_seen_ = false;
  std::unique_ptr<Transaction> transaction_;
};

}  // namespace portcullis
