// Header edits as milter reply packets, byte for byte what libmilter's
// smfi_chgheader, smfi_insheader and smfi_addheader send, so that the edits
// and the verdict can leave in one TCP segment (see OnEndOfMessage).
#pragma once

#include <string>

#include "pipeline/session.h"

namespace portcullis {

// Appends one packet: 4-byte length, command, then for an insert or a
// change the 4-byte index, then "name\0value\0" (a delete has an empty
// value). Returns false, appending nothing, for an edit libmilter would
// refuse (empty name, negative occurrence).
bool AppendHeaderEditPacket(const HeaderEdit& edit, bool leading_space, std::string* out);

}  // namespace portcullis
