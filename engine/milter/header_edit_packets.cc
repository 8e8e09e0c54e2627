#include "milter/header_edit_packets.h"

#include <libmilter/mfdef.h>

#include <cstdint>
#include <string_view>

namespace portcullis {
namespace {

void AppendUint32(uint32_t value, std::string* out) {
  out->push_back(static_cast<char>(value >> 24));
  out->push_back(static_cast<char>(value >> 16));
  out->push_back(static_cast<char>(value >> 8));
  out->push_back(static_cast<char>(value));
}

// libmilter takes C strings: whatever follows a NUL never reaches the MTA.
std::string_view UpToNul(const std::string& text) {
  return std::string_view(text).substr(0, text.find('\0'));
}

}  // namespace

void AppendReplyPacket(char command, std::string_view payload, std::string* out) {
  AppendUint32(static_cast<uint32_t>(payload.size() + 1), out);
  out->push_back(command);
  out->append(payload);
}

bool AppendHeaderEditPacket(const HeaderEdit& edit, bool leading_space, std::string* out) {
  const std::string_view name = UpToNul(edit.name);
  if (name.empty()) return false;
  char command = SMFIR_ADDHEADER;
  int index = -1;  // none
  switch (edit.kind) {
    case HeaderEdit::Kind::kAppend: break;
    case HeaderEdit::Kind::kInsert:
      command = SMFIR_INSHEADER;
      index = edit.index < 0 ? 0 : edit.index;
      break;
    case HeaderEdit::Kind::kDelete:
      if (edit.index < 0) return false;
      command = SMFIR_CHGHEADER;
      index = edit.index;
      break;
  }
  const bool has_value = edit.kind != HeaderEdit::Kind::kDelete;
  const std::string_view value = has_value ? UpToNul(edit.value) : std::string_view();
  const bool space = has_value && leading_space;
  const size_t length =
      1 + (index >= 0 ? 4 : 0) + name.size() + 1 + (space ? 1 : 0) + value.size() + 1;
  AppendUint32(static_cast<uint32_t>(length), out);
  out->push_back(command);
  if (index >= 0) AppendUint32(static_cast<uint32_t>(index), out);
  out->append(name).push_back('\0');
  if (space) out->push_back(' ');
  out->append(value).push_back('\0');
  return true;
}

}  // namespace portcullis
