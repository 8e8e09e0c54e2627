// Reading rule files: the Lua side (`rule { ... }`, `meta { ... }` calls in
// the engine's sandbox) and the checks that need no compiler (names, targets,
// flags, actions, meta references and cycles). The implementation of
// ParseRuleFiles() in portcullis/content/rule_set.h, plus helpers the
// compiler shares.
//
// Stateless functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/content/rule_set.h"

namespace portcullis::content {

// "header:Subject" -> kHeader with `header` = "subject"; nullopt when unknown.
std::optional<Target> ParseTarget(std::string_view text, std::string* header);

// Targets whose input is decoded UTF-8 (flag u allowed).
bool IsDecodedTarget(Target target);

// Duplicate names (rules and metas share one namespace), meta references
// to names that do not exist, and cycles among metas, as errors.
void CheckReferences(ParsedRules* parsed, std::vector<std::string>* errors);

// "file:line: rule NAME: message", the shape of every rule error.
std::string RuleError(const std::string& file, int line, const std::string& name,
                      const std::string& message);

}  // namespace portcullis::content
