#include "rules_lint.h"

#include <map>
#include <set>

namespace portcullis::content_check {
namespace {

std::string Where(const std::string& file, int line, const std::string& name) {
  return file + ":" + std::to_string(line) + ": rule " + name + ": ";
}

}  // namespace

LintReport LintRules(const std::vector<content::RuleSource>& sources) {
  LintReport report;
  content::ParsedRules parsed = content::ParseRuleFiles(sources, &report.errors);
  content::CheckPatterns(parsed.rules, &report.errors);
  report.rules = parsed.rules.size();
  report.metas = parsed.metas.size();

  // Same target + pattern + flags under two names: one of them is dead weight.
  std::map<std::string, const content::Rule*> shapes;
  for (const content::Rule& rule : parsed.rules) {
    std::string shape = std::string(content::TargetName(rule.target)) + ":" + rule.header + "\n" +
                        rule.flags + (rule.whole ? "w" : "") + "\n" + rule.pattern;
    auto [it, inserted] = shapes.emplace(shape, &rule);
    if (!inserted) {
      report.findings.push_back(Where(rule.file, rule.line, rule.name) +
                                "same target, pattern and flags as " + it->second->name + " (" +
                                it->second->file + ":" + std::to_string(it->second->line) + ")");
    }
  }

  std::set<std::string> disabled;
  for (const content::Rule& rule : parsed.rules) {
    if (!rule.enabled) disabled.insert(rule.name);
  }
  for (const content::Meta& meta : parsed.metas) {
    if (!meta.enabled) disabled.insert(meta.name);
  }
  std::set<std::string> read_by_meta;
  for (const content::Meta& meta : parsed.metas) {
    if (!meta.enabled) continue;
    for (const std::string& reference : meta.references) {
      read_by_meta.insert(reference);
      if (disabled.count(reference)) {
        report.findings.push_back(Where(meta.file, meta.line, meta.name) + "reads " + reference +
                                  ", which is disabled (always false)");
      }
    }
  }
  for (const content::Rule& rule : parsed.rules) {
    if (rule.enabled && rule.score == 0 && !rule.action && !read_by_meta.count(rule.name)) {
      report.findings.push_back(Where(rule.file, rule.line, rule.name) +
                                "score 0, no action and no meta reads it");
    }
  }
  for (const content::Meta& meta : parsed.metas) {
    if (meta.enabled && meta.score == 0 && !meta.action && !read_by_meta.count(meta.name)) {
      report.findings.push_back(Where(meta.file, meta.line, meta.name) +
                                "unused meta: score 0, no action and no meta reads it");
    }
  }
  return report;
}

}  // namespace portcullis::content_check
