// Cross-file checks of parsed rules: duplicate names, unknown meta
// references and meta cycles.
#include <functional>
#include <map>

#include "content/rule_file_parser.h"

namespace portcullis::content {

void CheckReferences(ParsedRules* parsed, std::vector<std::string>* errors) {
  std::map<std::string, std::string> defined;  // name -> "file:line"
  auto define = [&](const std::string& name, const std::string& file, int line) {
    std::string where = file + ":" + std::to_string(line);
    auto [it, inserted] = defined.emplace(name, where);
    if (!inserted) {
      errors->push_back(
          RuleError(file, line, name, "duplicate name (first defined at " + it->second + ")"));
    }
  };
  for (const Rule& rule : parsed->rules) define(rule.name, rule.file, rule.line);
  std::map<std::string, const Meta*> metas;
  for (const Meta& meta : parsed->metas) {
    define(meta.name, meta.file, meta.line);
    metas.emplace(meta.name, &meta);
  }
  for (const Meta& meta : parsed->metas) {
    for (const std::string& reference : meta.references) {
      if (!defined.count(reference)) {
        errors->push_back(
            RuleError(meta.file, meta.line, meta.name, "unknown rule '" + reference + "'"));
      }
    }
  }
  // Depth-first search over meta -> meta edges; a grey node reached again
  // closes a cycle.
  enum class Colour { kWhite, kGrey, kBlack };
  std::map<std::string, Colour> colour;
  std::function<bool(const Meta&, std::vector<std::string>&)> visit =
      [&](const Meta& meta, std::vector<std::string>& path) {
        colour[meta.name] = Colour::kGrey;
        path.push_back(meta.name);
        for (const std::string& reference : meta.references) {
          auto next = metas.find(reference);
          if (next == metas.end()) continue;
          Colour state = colour[reference];
          if (state == Colour::kGrey) {
            std::string cycle;
            for (const std::string& step : path) cycle += step + " -> ";
            errors->push_back(
                RuleError(meta.file, meta.line, meta.name, "meta cycle: " + cycle + reference));
            return false;
          }
          if (state == Colour::kWhite && !visit(*next->second, path)) return false;
        }
        path.pop_back();
        colour[meta.name] = Colour::kBlack;
        return true;
      };
  for (const Meta& meta : parsed->metas) {
    std::vector<std::string> path;
    if (colour[meta.name] == Colour::kWhite) visit(meta, path);
  }
}

}  // namespace portcullis::content
