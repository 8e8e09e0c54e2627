#include "reply.h"

#include <libmilter/mfdef.h>

#include "milter_error.h"

namespace portcullis::milterclient {
namespace {

[[noreturn]] void Malformed(const Packet& packet) {
  throw MilterError("malformed " + CommandName(packet.command) + " reply (" +
                    std::to_string(packet.payload.size()) + " payload bytes)");
}

HeaderChange ReadHeaderChange(const Packet& packet, bool indexed) {
  PayloadReader reader(packet.payload);
  HeaderChange change;
  if (indexed && !reader.ReadUint32(&change.index)) Malformed(packet);
  if (!reader.ReadCString(&change.name) || !reader.ReadCString(&change.value)) Malformed(packet);
  return change;
}

// Bytes after the string make the packet malformed, as Postfix's milter8
// client treats them.
std::string ReadOneString(const Packet& packet) {
  PayloadReader reader(packet.payload);
  std::string value;
  if (!reader.ReadCString(&value) || !reader.empty()) Malformed(packet);
  return value;
}

bool SetVerdict(Reply* reply, char code, Verdict verdict) {
  reply->code = code;
  reply->verdict = verdict;
  return true;
}

}  // namespace

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kContinue: return "continue";
    case Verdict::kAccept: return "accept";
    case Verdict::kReject: return "reject";
    case Verdict::kTempfail: return "tempfail";
    case Verdict::kDiscard: return "discard";
    case Verdict::kReplyCode: return "replycode";
    case Verdict::kSkip: return "skip";
    case Verdict::kConnFail: return "connfail";
    case Verdict::kShutdown: return "shutdown";
    case Verdict::kNoReply: return "noreply";
    case Verdict::kNotSent: return "notsent";
  }
  return "?";
}

bool ApplyReplyPacket(const Packet& packet, Reply* reply) {
  Modifications& mods = reply->modifications;
  switch (packet.command) {
    case SMFIR_CONTINUE: return SetVerdict(reply, packet.command, Verdict::kContinue);
    case SMFIR_ACCEPT: return SetVerdict(reply, packet.command, Verdict::kAccept);
    case SMFIR_REJECT: return SetVerdict(reply, packet.command, Verdict::kReject);
    case SMFIR_TEMPFAIL: return SetVerdict(reply, packet.command, Verdict::kTempfail);
    case SMFIR_DISCARD: return SetVerdict(reply, packet.command, Verdict::kDiscard);
    case SMFIR_SKIP: return SetVerdict(reply, packet.command, Verdict::kSkip);
    case SMFIR_CONN_FAIL: return SetVerdict(reply, packet.command, Verdict::kConnFail);
    case SMFIR_SHUTDOWN: return SetVerdict(reply, packet.command, Verdict::kShutdown);
    case SMFIR_REPLYCODE:
      reply->reply_text = ReadOneString(packet);
      return SetVerdict(reply, packet.command, Verdict::kReplyCode);
    case SMFIR_PROGRESS:
      ++reply->progress_count;
      return false;
    default:
      break;
  }
  // Everything else is a modification request.
  switch (packet.command) {
    case SMFIR_ADDHEADER: mods.added_headers.push_back(ReadHeaderChange(packet, false)); break;
    case SMFIR_INSHEADER: mods.inserted_headers.push_back(ReadHeaderChange(packet, true)); break;
    case SMFIR_CHGHEADER: mods.changed_headers.push_back(ReadHeaderChange(packet, true)); break;
    case SMFIR_ADDRCPT: mods.added_recipients.push_back({ReadOneString(packet), ""}); break;
    case SMFIR_ADDRCPT_PAR: {
      PayloadReader reader(packet.payload);
      RecipientChange change;
      if (!reader.ReadCString(&change.address)) Malformed(packet);
      reader.ReadCString(&change.esmtp_args);  // Args are optional.
      mods.added_recipients.push_back(std::move(change));
      break;
    }
    case SMFIR_DELRCPT: mods.deleted_recipients.push_back(ReadOneString(packet)); break;
    case SMFIR_QUARANTINE: mods.quarantine_reason = ReadOneString(packet); break;
    case SMFIR_CHGFROM: {
      PayloadReader reader(packet.payload);
      std::string sender;
      if (!reader.ReadCString(&sender)) Malformed(packet);
      reader.ReadCString(&mods.new_sender_args);
      mods.new_sender = std::move(sender);
      break;
    }
    case SMFIR_REPLBODY:
      mods.body_replaced = true;
      mods.replacement_body += packet.payload;
      break;
    default:
      throw MilterError("unexpected reply " + CommandName(packet.command) + " to " +
                        CommandName(reply->command));
  }
  mods.order.push_back(packet.command);
  return false;
}

}  // namespace portcullis::milterclient
