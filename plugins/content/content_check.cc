#include "content_check.h"

#include "content_instance.h"
#include "portcullis/log.h"

namespace portcullis::content_check {

std::unique_ptr<CheckInstance> ContentCheck::NewInstance() const {
  return std::make_unique<ContentInstance>(rules_, metrics_);
}

std::unique_ptr<Check> MakeContentCheck(ConfigReader& options, const CheckContext& context) {
  bool options_ok = true;
  ContentOptions settings = ReadContentOptions(options, context, &options_ok);
  if (!options_ok) return nullptr;
  std::vector<content::RuleSource> sources;
  std::vector<std::string> errors;
  LoadRuleSources(settings.rule_files, settings.builtin_rules, &sources, &errors);
  std::shared_ptr<const content::RuleSet> rules;
  std::vector<std::string> warnings;
  if (errors.empty()) {
    content::RuleSetOptions rule_options;
    rule_options.cache_dir = settings.cache_dir;
    rule_options.max_scan_bytes = settings.max_scan_bytes;
    rules = content::RuleSet::Build(sources, rule_options, &errors, &warnings);
  }
  for (const std::string& warning : warnings) LogWarning("content: " + warning);
  // Rule errors name the rule file and line themselves.
  for (const std::string& error : errors) options.Error("rules", error);
  if (!rules) return nullptr;
  const content::BuildStats& stats = rules->stats();
  LogInfo("content: " + std::to_string(rules->entries().size()) + " rules in " +
          std::to_string(stats.databases) + " databases (" + std::to_string(stats.compiled) +
          " compiled, " + std::to_string(stats.loaded_from_cache) + " from cache) in " +
          std::to_string(static_cast<int>(stats.seconds * 1000)) + " ms");
  std::shared_ptr<const ContentMetrics> metrics;
  if (context.metrics) metrics = ContentMetrics::Create(*context.metrics, *rules);
  return std::make_unique<ContentCheck>(std::move(rules), std::move(metrics));
}

}  // namespace portcullis::content_check

PORTCULLIS_REGISTER_CHECK(content, portcullis::content_check::MakeContentCheck);
