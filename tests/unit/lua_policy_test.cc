// The Lua sandbox and the policy runner: escapes are impossible, runaway
// code is stopped, and every failure gives the fallback verdict.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lua/lua_sandbox.h"
#include "lua/policy_runner.h"
#include "test_config.h"

extern "C" {
#include <lua.h>
}

namespace portcullis {
namespace {

using testing::TempDir;

// A runner for `source`, a whole policy file; `config` gives the rest.
std::unique_ptr<PolicyRunner> RunnerFor(const std::string& source, PolicyConfig config) {
  TempDir dir;
  config.file = dir.Write("policy.lua", source);
  ConfigErrors errors;
  auto runner = PolicyRunner::Create(config, &errors);
  EXPECT_TRUE(runner) << (errors.empty() ? "" : errors.all().front());
  return runner;
}

// Runs `body` as a policy (a function body receiving `report`) and returns
// the verdict.
Verdict RunPolicy(const std::string& body, Action fallback = Action::kTempfail,
                  int64_t instruction_limit = 100000) {
  PolicyConfig config;
  config.fallback = fallback;
  config.instruction_limit = instruction_limit;
  config.memory_limit_bytes = 4 << 20;
  auto runner = RunnerFor("return function(report)\n" + body + "\nend\n", config);
  if (!runner) return Verdict{};
  Report report;
  CheckResult result;
  result.check = "probe";
  result.symbols.push_back({"PROBE_SYMBOL", 7.5, ""});
  report.results.push_back(result);
  report.score = 7.5;
  ConnectionInfo connection;
  connection.client_addr_text = "192.0.2.1";
  MessageInfo message;
  message.mail_from = "a@example.org";
  message.recipients = {"b@example.net"};
  std::unordered_map<std::string, std::string> macros;
  return runner->Decide(PolicyInput{report, TransactionInfo{connection, message, macros}});
}

struct EscapeCase {
  const char* name;
  const char* code;  // must fail to reach anything outside the sandbox
};

class SandboxEscapeTest : public ::testing::TestWithParam<EscapeCase> {};

TEST_P(SandboxEscapeTest, IsRefused) {
  Verdict verdict = RunPolicy(std::string(GetParam().code) + "\nreturn 'accept'");
  EXPECT_EQ(verdict.source, "fallback") << GetParam().code;
  EXPECT_EQ(verdict.action, Action::kTempfail);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SandboxEscapeTest,
    ::testing::Values(
        EscapeCase{"io_open", "io.open('/etc/passwd')"},
        EscapeCase{"os_execute", "os.execute('true')"}, EscapeCase{"os_exit", "os.exit(1)"},
        EscapeCase{"os_getenv", "os.getenv('HOME')"}, EscapeCase{"require", "require('os')"},
        EscapeCase{"load", "load('return 1')()"}, EscapeCase{"dofile", "dofile('/etc/passwd')"},
        EscapeCase{"loadfile", "loadfile('/etc/passwd')"},
        EscapeCase{"debug", "debug.getregistry()"},
        EscapeCase{"package", "package.loadlib('libc.so.6', 'system')"},
        EscapeCase{"string_dump", "string.dump(print)"},
        EscapeCase{"string_dump_via_metatable", "('x').dump(print)"},
        EscapeCase{"collectgarbage", "collectgarbage('stop')"},
        EscapeCase{"getmetatable_string_dump", "getmetatable('').__index.dump(print)"}),
    [](const auto& test_info) { return test_info.param.name; });

TEST(LuaPolicyTest, ReturnsTheVerdictTheFunctionBuilds) {
  Verdict verdict = RunPolicy(
      "assert(report.symbol.PROBE_SYMBOL == 7.5)\n"
      "assert(report.envelope.rcpts[1] == 'b@example.net')\n"
      "assert(report.checks.probe.symbols.PROBE_SYMBOL == 7.5)\n"
      "return { action = 'reject', code = '554', xcode = '5.7.0', text = 'no %d',"
      " headers = { ['X-Test'] = 'yes' } }");
  EXPECT_EQ(verdict.source, "policy");
  EXPECT_EQ(verdict.action, Action::kReject);
  EXPECT_EQ(verdict.smtp_code, "554");
  EXPECT_EQ(verdict.enhanced_code, "5.7.0");
  EXPECT_EQ(verdict.text, "no %d");
  ASSERT_EQ(verdict.add_headers.size(), 1u);
  EXPECT_EQ(verdict.add_headers[0].name, "X-Test");
}

// symbols, symbol, checks and envelope are built when first read: the
// policy still sees every field, through pairs() too.
TEST(LuaPolicyTest, LazyReportFieldsBehaveLikePlainOnes) {
  Verdict verdict = RunPolicy(
      "assert(rawget(report, 'checks') == nil and rawget(report, 'envelope') == nil)\n"
      "local keys = {}\n"
      "for key in pairs(report) do keys[#keys + 1] = key end\n"
      "table.sort(keys)\n"
      "assert(table.concat(keys, ',') == "
      "'checks,envelope,requests,score,symbol,symbols,thresholds', table.concat(keys, ','))\n"
      "assert(rawget(report, 'checks') == report.checks)\n"
      "assert(report.symbols[1].name == 'PROBE_SYMBOL' and report.symbols[1].check == 'probe')\n"
      "assert(report.envelope.from == 'a@example.org')\n"
      "assert(report.nonexistent == nil and report[1] == nil)\n"
      "assert(getmetatable(report) == 'portcullis report')\n"
      "assert(not pcall(setmetatable, report, nil))\n"
      "return 'accept'");
  EXPECT_EQ(verdict.source, "policy");
  EXPECT_EQ(verdict.action, Action::kAccept);
}

// A report kept past its call (in a global) must not read the C++ data of
// a message that is gone, nor show a later message's: its unread fields
// stay nil. The runner's single Lua state keeps the global between calls.
TEST(LuaPolicyTest, KeptReportReadsNothingAfterItsCall) {
  PolicyConfig config;
  config.fallback = Action::kTempfail;
  config.max_states = 1;
  auto runner = RunnerFor(
      "return function(report)\n"
      "  if kept == nil then kept = report; return 'accept' end\n"
      "  assert(kept.checks == nil and kept.envelope == nil)\n"
      "  assert(kept.score == 1)\n"
      "  assert(report.envelope.from == 'second@example.org')\n"
      "  return 'reject'\n"
      "end\n",
      config);
  ASSERT_TRUE(runner);
  std::unordered_map<std::string, std::string> macros;
  ConnectionInfo connection;
  Verdict verdicts[2];
  for (int i = 0; i < 2; ++i) {
    auto report = std::make_unique<Report>();
    report->score = i + 1;
    auto message = std::make_unique<MessageInfo>();
    message->mail_from = i == 0 ? "first@example.org" : "second@example.org";
    verdicts[i] =
        runner->Decide(PolicyInput{*report, TransactionInfo{connection, *message, macros}});
  }
  EXPECT_EQ(verdicts[0].action, Action::kAccept);
  EXPECT_EQ(verdicts[1].source, "policy");
  EXPECT_EQ(verdicts[1].action, Action::kReject);
}

TEST(LuaPolicyTest, RunawayLoopHitsInstructionLimit) {
  Verdict verdict = RunPolicy("while true do end", Action::kAccept);
  EXPECT_EQ(verdict.source, "fallback");
  EXPECT_EQ(verdict.action, Action::kAccept);
}

TEST(LuaPolicyTest, PcallCannotSwallowTheInstructionLimit) {
  Verdict verdict = RunPolicy("while true do pcall(function() while true do end end) end");
  EXPECT_EQ(verdict.source, "fallback");
}

TEST(LuaPolicyTest, MemoryBombHitsMemoryLimit) {
  Verdict verdict =
      RunPolicy("local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 1024) .. i end",
                Action::kTempfail, 1000000000);
  EXPECT_EQ(verdict.source, "fallback");
}

TEST(LuaPolicyTest, BadReturnValuesFallBack) {
  for (const char* body :
       {"return nil", "return 42", "return 'explode'", "return { action = 'reject', code = '450' }",
        "return { action = 'tempfail', xcode = '5.1.1' }",
        "return { action = 'accept', headers = { ['Bad Name'] = 'x' } }", "error('boom')"}) {
    Verdict verdict = RunPolicy(body);
    EXPECT_EQ(verdict.source, "fallback") << body;
    EXPECT_EQ(verdict.action, Action::kTempfail) << body;
    EXPECT_EQ(verdict.smtp_code, "451") << body;
  }
}

TEST(LuaPolicyTest, StatesAreReusedAndStayUsable) {
  PolicyConfig config;
  config.instruction_limit = 10000;
  auto runner = RunnerFor(
      "local n = 0\nreturn function(r) n = n + 1\n"
      "if n % 2 == 0 then while true do end end\nreturn 'accept' end\n",
      config);
  ASSERT_TRUE(runner);
  Report report;
  ConnectionInfo connection;
  MessageInfo message;
  std::unordered_map<std::string, std::string> macros;
  TransactionInfo info{connection, message, macros};
  EXPECT_EQ(runner->Decide({report, info}).source, "policy");
  EXPECT_EQ(runner->Decide({report, info}).source, "fallback");
  EXPECT_EQ(runner->Decide({report, info}).source, "policy");
}

TEST(LuaPolicyTest, ShippedPolicyAppliesThresholds) {
  PolicyConfig config;  // the embedded lua/policy.lua
  ConfigErrors errors;
  auto runner = PolicyRunner::Create(config, &errors);
  ASSERT_TRUE(runner);
  ConnectionInfo connection;
  MessageInfo message;
  std::unordered_map<std::string, std::string> macros;
  TransactionInfo info{connection, message, macros};
  struct Case {
    double score;
    Action want;
  };
  for (Case c : {Case{0, Action::kAccept}, Case{6, Action::kAccept}, Case{10, Action::kQuarantine},
                 Case{15, Action::kReject}}) {
    Report report;
    report.score = c.score;
    Verdict verdict = runner->Decide({report, info});
    EXPECT_EQ(verdict.action, c.want) << "score " << c.score;
    if (c.score == 6) {
      ASSERT_EQ(verdict.add_headers.size(), 1u);
      EXPECT_EQ(verdict.add_headers[0].name, "X-Spam");
    }
  }
  // A check's hard request outranks the score; a reject outranks an accept.
  Report report;
  report.score = 100;
  report.requests.push_back({"lists", ActionRequest{Action::kAccept, "", "", "", "ALLOW"}});
  EXPECT_EQ(runner->Decide({report, info}).action, Action::kAccept);
  report.requests.push_back(
      {"bare_lf", ActionRequest{Action::kReject, "554", "5.7.0", "smuggling", "X"}});
  Verdict verdict = runner->Decide({report, info});
  EXPECT_EQ(verdict.action, Action::kReject);
  EXPECT_EQ(verdict.smtp_code, "554");
  EXPECT_EQ(verdict.text, "smuggling");
}

}  // namespace
}  // namespace portcullis
