// Whole-message helpers of Client: the command sequence an MTA sends for one
// SMTP session / transaction, and the early-exit rules when a stage answers
// something other than continue (Postfix and Sendmail behave alike here).
#include "client.h"

namespace portcullis::milterclient {
namespace {

// Records `reply` for `stage`; returns true if the message should go on.
bool Record(MessageResult* result, Stage stage, const Reply& reply) {
  result->stages.push_back({stage, reply});
  if (reply.proceeds()) return true;
  result->final_stage = stage;
  result->final = reply;
  return false;
}

bool IsRecipientRefusal(Verdict verdict) {
  return verdict == Verdict::kReject || verdict == Verdict::kTempfail ||
         verdict == Verdict::kReplyCode;
}

}  // namespace

MessageResult Client::SendSessionStart(const Envelope& envelope) {
  if (!is_negotiated()) Negotiate();
  MessageResult result;
  result.final_stage = Stage::kHelo;
  result.final.verdict = Verdict::kContinue;
  if (!Record(&result, Stage::kConnect,
              SendConnect(envelope.client_hostname, envelope.client_ip, envelope.client_port,
                          envelope.connect_macros))) {
    return result;
  }
  Record(&result, Stage::kHelo, SendHelo(envelope.helo, envelope.helo_macros));
  return result;
}

MessageResult Client::SendTransaction(const Envelope& envelope, const ParsedMessage& message,
                                      size_t body_chunk) {
  if (!is_negotiated()) Negotiate();
  MessageResult result;
  // Any early verdict (accept included) ends the message; the MTA then sends
  // SMFIC_ABORT so the filter drops its per-message state, as Postfix does.
  auto end_early = [&]() -> MessageResult& {
    SendAbort();
    return result;
  };

  if (!Record(&result, Stage::kMail,
              SendMail(envelope.mail_from, envelope.mail_macros, envelope.mail_args))) {
    return end_early();
  }

  int accepted = 0;
  for (const std::string& rcpt : envelope.rcpt_to) {
    const Reply reply = SendRcpt(rcpt, envelope.rcpt_macros);
    result.stages.push_back({Stage::kRcpt, reply});
    if (IsRecipientRefusal(reply.verdict)) {
      // Only this recipient is refused; the transaction goes on.
      ++result.rejected_recipients;
      result.final_stage = Stage::kRcpt;
      result.final = reply;
      continue;
    }
    if (!reply.proceeds()) {  // accept / discard / connfail end the message.
      result.final_stage = Stage::kRcpt;
      result.final = reply;
      return end_early();
    }
    ++accepted;
  }
  if (accepted == 0 && !envelope.rcpt_to.empty()) return end_early();

  if (!Record(&result, Stage::kData, SendData(envelope.data_macros))) return end_early();

  const bool leading_space = negotiated_.leading_space();
  if (!negotiated_.Has(SMFIP_NOHDRS)) {
    for (const MessageHeader& header : message.headers) {
      if (!Record(&result, Stage::kHeader,
                  SendHeader(header.name, WireHeaderValue(header.value, leading_space)))) {
        return end_early();
      }
    }
  }
  if (!Record(&result, Stage::kEoh, SendEndOfHeaders(envelope.eoh_macros))) return end_early();

  // A body skip is not an end: the MTA goes straight to end of message.
  if (!message.body.empty() &&
      !Record(&result, Stage::kBody, SendBody(message.body, body_chunk))) {
    return end_early();
  }

  const Reply eom = SendEndOfMessage(envelope.eom_macros);
  result.stages.push_back({Stage::kEom, eom});
  result.reached_eom = true;
  result.final_stage = Stage::kEom;
  result.final = eom;
  result.eom_latency = eom.latency;
  return result;
}

MessageResult Client::SendMessage(const Envelope& envelope, const ParsedMessage& message,
                                  size_t body_chunk) {
  MessageResult session = SendSessionStart(envelope);
  if (!session.final.proceeds()) return session;  // Connection-level verdict.
  MessageResult transaction = SendTransaction(envelope, message, body_chunk);
  transaction.stages.insert(transaction.stages.begin(), session.stages.begin(),
                            session.stages.end());
  return transaction;
}

MessageResult Client::SendMessage(const Envelope& envelope, const std::string& raw_rfc5322_message,
                                  size_t body_chunk) {
  return SendMessage(envelope, SplitMessage(raw_rfc5322_message), body_chunk);
}

}  // namespace portcullis::milterclient
