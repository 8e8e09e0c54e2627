// Conversion between the C++ Report/Verdict and the Lua tables the policy
// sees; documented for operators in lua/API.md.
//
// Operate on the given lua_State only; the report's lazily built fields
// keep their source in that state between PushReport and EndReport.
#pragma once

#include <map>
#include <string>

#include "pipeline/report.h"

struct lua_State;

namespace portcullis {

// Pushes the report table (see lua/API.md). score, requests and thresholds
// are filled at once; symbols, symbol, checks and envelope on first use,
// from `report` and `transaction`, which must stay alive until EndReport.
void PushReport(lua_State* L, const Report& report, const TransactionInfo& transaction,
                const std::map<std::string, double>& thresholds);

// Ends the policy call of the last PushReport: a report table kept by the
// policy no longer fills its unread fields (they stay nil).
void EndReport(lua_State* L);

// Reads the policy's return value at the top of the stack. On a malformed
// value returns false with the reason in `error`.
bool ReadVerdict(lua_State* L, Verdict* verdict, std::string* error);

}  // namespace portcullis
