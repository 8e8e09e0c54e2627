// Milter wire framing: encoding and incremental decoding of packets.
//
// A milter packet is a 4-byte big-endian length (which counts the command
// byte), one command/reply byte, then the payload. Strings inside payloads are
// NUL-terminated and integers are big-endian. These helpers are pure functions
// and a small buffer-owning decoder; nothing here touches a socket. Not
// thread-safe: each PacketDecoder belongs to one connection.
#ifndef PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_FRAMING_H_
#define PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_FRAMING_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portcullis::milterclient {

// Bigger than any legal packet (bodies are chunked at 64 KiB, 1 MiB with
// SMFIP_MDS_1M) so a corrupt length is caught instead of allocating gigabytes.
inline constexpr uint32_t kMaxPacketLength = 4u * 1024u * 1024u;

struct Packet {
  char command = 0;
  std::string payload;
};

// Returns the full wire image (length, command, payload) of one packet.
std::string EncodePacket(char command, std::string_view payload);

void AppendUint32(std::string* out, uint32_t value);
void AppendUint16(std::string* out, uint16_t value);
// Appends `value` followed by a NUL terminator.
void AppendCString(std::string* out, std::string_view value);

// Reads fields from a payload front to back; every getter returns false (and
// consumes nothing) when the payload is too short or lacks a terminator.
class PayloadReader {
 public:
  explicit PayloadReader(std::string_view payload) : rest_(payload) {}

  bool ReadUint32(uint32_t* value);
  bool ReadCString(std::string* value);
  std::string_view Rest() const { return rest_; }
  bool empty() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

// Accumulates bytes from a stream and yields complete packets.
class PacketDecoder {
 public:
  void Append(const char* data, size_t size) { buffer_.append(data, size); }
  // Returns the next complete packet, or nullopt if more bytes are needed.
  // Throws MilterError on a zero or oversized length.
  std::optional<Packet> Next();
  size_t buffered() const { return buffer_.size() - consumed_; }

 private:
  std::string buffer_;
  size_t consumed_ = 0;  // Offset of the first undecoded byte in buffer_.
};

// Printable name for a command or reply byte, for error messages.
std::string CommandName(char command);

}  // namespace portcullis::milterclient

#endif  // PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_FRAMING_H_
