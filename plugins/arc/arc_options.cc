#include "arc_options.h"

#include <string>

namespace portcullis::arc {
namespace {

// Below 100 ms no DNS server answers; above 2 minutes the MTA gave up
// (the same bounds as the dkim check's key_timeout_ms).
constexpr int64_t kMinKeyTimeoutMs = 100;
constexpr int64_t kMaxKeyTimeoutMs = 120000;

}  // namespace

std::shared_ptr<const ArcOptions> ReadArcOptions(ConfigReader& reader) {
  auto options = std::make_shared<ArcOptions>();
  bool ok = true;
  options->chain.max_instances =
      static_cast<int>(reader.Integer("max_instances", kMaxInstances, 1, kMaxInstances));
  options->chain.key_timeout = std::chrono::milliseconds(reader.Integer(
      "key_timeout_ms", options->chain.key_timeout.count(), kMinKeyTimeoutMs, kMaxKeyTimeoutMs));
  for (const auto& [name, score] : reader.NumberMap("scores")) {
    if (name == "pass") {
      options->pass_score = score;
    } else if (name == "fail") {
      options->fail_score = score;
    } else if (name == "none") {
      options->none_score = score;
    } else if (name == "temperror") {
      options->temperror_score = score;
    } else {
      reader.Error("scores", "unknown key '" + name + "' (want pass, fail, none or temperror)");
      ok = false;
    }
  }
  if (!ok) return nullptr;
  return options;
}

}  // namespace portcullis::arc
