#include "dkim_options.h"

#include <string>

namespace portcullis::dkim {
namespace {

// Below 100 ms no DNS server answers; above 2 minutes the MTA gave up.
constexpr int64_t kMinKeyTimeoutMs = 100;
constexpr int64_t kMaxKeyTimeoutMs = 120000;

std::optional<DkimResult> ParseResult(std::string_view name) {
  for (size_t i = 0; i < kResultKinds; ++i) {
    const auto result = static_cast<DkimResult>(i);
    if (DkimResultName(result) == name) return result;
  }
  return std::nullopt;
}

}  // namespace

DkimOptions DefaultDkimOptions() {
  DkimOptions options;
  // A pass is mild evidence of a real sender; a fail of tampering or
  // forgery, but mailing lists break signatures, so it is not decisive.
  options.scores.fill(0);
  options.scores[static_cast<size_t>(DkimResult::kPass)] = -1;
  options.scores[static_cast<size_t>(DkimResult::kFail)] = 2;
  options.scores[static_cast<size_t>(DkimResult::kPermerror)] = 0.5;
  return options;
}

std::shared_ptr<const DkimOptions> ReadDkimOptions(ConfigReader& reader) {
  auto options = std::make_shared<DkimOptions>(DefaultDkimOptions());
  bool ok = true;
  options->verifier.max_signatures = static_cast<size_t>(
      reader.Integer("max_signatures", static_cast<int64_t>(kDefaultMaxSignatures), 1,
                     static_cast<int64_t>(kMaxMaxSignatures)));
  options->verifier.key_timeout = std::chrono::milliseconds(reader.Integer(
      "key_timeout_ms", options->verifier.key_timeout.count(), kMinKeyTimeoutMs, kMaxKeyTimeoutMs));
  for (const auto& [name, score] : reader.NumberMap("scores")) {
    if (name == "none") {
      options->none_score = score;
    } else if (name == "too_many_signatures") {
      options->too_many_signatures_score = score;
    } else if (auto result = ParseResult(name)) {
      options->scores[static_cast<size_t>(*result)] = score;
    } else {
      reader.Error("scores", "unknown key '" + name +
                                 "' (want pass, fail, neutral, policy, temperror, permerror, "
                                 "none or too_many_signatures)");
      ok = false;
    }
  }
  if (!ok) return nullptr;
  return options;
}

}  // namespace portcullis::dkim
