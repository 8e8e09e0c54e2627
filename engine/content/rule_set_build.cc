// RuleSet::Build: parse, group rules by target into databases, load each from
// the cache or compile it, and order the metas.
#include <chrono>
#include <functional>
#include <map>
#include <set>

#include "content/compiled_rule_set.h"
#include "content/database_cache.h"
#include "content/hs_database.h"
#include "content/rule_file_parser.h"

namespace portcullis::content {
namespace {

// The database (slot) a rule goes into: target plus header name.
std::string GroupKey(const Rule& rule) {
  std::string key(TargetName(rule.target));
  if (rule.target == Target::kHeader) key += ":" + rule.header;
  return key;
}

void Assign(CompiledRuleSet* set, const Rule& first, hs_database_t* database) {
  switch (first.target) {
    case Target::kHeader: set->header_databases_[first.header] = database; break;
    case Target::kHeaders: set->streams_[kStreamHeaders] = database; break;
    case Target::kRawHeaders: set->streams_[kStreamRawHeaders] = database; break;
    case Target::kText: set->streams_[kStreamText] = database; break;
    case Target::kRawBody: set->streams_[kStreamRawBody] = database; break;
    case Target::kUrl: set->url_database_ = database; break;
    case Target::kAttachmentName: set->attachment_name_database_ = database; break;
    case Target::kAttachmentType: set->attachment_type_database_ = database; break;
  }
}

Entry EntryOf(const Rule& rule) {
  return Entry{rule.name, rule.score, rule.description, rule.action, rule.reply, false};
}
Entry EntryOf(const Meta& meta) {
  return Entry{meta.name, meta.score, meta.description, meta.action, meta.reply, true};
}

// Metas in an order where every meta comes after the metas it reads
// (references were checked acyclic by the parser).
bool OrderMetas(CompiledRuleSet* set, std::vector<std::string>* errors) {
  const size_t errors_before = errors->size();
  std::map<std::string, size_t> entry_of;
  for (size_t i = 0; i < set->entries_.size(); ++i) entry_of[set->entries_[i].name] = i;
  const size_t always_false = set->entries_.size();  // disabled rules read as 0
  std::map<std::string, const Meta*> by_name;
  for (const Meta& meta : set->metas_) {
    if (meta.enabled) by_name[meta.name] = &meta;
  }
  std::set<std::string> done;
  std::function<void(const Meta&)> add = [&](const Meta& meta) {
    if (!done.insert(meta.name).second) return;
    for (const std::string& reference : meta.references) {
      auto it = by_name.find(reference);
      if (it != by_name.end()) add(*it->second);
    }
    std::string error;
    auto expression = MetaExpression::Parse(meta.expression, &error);
    if (!expression) {
      errors->push_back(RuleError(meta.file, meta.line, meta.name, error));
      return;
    }
    expression->Resolve([&](const std::string& name) {
      auto it = entry_of.find(name);
      return it == entry_of.end() ? always_false : it->second;
    });
    set->meta_order_.push_back({entry_of.at(meta.name), std::move(*expression)});
  };
  for (const Meta& meta : set->metas_) {
    if (meta.enabled) add(meta);
  }
  return errors->size() == errors_before;
}

}  // namespace

std::shared_ptr<const RuleSet> RuleSet::Build(const std::vector<RuleSource>& sources,
                                              const RuleSetOptions& options,
                                              std::vector<std::string>* errors,
                                              std::vector<std::string>* warnings) {
  auto started = std::chrono::steady_clock::now();
  size_t errors_before = errors->size();
  ParsedRules parsed = ParseRuleFiles(sources, errors);
  if (errors->size() != errors_before) return nullptr;

  auto set = std::make_shared<CompiledRuleSet>();
  set->options_ = options;
  set->rules_ = std::move(parsed.rules);
  set->metas_ = std::move(parsed.metas);
  std::map<std::string, DatabaseSpec> groups;
  for (const Rule& rule : set->rules_) {
    if (!rule.enabled) continue;
    unsigned id = static_cast<unsigned>(set->entries_.size());
    set->entries_.push_back(EntryOf(rule));
    DatabaseSpec& spec = groups[GroupKey(rule)];
    spec.mode = ModeFor(rule.target);
    spec.label = GroupKey(rule);
    spec.patterns.push_back({HsExpression(rule), HsFlags(rule), id, &rule});
  }
  for (const Meta& meta : set->metas_) {
    if (meta.enabled) set->entries_.push_back(EntryOf(meta));
  }

  DatabaseCache cache(options.cache_dir);
  bool cache_writable = !options.cache_dir.empty();
  for (auto& [label, spec] : groups) {
    set->stats_.databases++;
    std::string key = DatabaseKey(spec);
    hs_database_t* database = nullptr;
    if (!options.cache_dir.empty()) {
      std::string note;
      database = cache.Load(key, &note);
      if (!note.empty()) warnings->push_back("content cache: " + note);
      if (database) set->stats_.loaded_from_cache++;
    }
    if (!database) {
      database = CompileDatabase(spec, errors);
      if (!database) continue;
      set->stats_.compiled++;
      if (cache_writable) {
        std::string error;
        if (cache.Store(key, database, &error)) {
          set->stats_.cache_writes++;
        } else {
          // Costs only time at the next start; never refuses the rules.
          warnings->push_back("content cache: " + error + " (compiling in memory)");
          cache_writable = false;
        }
      }
    }
    set->databases_.push_back(database);
    Assign(set.get(), *spec.patterns.front().rule, database);
  }
  if (errors->size() != errors_before) return nullptr;
  if (!OrderMetas(set.get(), errors)) return nullptr;

  for (const hs_database_t* database : set->databases_) {
    if (hs_alloc_scratch(database, &set->prototype_scratch_) != HS_SUCCESS) {
      errors->push_back("content rules: cannot allocate Hyperscan scratch space");
      return nullptr;
    }
  }
  set->stats_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return set;
}

}  // namespace portcullis::content
