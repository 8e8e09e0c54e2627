// Conversion between the C++ Report/Verdict and the Lua tables the policy
// sees; documented for operators in lua/API.md.
//
// Stateless; operate on the given lua_State only.
#pragma once

#include <map>
#include <string>

#include "pipeline/report.h"

struct lua_State;

namespace portcullis {

// Pushes the report table (see lua/API.md).
void PushReport(lua_State* L, const Report& report, const TransactionInfo& transaction,
                const std::map<std::string, double>& thresholds);

// Reads the policy's return value at the top of the stack. On a malformed
// value returns false with the reason in `error`.
bool ReadVerdict(lua_State* L, Verdict* verdict, std::string* error);

}  // namespace portcullis
