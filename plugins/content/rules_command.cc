// `portcullis rules lint [-c FILE] [--no-builtin] [FILES...]`.
//
// With FILES: lints those files alone. With -c: the rule files the config's
// checks.content section names, plus the built-in rules when it keeps them.
// With neither: the built-in rules.
#include "content_options.h"
#include "portcullis/command_args.h"
#include "portcullis/command_registry.h"
#include "rules_lint.h"

namespace portcullis::content_check {
namespace {

constexpr char kUsage[] =
    "usage: portcullis rules lint [-c CONFIG] [--no-builtin] [FILE...]\n"
    "  FILE...       lint these rule files\n"
    "  -c CONFIG     lint the rules checks.content in CONFIG loads\n"
    "  --no-builtin  leave out the built-in rules (with -c, or alone)\n";

// Rule files in the thousands are normal; the limit only bounds argv.
constexpr size_t kMaxFiles = 100000;

}  // namespace

int RunRulesCommand(const std::vector<std::string>& args, FILE* out, FILE* err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, args.empty() ? err : out);
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "lint") {
    std::fprintf(err, "portcullis rules: unknown subcommand '%s'\n%s", args[0].c_str(), kUsage);
    return 2;
  }
  std::string error;
  auto parsed = ParseCommandArgs(std::vector<std::string>(args.begin() + 1, args.end()),
                                 {"-c", "--config"}, {"--no-builtin"}, kMaxFiles, &error);
  if (!parsed) {
    std::fprintf(err, "portcullis rules lint: %s\n%s", error.c_str(), kUsage);
    return 2;
  }
  if (parsed->help) {
    std::fputs(kUsage, out);
    return 0;
  }
  std::string config = parsed->Value("-c", parsed->Value("--config"));
  bool builtin = !parsed->flags.count("--no-builtin");
  std::vector<std::string> files = parsed->positional;
  std::vector<std::string> errors;
  if (!config.empty()) {
    if (!files.empty()) {
      std::fprintf(err, "portcullis rules lint: give -c or files, not both\n%s", kUsage);
      return 2;
    }
    auto configured = content::ReadConfiguredRules(config, &errors);
    if (configured) {
      files = configured->files;
      builtin = builtin && configured->builtin_rules;
    }
  } else if (!files.empty()) {
    builtin = false;
  }
  std::vector<content::RuleSource> sources;
  if (errors.empty()) LoadRuleSources(files, builtin, &sources, &errors);
  if (!errors.empty()) {
    for (const std::string& message : errors) std::fprintf(out, "error: %s\n", message.c_str());
    return 1;
  }
  LintReport report = LintRules(sources);
  for (const std::string& message : report.errors) {
    std::fprintf(out, "error: %s\n", message.c_str());
  }
  for (const std::string& message : report.findings) {
    std::fprintf(out, "warning: %s\n", message.c_str());
  }
  std::fprintf(out, "%zu files, %zu rules, %zu metas: %zu errors, %zu warnings\n", sources.size(),
               report.rules, report.metas, report.errors.size(), report.findings.size());
  return report.errors.empty() && report.findings.empty() ? 0 : 1;
}

}  // namespace portcullis::content_check

PORTCULLIS_REGISTER_COMMAND(rules, "lint content rule files (rules lint [-c CONFIG] [FILE...])",
                            [](const std::vector<std::string>& args) {
                              return portcullis::content_check::RunRulesCommand(args, stdout,
                                                                                stderr);
                            });
