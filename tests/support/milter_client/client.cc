#include "client.h"

#include <cstdio>
#include <utility>

namespace portcullis::milterclient {
namespace {

using Clock = std::chrono::steady_clock;

std::string JoinArgs(const std::string& first, const std::vector<std::string>& args) {
  std::string payload;
  AppendCString(&payload, first);
  for (const std::string& arg : args) AppendCString(&payload, arg);
  return payload;
}

char FamilyOf(const std::string& ip) {
  if (ip.empty()) return SMFIA_UNKNOWN;
  if (ip.front() == '/') return SMFIA_UNIX;
  if (ip.find(':') != std::string::npos) return SMFIA_INET6;
  return SMFIA_INET;
}

}  // namespace

const char* StageName(Stage stage) {
  switch (stage) {
    case Stage::kConnect: return "connect";
    case Stage::kHelo: return "helo";
    case Stage::kMail: return "mail";
    case Stage::kRcpt: return "rcpt";
    case Stage::kData: return "data";
    case Stage::kHeader: return "header";
    case Stage::kEoh: return "eoh";
    case Stage::kBody: return "body";
    case Stage::kEom: return "eom";
  }
  return "?";
}

Client Client::Connect(const std::string& address, const Options& options) {
  return Client(Transport::Connect(address, options));
}

Client Client::Adopt(int fd, const Options& options) {
  return Client(Transport::Adopt(fd, options));
}

const Negotiated& Client::Negotiate(uint32_t offered_actions, uint32_t offered_protocol,
                                    uint32_t version) {
  std::string payload;
  AppendUint32(&payload, version);
  AppendUint32(&payload, offered_actions);
  AppendUint32(&payload, offered_protocol);
  transport_.WritePacket(SMFIC_OPTNEG, payload);
  const Packet packet = transport_.ReadPacket("reply to " + CommandName(SMFIC_OPTNEG));
  if (packet.command != SMFIC_OPTNEG) {
    throw MilterError("option negotiation: filter answered " + CommandName(packet.command));
  }
  PayloadReader reader(packet.payload);
  Negotiated result;
  if (!reader.ReadUint32(&result.version) || !reader.ReadUint32(&result.actions) ||
      !reader.ReadUint32(&result.protocol)) {
    throw MilterError("option negotiation: short SMFIC_OPTNEG reply");
  }
  // Version 6 may append (stage, "macro names") pairs: smfi_setsymlist().
  while (!reader.empty()) {
    uint32_t stage = 0;
    std::string names;
    if (!reader.ReadUint32(&stage) || !reader.ReadCString(&names)) {
      throw MilterError("option negotiation: malformed macro list");
    }
    result.macro_lists[stage] = std::move(names);
  }
  if (result.version == 0) throw MilterError("option negotiation: filter sent version 0");
  // A filter may not ask for protocol steps the MTA did not offer; Postfix
  // and Sendmail both refuse such a filter, so the test client does too.
  // SMFI_INTERNAL bits are libmilter's business (e.g. the MDS size bits).
  const uint32_t unasked = result.protocol & ~offered_protocol & ~static_cast<uint32_t>(SMFI_INTERNAL);
  if (unasked != 0) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%x", unasked);
    throw MilterError(std::string("option negotiation: filter requested protocol bits not offered: ") +
                      hex);
  }
  negotiated_ = std::move(result);
  return negotiated_;
}

// The SMFIC_MACRO packet for a stage, or "" when there are no macros.
static std::string MacroWire(char stage_command, const Macros& macros) {
  if (macros.empty()) return "";
  std::string payload(1, stage_command);
  for (const auto& [name, value] : macros) {
    AppendCString(&payload, name);
    AppendCString(&payload, value);
  }
  return EncodePacket(SMFIC_MACRO, payload);
}

void Client::SendMacros(char stage_command, const Macros& macros) {
  if (!macros.empty()) transport_.WriteWire(MacroWire(stage_command, macros), SMFIC_MACRO);
}

Reply Client::AwaitReply(char command) {
  Reply reply;
  reply.command = command;
  const std::string waiting_for = "reply to " + CommandName(command);
  // Each packet read gets a fresh timeout, so SMFIR_PROGRESS keeps a slow
  // filter alive exactly as it does with a real MTA.
  while (!ApplyReplyPacket(transport_.ReadPacket(waiting_for), &reply)) {
  }
  return reply;
}

Reply Client::RunStage(char command, const std::string& payload, const Macros& macros,
                       uint32_t skip_flag, uint32_t no_reply_flag) {
  Reply reply;
  reply.command = command;
  if (skip_flag != 0 && negotiated_.Has(skip_flag)) return reply;  // kNotSent.
  // Macros and command leave in one write, as from Postfix's stream buffer.
  const std::string wire = MacroWire(command, macros) + EncodePacket(command, payload);
  const auto start = Clock::now();
  transport_.WriteWire(wire, command);
  if (no_reply_flag != 0 && negotiated_.Has(no_reply_flag)) {
    // No reply is due, but a filter may still answer (libmilter does when a
    // callback returns something other than SMFIS_NOREPLY); take it if it is
    // already here rather than misreading it as the next stage's reply.
    if (auto packet = transport_.TryReadPacket()) {
      Reply early;
      early.command = command;
      if (ApplyReplyPacket(*packet, &early)) {
        early.latency = Clock::now() - start;
        return early;
      }
    }
    reply.verdict = Verdict::kNoReply;
    return reply;
  }
  reply = AwaitReply(command);
  reply.latency = Clock::now() - start;
  return reply;
}

Reply Client::SendConnect(const std::string& hostname, const std::string& ip, uint16_t port,
                          const Macros& macros) {
  std::string payload;
  AppendCString(&payload, hostname);
  const char family = FamilyOf(ip);
  payload.push_back(family);
  if (family != SMFIA_UNKNOWN) {
    AppendUint16(&payload, family == SMFIA_UNIX ? 0 : port);
    AppendCString(&payload, ip);
  }
  return RunStage(SMFIC_CONNECT, payload, macros, SMFIP_NOCONNECT, SMFIP_NR_CONN);
}

Reply Client::SendHelo(const std::string& helo, const Macros& macros) {
  std::string payload;
  AppendCString(&payload, helo);
  return RunStage(SMFIC_HELO, payload, macros, SMFIP_NOHELO, SMFIP_NR_HELO);
}

Reply Client::SendMail(const std::string& from, const Macros& macros,
                       const std::vector<std::string>& esmtp_args) {
  return RunStage(SMFIC_MAIL, JoinArgs(from, esmtp_args), macros, SMFIP_NOMAIL, SMFIP_NR_MAIL);
}

Reply Client::SendRcpt(const std::string& rcpt, const Macros& macros,
                       const std::vector<std::string>& esmtp_args) {
  return RunStage(SMFIC_RCPT, JoinArgs(rcpt, esmtp_args), macros, SMFIP_NORCPT, SMFIP_NR_RCPT);
}

Reply Client::SendData(const Macros& macros) {
  return RunStage(SMFIC_DATA, "", macros, SMFIP_NODATA, SMFIP_NR_DATA);
}

Reply Client::SendHeader(const std::string& name, const std::string& value) {
  std::string payload;
  AppendCString(&payload, name);
  AppendCString(&payload, value);
  return RunStage(SMFIC_HEADER, payload, {}, SMFIP_NOHDRS, SMFIP_NR_HDR);
}

Reply Client::SendEndOfHeaders(const Macros& macros) {
  return RunStage(SMFIC_EOH, "", macros, SMFIP_NOEOH, SMFIP_NR_EOH);
}

Reply Client::SendBodyChunk(std::string_view chunk) {
  return RunStage(SMFIC_BODY, std::string(chunk), {}, SMFIP_NOBODY, SMFIP_NR_BODY);
}

Reply Client::SendBody(std::string_view body, size_t chunk_size) {
  if (chunk_size == 0 || chunk_size > MILTER_CHUNK_SIZE) chunk_size = MILTER_CHUNK_SIZE;
  Reply last;
  last.command = SMFIC_BODY;
  if (negotiated_.Has(SMFIP_NOBODY)) return last;  // kNotSent.
  for (size_t offset = 0; offset < body.size(); offset += chunk_size) {
    last = SendBodyChunk(body.substr(offset, chunk_size));
    if (last.verdict != Verdict::kContinue && last.verdict != Verdict::kNoReply) break;
  }
  return last;
}

Reply Client::SendEndOfMessage(const Macros& macros) {
  return RunStage(SMFIC_BODYEOB, "", macros, 0, 0);
}

Reply Client::SendUnknown(const std::string& command, const Macros& macros) {
  std::string payload;
  AppendCString(&payload, command);
  return RunStage(SMFIC_UNKNOWN, payload, macros, SMFIP_NOUNKNOWN, SMFIP_NR_UNKN);
}

void Client::SendAbort() { transport_.WritePacket(SMFIC_ABORT, ""); }

void Client::SendQuit() {
  transport_.WritePacket(SMFIC_QUIT, "");
  transport_.Close();
}

void Client::SendQuitNewConnection() {
  // libmilter keeps the negotiated options; the next command is a connect.
  transport_.WritePacket(SMFIC_QUIT_NC, "");
}

}  // namespace portcullis::milterclient
