#include "fault.h"

#include <charconv>
#include <utility>

namespace portcullis::testing::dns_server {

namespace {

struct ModeName {
  std::string_view name;
  FaultMode mode;
};

constexpr ModeName kModes[] = {
    {"drop", FaultMode::kDrop},
    {"servfail", FaultMode::kServfail},
    {"refused", FaultMode::kRefused},
    {"truncate", FaultMode::kTruncate},
    {"wrong-id", FaultMode::kWrongId},
    {"wrong-question", FaultMode::kWrongQuestion},
    {"compression-loop", FaultMode::kCompressionLoop},
    {"short", FaultMode::kShort},
};

constexpr std::string_view kDelayPrefix = "delay-";

}  // namespace

std::string NormalizeName(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

std::string ParseFault(std::string_view spec, Fault* out) {
  const size_t eq = spec.rfind('=');
  if (eq == std::string_view::npos) {
    return "fault '" + std::string(spec) + "' is not SUFFIX=MODE";
  }
  Fault fault;
  fault.suffix = NormalizeName(spec.substr(0, eq));
  const std::string_view mode = spec.substr(eq + 1);
  for (const ModeName& m : kModes) {
    if (m.name == mode) {
      fault.mode = m.mode;
      *out = std::move(fault);
      return "";
    }
  }
  if (mode.starts_with(kDelayPrefix)) {
    const std::string_view digits = mode.substr(kDelayPrefix.size());
    int ms = -1;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ms);
    if (ec == std::errc() && end == digits.data() + digits.size() && !digits.empty() && ms >= 0 &&
        ms <= kMaxFaultDelayMs) {
      fault.mode = FaultMode::kDelay;
      fault.delay_ms = ms;
      *out = std::move(fault);
      return "";
    }
    return "fault '" + std::string(spec) +
           "': delay must be delay-MS with 0 <= MS <= " + std::to_string(kMaxFaultDelayMs);
  }
  return "fault '" + std::string(spec) +
         "': unknown mode (drop, servfail, refused, truncate, wrong-id, wrong-question, "
         "compression-loop, short, delay-MS)";
}

const Fault* FindFault(const std::vector<Fault>& faults, std::string_view qname) {
  for (const Fault& f : faults) {
    if (f.suffix.empty() || qname == f.suffix) return &f;
    if (qname.size() > f.suffix.size() && qname.ends_with(f.suffix) &&
        qname[qname.size() - f.suffix.size() - 1] == '.') {
      return &f;
    }
  }
  return nullptr;
}

}  // namespace portcullis::testing::dns_server
