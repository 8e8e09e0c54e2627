// Client: the MTA side of milter protocol version 6, for tests and benchmarks.
//
// One Client owns one connection to a filter. It negotiates options, records
// what the filter asked for (actions, SMFIP_* protocol flags, macro lists),
// and then honours that negotiation like Postfix does: stages the filter
// skipped (SMFIP_NO*) are not sent and return Verdict::kNotSent, stages it
// will not answer (SMFIP_NR_*) are not waited for and return kNoReply.
// SMFIR_PROGRESS restarts the read timeout; SMFIR_SKIP ends body sending.
// Every call blocks; failures throw MilterError. Not thread-safe: use one
// Client per thread.
#ifndef PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_CLIENT_H_
#define PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_CLIENT_H_

// mfapi.h brings SMFIF_* (actions) and mfdef.h (SMFIP_*, SMFIC_*, SMFIR_*)
// so callers can assert on negotiated bits by their libmilter names.
#include <libmilter/mfapi.h>
#include <libmilter/mfdef.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "message.h"
#include "milter_error.h"
#include "reply.h"
#include "transport.h"

namespace portcullis::milterclient {

// What Postfix 3.7 offers with milter_protocol = 6: every protocol bit
// (including the SMFIP_NR_* family and HDR_LEADSPC) and every action.
inline constexpr uint32_t kOfferAllActions = SMFI_CURR_ACTS;
inline constexpr uint32_t kOfferAllProtocol = SMFI_CURR_PROT;

struct Negotiated {
  uint32_t version = 0;
  uint32_t actions = 0;   // SMFIF_* the filter may use.
  uint32_t protocol = 0;  // SMFIP_* the filter asked for.
  std::map<uint32_t, std::string> macro_lists;  // Stage index -> "j {x} ...".

  bool Has(uint32_t smfip_flag) const { return (protocol & smfip_flag) != 0; }
  bool leading_space() const { return Has(SMFIP_HDR_LEADSPC); }
};

enum class Stage { kConnect, kHelo, kMail, kRcpt, kData, kHeader, kEoh, kBody, kEom };
const char* StageName(Stage stage);

struct StageReply {
  Stage stage;
  Reply reply;
};

struct MessageResult {
  std::vector<StageReply> stages;  // One entry per command considered.
  Stage final_stage = Stage::kEom;
  Reply final;           // EOM's reply, or the one that ended things early.
  bool reached_eom = false;
  int rejected_recipients = 0;
  std::chrono::nanoseconds eom_latency{0};  // Send EOB -> final reply.
};

class Client {
 public:
  using Options = TransportOptions;

  static Client Connect(const std::string& address, const Options& options = {});
  static Client Adopt(int fd, const Options& options = {});  // For tests.

  // SMFIC_OPTNEG. Throws if the filter answers with anything else.
  const Negotiated& Negotiate(uint32_t offered_actions = kOfferAllActions,
                              uint32_t offered_protocol = kOfferAllProtocol,
                              uint32_t version = SMFI_PROT_VERSION);
  const Negotiated& negotiated() const { return negotiated_; }
  bool is_negotiated() const { return negotiated_.version != 0; }

  // SMFIC_MACRO for `stage_command` (e.g. SMFIC_CONNECT); no reply expected.
  void SendMacros(char stage_command, const Macros& macros);

  // `ip` picks the family: "" unknown, starts with '/' unix, has ':' IPv6.
  Reply SendConnect(const std::string& hostname, const std::string& ip, uint16_t port,
                    const Macros& macros = {});
  Reply SendHelo(const std::string& helo, const Macros& macros = {});
  Reply SendMail(const std::string& from, const Macros& macros = {},
                 const std::vector<std::string>& esmtp_args = {});
  Reply SendRcpt(const std::string& rcpt, const Macros& macros = {},
                 const std::vector<std::string>& esmtp_args = {});
  Reply SendData(const Macros& macros = {});
  Reply SendHeader(const std::string& name, const std::string& value);
  Reply SendEndOfHeaders(const Macros& macros = {});
  Reply SendBodyChunk(std::string_view chunk);
  // Chunks `body` (chunk_size 0 = 65535); stops at the first reply that is
  // not continue/no-reply, e.g. kSkip, and returns it.
  Reply SendBody(std::string_view body, size_t chunk_size = 0);
  // SMFIC_BODYEOB; collects modification replies into the Reply.
  Reply SendEndOfMessage(const Macros& macros = {});
  Reply SendUnknown(const std::string& command, const Macros& macros = {});
  void SendAbort();
  void SendQuit();            // SMFIC_QUIT, then closes the socket.
  void SendQuitNewConnection();  // SMFIC_QUIT_NC: same socket, new session.

  // Whole-message helpers (client_message.cc). They negotiate with defaults
  // first if Negotiate() was not called, and never send SMFIC_QUIT.
  MessageResult SendMessage(const Envelope& envelope, const std::string& raw_rfc5322_message,
                            size_t body_chunk = 0);
  MessageResult SendMessage(const Envelope& envelope, const ParsedMessage& message,
                            size_t body_chunk = 0);
  // Connect + HELO only; for several transactions on one connection.
  MessageResult SendSessionStart(const Envelope& envelope);
  // MAIL .. EOM (or SMFIC_ABORT if a stage ended the message early).
  MessageResult SendTransaction(const Envelope& envelope, const ParsedMessage& message,
                                size_t body_chunk = 0);

  Transport& transport() { return transport_; }

 private:
  explicit Client(Transport transport) : transport_(std::move(transport)) {}
  // Sends a stage (after its macros) unless `skip_flag` was negotiated, then
  // waits for its reply unless `no_reply_flag` was negotiated.
  Reply RunStage(char command, const std::string& payload, const Macros& macros, uint32_t skip_flag,
                 uint32_t no_reply_flag);
  Reply AwaitReply(char command);

  Transport transport_;
  Negotiated negotiated_;
};

}  // namespace portcullis::milterclient

#endif  // PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_CLIENT_H_
