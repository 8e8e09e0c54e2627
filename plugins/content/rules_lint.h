// `portcullis rules lint`: what is wrong or suspicious in a set of rule
// files, without a running daemon.
//
// Errors (the rules would be refused): Lua and syntax errors, bad names,
// targets, flags and actions, duplicate names, unknown meta references,
// meta cycles, and every pattern Hyperscan cannot compile, each as
// "file:line: rule NAME: reason".
// Findings (the rules load, but something is probably a mistake): the same
// target, pattern and flags under two names; metas that read disabled rules;
// rules with score 0 and no action that no meta reads (they can never
// matter); metas with score 0 and no action that no other meta reads.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "portcullis/content/rule_set.h"

namespace portcullis::content_check {

struct LintReport {
  std::vector<std::string> errors;
  std::vector<std::string> findings;
  size_t rules = 0;
  size_t metas = 0;
};

LintReport LintRules(const std::vector<content::RuleSource>& sources);

// The command: `rules lint [-c FILE] [--no-builtin] [FILES...]`. Returns
// 0 clean, 1 errors or findings, 2 bad usage.
int RunRulesCommand(const std::vector<std::string>& args, FILE* out, FILE* err);

}  // namespace portcullis::content_check
