// Content rules: Lua rule files compiled into Hyperscan databases, and the
// per-message scanner that runs them (the `content` check's engine).
//
// A RuleSet is built once per config Snapshot from rule files (Build), is
// immutable afterwards and shared by every message: NewScanner() is
// thread-safe. Hyperscan stays behind this interface (no hs.h here). A
// Scanner belongs to one message and is used by one thread at a time; it
// borrows scratch space and stream state from its RuleSet's pool and hands
// them back when destroyed, so steady-state scanning allocates nothing.
//
// The rule language is documented in rules/README.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/check_result.h"

namespace portcullis::content {

// What a rule is matched against. See rules/README.md for each.
enum class Target {
  kHeader,          // "header:NAME": each value of that top-level header, decoded
  kHeaders,         // "headers": all top-level headers, decoded, "Name: value\n"
  kRawHeaders,      // "raw_headers": the header block as the MTA sent it
  kText,            // "text": decoded text of all text parts (HTML as text)
  kRawBody,         // "raw_body": the body bytes as received, undecoded
  kUrl,             // "url": each extracted URL, one at a time
  kAttachmentName,  // "attachment_name": each attachment's file name
  kAttachmentType,  // "attachment_type": each attachment's content type
};

std::string_view TargetName(Target target);

// One `rule { ... }` entry as written.
struct Rule {
  std::string name;
  Target target = Target::kText;
  std::string header;   // kHeader: the header name, lower-case
  std::string pattern;  // as written
  std::string flags;    // as written, e.g. "i"
  bool whole = false;   // the pattern must match the whole value
  double score = 0;
  std::string description;
  std::optional<Action> action;  // reject, quarantine or tempfail
  std::string reply;             // SMTP reply text with `action`
  bool enabled = true;
  std::string file;  // where it was written, for messages
  int line = 0;
};

// One `meta { ... }` entry: a boolean expression over other rules' hits.
struct Meta {
  std::string name;
  std::string expression;
  double score = 0;
  std::string description;
  std::optional<Action> action;
  std::string reply;
  bool enabled = true;
  std::string file;
  int line = 0;
  std::vector<std::string> references;  // rule and meta names it reads
};

// A rule file: its name for messages and its text.
struct RuleSource {
  std::string file;
  std::string text;
};

struct RuleSetOptions {
  // Where compiled databases are cached; "" disables the cache. An
  // unwritable directory only costs a compile (with a warning).
  std::string cache_dir;
  // Decoded text and raw body bytes scanned per message, per target; what
  // follows is not scanned (bounds the work one message can cause).
  uint64_t max_scan_bytes = 8ull << 20;
};

// What building cost, for metrics, logs and tests.
struct BuildStats {
  int databases = 0;  // Hyperscan databases in the set
  int compiled = 0;   // of which compiled now
  int loaded_from_cache = 0;
  int cache_writes = 0;
  double seconds = 0;  // wall time of Build()
};

class RuleSet;

// The state of one message's scan. Feed what arrives, then Finish().
class Scanner {
 public:
  virtual ~Scanner() = default;
  // Milter header stage: feeds raw_headers.
  virtual void RawHeader(std::string_view name, std::string_view value) = 0;
  // Milter body stage, in arrival order: feeds raw_body.
  virtual void RawBody(std::string_view chunk) = 0;
  // Decoded header of the message itself (MIME part 0): header:NAME and headers.
  virtual void DecodedHeader(std::string_view name, std::string_view value) = 0;
  // Decoded text (any text part), in chunks; `new_part` separates parts.
  virtual void Text(std::string_view utf8, bool new_part) = 0;
  virtual void Url(std::string_view url) = 0;
  virtual void Attachment(std::string_view filename, std::string_view content_type) = 0;
  // Closes the streams (end-anchored patterns fire here), evaluates the
  // metas and returns every enabled rule and meta that matched, in entry
  // order. Call once.
  virtual std::vector<size_t> Finish() = 0;
};

// A rule or meta as the scanner reports it.
struct Entry {
  std::string name;
  double score = 0;
  std::string description;
  std::optional<Action> action;
  std::string reply;
  bool is_meta = false;
};

class RuleSet {
 public:
  virtual ~RuleSet() = default;
  // Parses, checks and compiles `sources`. Errors ("file:line: rule NAME:
  // reason") go to `errors` and give nullptr; `warnings` get what only
  // costs time (cache trouble).
  static std::shared_ptr<const RuleSet> Build(const std::vector<RuleSource>& sources,
                                              const RuleSetOptions& options,
                                              std::vector<std::string>* errors,
                                              std::vector<std::string>* warnings);

  virtual const std::vector<Rule>& rules() const = 0;
  virtual const std::vector<Meta>& metas() const = 0;
  // Enabled rules first (in file order), then enabled metas; Finish()
  // returns indices into this.
  virtual const std::vector<Entry>& entries() const = 0;
  virtual const BuildStats& stats() const = 0;
  virtual std::unique_ptr<Scanner> NewScanner() const = 0;
};

// Parses rule files without compiling them (for `portcullis rules lint`):
// every rule and meta, enabled or not, with syntax errors in `errors`.
struct ParsedRules {
  std::vector<Rule> rules;
  std::vector<Meta> metas;
};
ParsedRules ParseRuleFiles(const std::vector<RuleSource>& sources,
                           std::vector<std::string>* errors);

// Compiles each enabled rule on its own to find what Hyperscan refuses, with
// the rule named: "file:line: rule NAME: reason".
void CheckPatterns(const std::vector<Rule>& rules, std::vector<std::string>* errors);

// The `checks.content` section of a config file, for tools that lint the
// rules a config would load: the rule globs resolved against the config's
// directory, and whether the built-in rules are on.
struct ConfiguredRules {
  std::vector<std::string> files;
  bool builtin_rules = true;
};
std::optional<ConfiguredRules> ReadConfiguredRules(const std::string& config_file,
                                                   std::vector<std::string>* errors);

// Expands one rule path or glob (relative to `base_dir`) into sorted file
// names; a plain path that does not exist, or a glob matching nothing, is an
// error.
bool ExpandRuleGlob(const std::string& base_dir, const std::string& pattern,
                    std::vector<std::string>* files, std::string* error);

}  // namespace portcullis::content
