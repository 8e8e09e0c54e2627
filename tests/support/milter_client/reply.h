// Reply types: what a filter answered to one command.
//
// Reply carries the final verdict of a stage (continue, accept, reject, ...),
// the SMFIR_REPLYCODE text, how many SMFIR_PROGRESS packets arrived, the
// latency from sending the command to the final reply, and, for end of
// message, every modification the filter requested, in arrival order and also
// grouped by kind for easy assertions. ApplyReplyPacket() is the one place
// that decodes reply packets. Plain values; no threads.
#ifndef PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_REPLY_H_
#define PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_REPLY_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "framing.h"

namespace portcullis::milterclient {

enum class Verdict {
  kContinue,   // 'c'
  kAccept,     // 'a'
  kReject,     // 'r'
  kTempfail,   // 't'
  kDiscard,    // 'd'
  kReplyCode,  // 'y', text in Reply::reply_text
  kSkip,       // 's', only meaningful during body
  kConnFail,   // 'f'
  kShutdown,   // '4'
  kNoReply,    // Sent, but the filter negotiated SMFIP_NR_* for the stage.
  kNotSent,    // Not sent: the filter negotiated SMFIP_NO* for the stage.
};

const char* VerdictName(Verdict verdict);

struct HeaderChange {
  uint32_t index = 0;  // 'i' and 'm' only; 1-based occurrence for 'm'.
  std::string name;
  std::string value;
};

struct RecipientChange {
  std::string address;
  std::string esmtp_args;  // SMFIR_ADDRCPT_PAR ('2') only.
};

struct Modifications {
  std::vector<char> order;  // Every modification reply byte, as received.
  std::vector<HeaderChange> added_headers;     // 'h'
  std::vector<HeaderChange> inserted_headers;  // 'i'
  std::vector<HeaderChange> changed_headers;   // 'm' (empty value = delete)
  std::vector<RecipientChange> added_recipients;  // '+' and '2'
  std::vector<std::string> deleted_recipients;    // '-'
  std::optional<std::string> quarantine_reason;   // 'q'
  std::optional<std::string> new_sender;          // 'e'
  std::string new_sender_args;
  bool body_replaced = false;                     // 'b' seen
  std::string replacement_body;                   // Concatenated 'b' chunks.

  bool empty() const { return order.empty(); }
};

struct Reply {
  char command = 0;      // The command this answers (e.g. 'E').
  char code = 0;         // Final reply byte, 0 for kNoReply / kNotSent.
  Verdict verdict = Verdict::kNotSent;
  std::string reply_text;  // SMFIR_REPLYCODE payload, e.g. "550 5.7.1 no".
  int progress_count = 0;  // SMFIR_PROGRESS packets seen before the verdict.
  std::chrono::nanoseconds latency{0};  // Send to final reply.
  Modifications modifications;  // Filled at end of message.

  bool is_continue() const { return verdict == Verdict::kContinue; }
  // True if the message goes on after this reply (continue, no reply, skip).
  bool proceeds() const {
    return verdict == Verdict::kContinue || verdict == Verdict::kNoReply ||
           verdict == Verdict::kNotSent || verdict == Verdict::kSkip;
  }
};

// Folds one reply packet into `reply`. Returns true if it was final (a
// verdict), false for progress and modification packets. Throws MilterError
// for unknown or malformed packets.
bool ApplyReplyPacket(const Packet& packet, Reply* reply);

}  // namespace portcullis::milterclient

#endif  // PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_REPLY_H_
