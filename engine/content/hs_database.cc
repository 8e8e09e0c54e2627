#include "content/hs_database.h"

#include "content/rule_file_parser.h"
#include "content/sha256.h"

namespace portcullis::content {
namespace {

void AddField(Sha256& digest, std::string_view field) {
  // Length-prefixed so that no two different sequences hash alike.
  std::string length = std::to_string(field.size()) + ":";
  digest.Update(length);
  digest.Update(field);
}

// Compiles one pattern alone, to name the culprit when a group fails.
std::string CompileAlone(const PatternSpec& pattern, DatabaseMode mode) {
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  unsigned mode_flag = mode == DatabaseMode::kStream ? HS_MODE_STREAM : HS_MODE_BLOCK;
  if (hs_compile(pattern.expression.c_str(), pattern.flags, mode_flag, nullptr, &database,
                 &error) == HS_SUCCESS) {
    hs_free_database(database);
    return "";
  }
  std::string message = error && error->message ? error->message : "compile failed";
  hs_free_compile_error(error);
  return message;
}

std::string Describe(const PatternSpec& pattern, const std::string& message) {
  const Rule& rule = *pattern.rule;
  return RuleError(rule.file, rule.line, rule.name, "pattern rejected by Hyperscan: " + message);
}

}  // namespace

DatabaseMode ModeFor(Target target) {
  switch (target) {
    case Target::kHeaders:
    case Target::kRawHeaders:
    case Target::kText:
    case Target::kRawBody: return DatabaseMode::kStream;
    default: return DatabaseMode::kBlock;
  }
}

std::string HsExpression(const Rule& rule) {
  if (!rule.whole) return rule.pattern;
  return "\\A(?:" + rule.pattern + ")\\z";
}

unsigned HsFlags(const Rule& rule) {
  unsigned flags = HS_FLAG_SINGLEMATCH;
  for (char flag : rule.flags) {
    switch (flag) {
      case 'i': flags |= HS_FLAG_CASELESS; break;
      case 's': flags |= HS_FLAG_DOTALL; break;
      case 'm': flags |= HS_FLAG_MULTILINE; break;
      case 'u': flags |= HS_FLAG_UTF8 | HS_FLAG_UCP; break;
      default: break;
    }
  }
  return flags;
}

hs_database_t* CompileDatabase(const DatabaseSpec& spec, std::vector<std::string>* errors) {
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (const PatternSpec& pattern : spec.patterns) {
    expressions.push_back(pattern.expression.c_str());
    flags.push_back(pattern.flags);
    ids.push_back(pattern.id);
  }
  unsigned mode = spec.mode == DatabaseMode::kStream ? HS_MODE_STREAM : HS_MODE_BLOCK;
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(expressions.size()), mode, nullptr, &database,
                       &error) == HS_SUCCESS) {
    return database;
  }
  std::string message = error && error->message ? error->message : "compile failed";
  int index = error ? error->expression : -1;
  hs_free_compile_error(error);
  if (index >= 0 && static_cast<size_t>(index) < spec.patterns.size()) {
    errors->push_back(Describe(spec.patterns[static_cast<size_t>(index)], message));
  }
  // Name every other pattern Hyperscan refuses too, so one lint run shows
  // them all; a failure no single pattern explains is about the group.
  bool named = index >= 0;
  for (size_t i = 0; i < spec.patterns.size(); ++i) {
    if (static_cast<int>(i) == index) continue;
    std::string alone = CompileAlone(spec.patterns[i], spec.mode);
    if (!alone.empty()) {
      errors->push_back(Describe(spec.patterns[i], alone));
      named = true;
    }
  }
  if (!named) {
    errors->push_back("content rules for target " + spec.label +
                      ": Hyperscan cannot compile them together: " + message);
  }
  return nullptr;
}

void CheckPatterns(const std::vector<Rule>& rules, std::vector<std::string>* errors) {
  for (const Rule& rule : rules) {
    if (!rule.enabled) continue;
    PatternSpec pattern{HsExpression(rule), HsFlags(rule), 0, &rule};
    std::string message = CompileAlone(pattern, ModeFor(rule.target));
    if (!message.empty()) errors->push_back(Describe(pattern, message));
  }
}

std::string DatabaseKey(const DatabaseSpec& spec) {
  Sha256 digest;
  AddField(digest, "portcullis-content-v1");
  AddField(digest, hs_version());
  hs_platform_info_t platform{};
  if (hs_populate_platform(&platform) == HS_SUCCESS) {
    AddField(digest, std::to_string(platform.tune) + "/" + std::to_string(platform.cpu_features));
  }
  AddField(digest, spec.mode == DatabaseMode::kStream ? "stream" : "block");
  for (const PatternSpec& pattern : spec.patterns) {
    AddField(digest, pattern.expression);
    AddField(digest, std::to_string(pattern.flags) + "/" + std::to_string(pattern.id));
  }
  return digest.FinalHex();
}

}  // namespace portcullis::content
