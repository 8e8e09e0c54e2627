// Options of the `content` check (checks.content in the config) and loading
// the rule files they name.
//
//   checks.content = {
//     rules = {},              -- paths or globs of rule files, relative to the
//                              -- config file's directory ("rules.d/*.lua")
//     builtin_rules = true,    -- also load the shipped rules (rules/*.lua,
//                              -- embedded in the binary)
//     cache_dir = "content-cache",  -- compiled databases; relative to
//                              -- state_dir; "" disables the cache
//     max_scan_bytes = 8388608,     -- decoded text / raw body scanned per
//                              -- message and target (4 KiB .. 1 GiB)
//   }
//
// Plain values, built once per Snapshot; thread-safe to read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "portcullis/check_registry.h"
#include "portcullis/config_value.h"
#include "portcullis/content/rule_set.h"

namespace portcullis::content_check {

// Security: a message's text beyond this is not scanned; spam puts its
// payload near the top, and Hyperscan's cost is linear in bytes scanned.
constexpr int64_t kDefaultMaxScanBytes = 8ll << 20;

struct ContentOptions {
  std::vector<std::string> rule_files;  // expanded, absolute or config-relative
  bool builtin_rules = true;
  std::string cache_dir;  // resolved; "" = no cache
  uint64_t max_scan_bytes = kDefaultMaxScanBytes;
};

// Reads checks.content; errors go to `options` with file:line and make
// `ok` false.
ContentOptions ReadContentOptions(ConfigReader& options, const CheckContext& context, bool* ok);

// The sources to compile: the built-in files (when `builtin`) then `files`
// in order. False with `errors` when a file cannot be read.
bool LoadRuleSources(const std::vector<std::string>& files, bool builtin,
                     std::vector<content::RuleSource>* sources, std::vector<std::string>* errors);

}  // namespace portcullis::content_check
