// Milter reply packets for the end of message, byte for byte what
// libmilter's smfi_chgheader, smfi_insheader, smfi_addheader and
// smfi_quarantine send and what it sends for SMFIS_ACCEPT, so that edits
// and verdict can leave in one write (see OnEndOfMessage).
#pragma once

#include <string>
#include <string_view>

#include "pipeline/session.h"

namespace portcullis {

// Appends one packet: 4-byte length of what follows, command, payload.
void AppendReplyPacket(char command, std::string_view payload, std::string* out);

// Appends one packet: 4-byte length, command, then for an insert or a
// change the 4-byte index, then "name\0value\0" (a delete has an empty
// value). Returns false, appending nothing, for an edit libmilter would
// refuse (empty name, negative occurrence).
bool AppendHeaderEditPacket(const HeaderEdit& edit, bool leading_space, std::string* out);

}  // namespace portcullis
