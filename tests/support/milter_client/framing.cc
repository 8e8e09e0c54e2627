#include "framing.h"

#include <libmilter/mfdef.h>

#include <cstdio>

#include "milter_error.h"

namespace portcullis::milterclient {

void AppendUint32(std::string* out, uint32_t value) {
  const char bytes[4] = {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
                         static_cast<char>(value >> 8), static_cast<char>(value)};
  out->append(bytes, 4);
}

void AppendUint16(std::string* out, uint16_t value) {
  const char bytes[2] = {static_cast<char>(value >> 8), static_cast<char>(value)};
  out->append(bytes, 2);
}

void AppendCString(std::string* out, std::string_view value) {
  out->append(value);
  out->push_back('\0');
}

std::string EncodePacket(char command, std::string_view payload) {
  std::string out;
  out.reserve(5 + payload.size());
  AppendUint32(&out, static_cast<uint32_t>(payload.size() + 1));
  out.push_back(command);
  out.append(payload);
  return out;
}

static uint32_t DecodeUint32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3];
}

bool PayloadReader::ReadUint32(uint32_t* value) {
  if (rest_.size() < 4) return false;
  *value = DecodeUint32(rest_.data());
  rest_.remove_prefix(4);
  return true;
}

bool PayloadReader::ReadCString(std::string* value) {
  const size_t nul = rest_.find('\0');
  if (nul == std::string_view::npos) return false;
  value->assign(rest_.substr(0, nul));
  rest_.remove_prefix(nul + 1);
  return true;
}

std::optional<Packet> PacketDecoder::Next() {
  if (buffered() < 4) return std::nullopt;
  const uint32_t length = DecodeUint32(buffer_.data() + consumed_);
  if (length == 0 || length > kMaxPacketLength) {
    throw MilterError("milter framing: invalid packet length " + std::to_string(length));
  }
  if (buffered() < 4 + size_t{length}) return std::nullopt;
  Packet packet;
  packet.command = buffer_[consumed_ + 4];
  packet.payload.assign(buffer_, consumed_ + 5, length - 1);
  consumed_ += 4 + length;
  // Compact lazily so a burst of small packets costs one memmove, not many.
  if (consumed_ == buffer_.size()) {
    buffer_.clear();
    consumed_ = 0;
  } else if (consumed_ > 64 * 1024) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  return packet;
}

std::string CommandName(char command) {
  const char* name = nullptr;
  switch (command) {
    case SMFIC_ABORT: name = "SMFIC_ABORT"; break;
    case SMFIC_BODY: name = "SMFIC_BODY"; break;
    case SMFIC_CONNECT: name = "SMFIC_CONNECT"; break;
    case SMFIC_MACRO: name = "SMFIC_MACRO"; break;
    case SMFIC_BODYEOB: name = "SMFIC_BODYEOB"; break;
    case SMFIC_HELO: name = "SMFIC_HELO"; break;
    case SMFIC_QUIT_NC: name = "SMFIC_QUIT_NC"; break;
    case SMFIC_HEADER: name = "SMFIC_HEADER"; break;
    case SMFIC_MAIL: name = "SMFIC_MAIL"; break;
    case SMFIC_EOH: name = "SMFIC_EOH"; break;
    case SMFIC_OPTNEG: name = "SMFIC_OPTNEG"; break;
    case SMFIC_QUIT: name = "SMFIC_QUIT"; break;
    case SMFIC_RCPT: name = "SMFIC_RCPT"; break;
    case SMFIC_DATA: name = "SMFIC_DATA"; break;
    default: break;  // 'U' is SMFIC_UNKNOWN; reply letters overlap commands.
  }
  char buf[48];
  if (name != nullptr) {
    std::snprintf(buf, sizeof buf, "%s ('%c')", name, command);
  } else if (command >= 0x20 && command < 0x7f) {
    std::snprintf(buf, sizeof buf, "'%c'", command);
  } else {
    std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned char>(command));
  }
  return buf;
}

}  // namespace portcullis::milterclient
