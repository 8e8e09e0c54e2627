#include "content_options.h"

#include <fstream>
#include <sstream>

#include "builtin_rules.h"

namespace portcullis::content_check {

ContentOptions ReadContentOptions(ConfigReader& options, const CheckContext& context, bool* ok) {
  ContentOptions out;
  *ok = true;
  for (const std::string& pattern : options.StringList("rules")) {
    std::string error;
    if (!content::ExpandRuleGlob(context.config_dir, pattern, &out.rule_files, &error)) {
      options.Error("rules", error);
      *ok = false;
    }
  }
  out.builtin_rules = options.Boolean("builtin_rules", true);
  std::string cache_dir = options.String("cache_dir", "content-cache");
  if (!cache_dir.empty() && cache_dir[0] != '/') {
    cache_dir = context.state_dir.empty() ? "" : context.state_dir + "/" + cache_dir;
  }
  out.cache_dir = cache_dir;
  out.max_scan_bytes = static_cast<uint64_t>(
      options.Integer("max_scan_bytes", kDefaultMaxScanBytes, 4096, 1ll << 30));
  return out;
}

bool LoadRuleSources(const std::vector<std::string>& files, bool builtin,
                     std::vector<content::RuleSource>* sources, std::vector<std::string>* errors) {
  if (builtin) {
    for (const BuiltinRuleFile& file : BuiltinRuleFiles()) {
      sources->push_back({std::string("builtin:") + file.name, file.text});
    }
  }
  bool ok = true;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      errors->push_back("cannot read rule file " + file);
      ok = false;
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    sources->push_back({file, text.str()});
  }
  return ok;
}

}  // namespace portcullis::content_check
