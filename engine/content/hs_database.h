// Turning rules into Hyperscan databases: the expression and flags each rule
// compiles to, compiling a group of rules as one database, and the cache key
// of such a group.
//
// Stateless functions over plain values; thread-safe. The hs_database_t*
// returned belongs to the caller (hs_free_database).
#pragma once

#include <hs/hs.h>

#include <string>
#include <vector>

#include "portcullis/content/rule_set.h"

namespace portcullis::content {

enum class DatabaseMode { kBlock, kStream };

// Streaming for the targets that arrive in chunks (text, bodies, header
// blocks); block mode for values matched one at a time.
DatabaseMode ModeFor(Target target);

struct PatternSpec {
  std::string expression;
  unsigned flags = 0;
  unsigned id = 0;
  const Rule* rule = nullptr;  // for error messages
};

struct DatabaseSpec {
  DatabaseMode mode = DatabaseMode::kBlock;
  std::string label;  // "text", "header:subject", ... for messages
  std::vector<PatternSpec> patterns;
};

// The expression Hyperscan compiles for `rule` (anchored when `whole`).
std::string HsExpression(const Rule& rule);
// HS_FLAG_* for `rule`: SINGLEMATCH always (only "did it match" counts),
// plus i/s/m/u.
unsigned HsFlags(const Rule& rule);

// Compiles `spec` for this host. On failure returns nullptr and appends
// one "file:line: rule NAME: reason" per failing pattern to `errors`.
hs_database_t* CompileDatabase(const DatabaseSpec& spec, std::vector<std::string>* errors);

// SHA-256 over everything the compiled database depends on: mode,
// expressions, flags, ids, the Hyperscan version and this host's platform.
std::string DatabaseKey(const DatabaseSpec& spec);

}  // namespace portcullis::content
