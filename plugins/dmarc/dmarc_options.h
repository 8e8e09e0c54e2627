// The dmarc check's options (checks.dmarc in the config), read once per
// config Snapshot, with the Public Suffix List they name.
//
// Built by ReadDmarcOptions while a Snapshot is built (single-threaded);
// immutable afterwards and shared through shared_ptr by the check and all
// its per-message instances on any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "portcullis/config_value.h"
#include "portcullis/public_suffix.h"

namespace portcullis::dmarc {

inline constexpr const char* kDefaultPslFile = "/usr/share/publicsuffix/public_suffix_list.dat";

struct DmarcOptions {
  // The list file; a relative name is read from the config directory.
  std::string psl_file = kDefaultPslFile;
  PslSections psl_sections = PslSections::kAll;
  std::shared_ptr<const PublicSuffixList> psl;  // never null once read
  // Ask the gateway to reject / quarantine as the Domain Owner's applied
  // policy says (RFC 7489 6.7 leaves it to the receiver); false: symbols only.
  bool honour_policy = true;
  // Both _dmarc lookups together; the end-of-message deadline bounds the
  // wait in any case.
  std::chrono::milliseconds timeout{5000};
  // Record aggregate-report data (RFC 7489 7.2) under <state_dir>/dmarc
  // (dmarc_report_store.h) for every message evaluated with a policy record.
  bool aggregate_reports = true;
  // Past this size a day's file gets no more rows (dmarc_report_store.h).
  // 256 MiB is about a million rows: more than one receiver's reports need,
  // small enough that a flood of mail cannot fill the disk.
  uint64_t report_max_bytes_per_day = uint64_t{256} << 20;
  // Symbol -> score; every symbol the check can add has an entry.
  std::map<std::string, double> scores;

  double ScoreOf(const std::string& symbol) const {
    auto it = scores.find(symbol);
    return it == scores.end() ? 0 : it->second;
  }
};

// The default scores documented in README.md.
std::map<std::string, double> DefaultDmarcScores();

// Reads checks.dmarc and loads the list; errors (file:line) go through
// `options`. Returns nullptr when any option is bad or the list is unusable.
std::shared_ptr<const DmarcOptions> ReadDmarcOptions(ConfigReader& options,
                                                     const std::string& config_dir);

}  // namespace portcullis::dmarc
