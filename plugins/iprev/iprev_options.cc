#include "iprev_options.h"

#include <string>

namespace portcullis::iprev {

std::string_view SymbolOf(IprevResult result) {
  switch (result) {
    case IprevResult::kPass: return "IPREV_PASS";
    case IprevResult::kFail: return "IPREV_FAIL";
    case IprevResult::kTempError: return "IPREV_TEMPERROR";
    case IprevResult::kPermError: return "IPREV_PERMERROR";
    case IprevResult::kNoPtr: return "IPREV_NO_PTR";
  }
  return "IPREV_TEMPERROR";
}

std::optional<IprevOptions> ReadIprevOptions(ConfigReader& reader) {
  IprevOptions options;
  bool ok = true;
  options.timeout = std::chrono::milliseconds(reader.Integer("timeout_ms", 5000, 100, 60000));
  for (const auto& [name, score] : reader.NumberMap("scores")) {
    bool known = false;
    for (size_t i = 0; i < kResultCount; ++i) {
      if (name == SymbolOf(static_cast<IprevResult>(i))) {
        known = true;
        options.scores[i] = score;
      }
    }
    if (!known) {
      reader.Error("scores", "unknown symbol '" + name +
                                 "' (IPREV_PASS, IPREV_FAIL, IPREV_NO_PTR, IPREV_PERMERROR, "
                                 "IPREV_TEMPERROR)");
      ok = false;
    } else if (score < kMinScore || score > kMaxScore) {
      reader.Error("scores", name + " must be between -100 and 100");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return options;
}

}  // namespace portcullis::iprev
