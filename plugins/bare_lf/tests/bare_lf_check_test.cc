// The check end to end: registration, stages, results from findings, and
// the strongest requested action winning.
#include "bare_lf_check.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <unordered_map>
#include <vector>

#include "config_tree.h"
#include "portcullis/check_registry.h"
#include "portcullis/log.h"
#include "postconf_probe.h"

namespace portcullis::bare_lf {
namespace {

using namespace std::string_literals;

FindingClass ClassOfSymbol(const std::string& symbol) {
  for (FindingKind kind : kAllFindingKinds) {
    if (FindingSymbol(kind) == symbol) return ClassOf(kind);
  }
  ADD_FAILURE() << "no symbol " << symbol;
  return FindingClass::kBody;
}

std::string SymbolList(const CheckResult& result) {
  std::string out;
  for (const Symbol& symbol : result.symbols) {
    if (!out.empty()) out += ' ';
    out += symbol.name + "=" + std::to_string(static_cast<int>(symbol.score * 10));
  }
  return out;
}

BareLfOptions WithActions(ClassAction header, ClassAction body, ClassAction smuggling) {
  BareLfOptions options;
  options.classes[static_cast<size_t>(FindingClass::kHeader)].action = header;
  options.classes[static_cast<size_t>(FindingClass::kBody)].action = body;
  options.classes[static_cast<size_t>(FindingClass::kSmuggling)].action = smuggling;
  return options;
}

TEST(BareLfCheck, Registered) {
  const CheckFactory* factory = FindCheckFactory(std::string(kName));
  ASSERT_NE(factory, nullptr);
  ConfigErrors errors;
  ConfigValue table = Table({{"body_action", Str("reject", 2)}}, 1);
  std::unique_ptr<Check> check;
  {
    ConfigReader reader(&table, "checks.bare_lf", "test.lua", &errors);
    check = (*factory)(reader, CheckContext{});
  }
  ASSERT_NE(check, nullptr);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(check->stages(), kStageHeader | kStageBody);

  ConfigValue bad = Table({{"body_action", Str("bounce", 2)}}, 1);
  ConfigReader reader(&bad, "checks.bare_lf", "test.lua", &errors);
  EXPECT_EQ((*factory)(reader, CheckContext{}), nullptr);
}

struct ResultCase {
  std::string what;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  BareLfOptions options;
  CheckStatus want_status;
  std::string want_symbols;  // NAME=score*10
  Action want_action;        // kNone: no request
  std::string want_reason;
};

TEST(BareLfCheck, Results) {
  const BareLfOptions defaults;
  // clang-format off: one case per line group reads as a table
  const std::vector<ResultCase> cases = {
      {"clean",
       {{"Subject", " hi\n\tthere"}},
       "hello\r\n",
       defaults,
       CheckStatus::kPass,
       "",
       Action::kNone,
       ""},
      {"body bare LF scores only",
       {},
       "a\nb\r\n",
       defaults,
       CheckStatus::kFail,
       "BARE_LF_BODY=20",
       Action::kNone,
       ""},
      {"header injection rejects",
       {{"Subject", " hi\nBcc: x@y"}},
       "",
       defaults,
       CheckStatus::kFail,
       "BARE_LF_HEADER=50",
       Action::kReject,
       "BARE_LF_HEADER"},
      {"smuggling rejects",
       {},
       "a\r\n.\r\nMAIL FROM:<a@b>\r\n",
       defaults,
       CheckStatus::kFail,
       "SMTP_SMUGGLING=100",
       Action::kReject,
       "SMTP_SMUGGLING"},
      {"NUL in header",
       {{"X\0"s, " v"}},
       "",
       defaults,
       CheckStatus::kFail,
       "NUL_HEADER=50",
       Action::kReject,
       "NUL_HEADER"},
      {"everything scored",
       {{"Subject", " a\rb"}},
       "\0\r\n.\r\nQUIT\r\n"s,
       WithActions(ClassAction::kScore, ClassAction::kScore, ClassAction::kScore),
       CheckStatus::kFail,
       "BARE_CR_HEADER=50 NUL_BODY=30 SMTP_SMUGGLING=100",
       Action::kNone,
       ""},
      {"reject beats quarantine",
       {{"Subject", " a\rb"}},
       "a\nb",
       WithActions(ClassAction::kQuarantine, ClassAction::kReject, ClassAction::kScore),
       CheckStatus::kFail,
       "BARE_CR_HEADER=50 BARE_LF_BODY=20",
       Action::kReject,
       "BARE_LF_BODY"},
      {"tempfail beats quarantine",
       {},
       "a\n.\r\nb",
       WithActions(ClassAction::kReject, ClassAction::kTempfail, ClassAction::kQuarantine),
       CheckStatus::kFail,
       "BARE_LF_BODY=20 SMTP_SMUGGLING=100",
       Action::kTempfail,
       "BARE_LF_BODY"},
      {"tie goes to smuggling",
       {{"Subject", " a\nb"}},
       ".\r\nRSET\r\n",
       defaults,
       CheckStatus::kFail,
       "BARE_LF_HEADER=50 SMTP_SMUGGLING=100",
       Action::kReject,
       "SMTP_SMUGGLING"},
      {"first symbol of the class is the reason",
       {},
       "a\rb\n",
       WithActions(ClassAction::kScore, ClassAction::kQuarantine, ClassAction::kScore),
       CheckStatus::kFail,
       "BARE_LF_BODY=20 BARE_CR_BODY=20",
       Action::kQuarantine,
       "BARE_LF_BODY"},
  };
  // clang-format on

  const ConnectionInfo connection;
  const MessageInfo message;
  const std::unordered_map<std::string, std::string> macros;
  const TransactionInfo info{connection, message, macros};
  for (const ResultCase& c : cases) {
    BareLfCheck check(c.options);
    std::unique_ptr<CheckInstance> instance = check.NewInstance();
    for (const auto& [name, value] : c.headers) instance->OnHeader(info, name, value);
    instance->OnEndOfHeaders(info);
    // Two chunks split mid-body, as the MTA may send them.
    instance->OnBody(info, std::string_view(c.body).substr(0, c.body.size() / 2));
    instance->OnBody(info, std::string_view(c.body).substr(c.body.size() / 2));
    CheckResult got = instance->Finish(info, Deadline::Never());
    EXPECT_EQ(got.status, c.want_status) << c.what;
    EXPECT_EQ(SymbolList(got), c.want_symbols) << c.what;
    EXPECT_TRUE(got.auth_results.empty()) << c.what;
    if (c.want_action == Action::kNone) {
      EXPECT_FALSE(got.request.has_value()) << c.what;
    } else {
      ASSERT_TRUE(got.request.has_value()) << c.what;
      EXPECT_EQ(got.request->action, c.want_action) << c.what;
      EXPECT_EQ(got.request->reason, c.want_reason) << c.what;
      EXPECT_EQ(got.request->text, c.options.policy(ClassOfSymbol(c.want_reason)).text) << c.what;
    }
  }
}

TEST(BareLfCheck, SelfTestIsBounded) {
  // On a host with Postfix this runs the real postconf and may log a warning;
  // either way it must return well within the probe's timeout.
  LogToStderr(LogLevel::kWarning);
  const auto start = std::chrono::steady_clock::now();
  BareLfCheck(BareLfOptions{}).SelfTest();
  EXPECT_LT(std::chrono::steady_clock::now() - start, kPostconfTimeout + std::chrono::seconds(1));
}

TEST(BareLfCheck, SymbolDetail) {
  CheckResult result = BuildBareLfResult(LineEndScanner::ScanBody("ab\n.\r\nQUIT\r\n"), {});
  ASSERT_EQ(result.symbols.size(), 2u);
  EXPECT_EQ(result.symbols[0].detail, "1x, first at body offset 2");
  EXPECT_EQ(result.symbols[1].detail, "2x, first at body offset 2, <LF>.<CR><LF>");
}

}  // namespace
}  // namespace portcullis::bare_lf
