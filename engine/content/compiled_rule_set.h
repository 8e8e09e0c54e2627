// The RuleSet implementation: the compiled databases of one rule set, the
// meta rules in evaluation order, and the pool of per-message scan slots
// (scratch space plus one open stream per streaming database).
//
// Immutable after Build() except for the pool, which is guarded by a mutex:
// NewScanner() and slot return are thread-safe. Destroyed when the last
// Snapshot and Scanner holding it go (Scanners keep it alive).
#pragma once

#include <hs/hs.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "content/meta_expression.h"
#include "portcullis/content/rule_set.h"

namespace portcullis::content {

// The streaming targets, each with at most one database.
enum StreamTarget { kStreamText, kStreamRawBody, kStreamHeaders, kStreamRawHeaders, kStreamCount };

// What one message's scan borrows: reused across messages, never shared.
struct ScanSlot {
  hs_scratch_t* scratch = nullptr;
  hs_stream_t* streams[kStreamCount] = {};
};

class CompiledRuleSet : public RuleSet, public std::enable_shared_from_this<CompiledRuleSet> {
 public:
  CompiledRuleSet() = default;
  ~CompiledRuleSet() override;
  CompiledRuleSet(const CompiledRuleSet&) = delete;
  CompiledRuleSet& operator=(const CompiledRuleSet&) = delete;

  const std::vector<Rule>& rules() const override { return rules_; }
  const std::vector<Meta>& metas() const override { return metas_; }
  const std::vector<Entry>& entries() const override { return entries_; }
  const BuildStats& stats() const override { return stats_; }
  std::unique_ptr<Scanner> NewScanner() const override;

  // A slot from the pool (or a new one); nullptr only when Hyperscan cannot
  // allocate.
  ScanSlot* AcquireSlot() const;
  void ReleaseSlot(ScanSlot* slot) const;

  // Filled by Build().
  std::vector<Rule> rules_;
  std::vector<Meta> metas_;
  std::vector<Entry> entries_;
  BuildStats stats_;
  RuleSetOptions options_;
  std::vector<hs_database_t*> databases_;  // owned
  const hs_database_t* streams_[kStreamCount] = {};
  std::map<std::string, const hs_database_t*, std::less<>> header_databases_;
  const hs_database_t* url_database_ = nullptr;
  const hs_database_t* attachment_name_database_ = nullptr;
  const hs_database_t* attachment_type_database_ = nullptr;
  // Metas in dependency order with the entry each sets.
  struct CompiledMeta {
    size_t entry;
    MetaExpression expression;
  };
  std::vector<CompiledMeta> meta_order_;
  hs_scratch_t* prototype_scratch_ = nullptr;  // big enough for every database

 private:
  mutable std::mutex pool_mutex_;
  mutable std::vector<ScanSlot*> pool_;
};

}  // namespace portcullis::content
