// `portcullis spf`: argument parsing, the exact output formats, and the
// whole command on a FakeResolver.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "portcullis/command_registry.h"
#include "spf_command_args.h"
#include "spf_test_support.h"

namespace portcullis::spf {
namespace {

using portcullis::testing::FakeResolver;
using testing::LoadZone;

TEST(SpfCommandArgs, Accepted) {
  struct Case {
    std::vector<std::string> args;
    const char* want_ip;
    const char* want_helo;
    const char* want_sender;
    const char* want_dns;
    int want_timeout;
    bool want_json;
  } cases[] = {
      {{"--ip", "192.0.2.1", "--helo", "mail.example.org"},
       "192.0.2.1",
       "mail.example.org",
       "",
       "",
       5000,
       false},
      {{"--ip=2001:db8::1", "--helo=h.example", "--sender=u@example.com", "--json"},
       "2001:db8::1",
       "h.example",
       "u@example.com",
       "",
       5000,
       true},
      {{"--json", "--sender", "", "--helo", "h.example", "--ip", "192.0.2.1", "--dns",
        "127.0.0.1:5353", "--dns-timeout-ms", "250"},
       "192.0.2.1",
       "h.example",
       "",
       "127.0.0.1:5353",
       250,
       true},
  };
  for (const Case& c : cases) {
    std::string error;
    auto args = ParseSpfCommandArgs(c.args, &error);
    ASSERT_TRUE(args) << error;
    EXPECT_EQ(args->ip.ToString(), c.want_ip);
    EXPECT_EQ(args->helo, c.want_helo);
    EXPECT_EQ(args->sender, c.want_sender);
    EXPECT_EQ(args->dns, c.want_dns);
    EXPECT_EQ(args->timeout_ms, c.want_timeout);
    EXPECT_EQ(args->json, c.want_json);
    EXPECT_FALSE(args->help);
  }
}

TEST(SpfCommandArgs, BadUsage) {
  struct Case {
    std::vector<std::string> args;
    const char* want_error;
  } cases[] = {
      {{}, "--ip is required"},
      {{"--ip", "192.0.2.1"}, "--helo is required"},
      {{"--helo", "h.example"}, "--ip is required"},
      {{"--ip", "192.0.2.300", "--helo", "h"}, "is not an IP address"},
      {{"--ip", "example.com", "--helo", "h"}, "is not an IP address"},
      {{"--ip", "192.0.2.1", "--helo", "h", "--verbose"}, "unknown option --verbose"},
      {{"--ip", "192.0.2.1", "--helo", "h", "stray"}, "unexpected argument stray"},
      {{"--ip", "192.0.2.1", "--helo"}, "option --helo needs a value"},
      {{"--ip", "192.0.2.1", "--helo", "h", "--dns-timeout-ms", "0"}, "--dns-timeout-ms"},
      {{"--ip", "192.0.2.1", "--helo", "h", "--dns-timeout-ms", "5s"}, "--dns-timeout-ms"},
      {{"--ip", "192.0.2.1", "--helo", "h", "--json=yes"}, "--json takes no value"},
  };
  for (const Case& c : cases) {
    std::string error;
    EXPECT_FALSE(ParseSpfCommandArgs(c.args, &error));
    EXPECT_NE(error.find(c.want_error), std::string::npos)
        << "got '" << error << "', want '" << c.want_error << "'";
  }
  std::string error;
  auto help = ParseSpfCommandArgs({"--ip", "bogus", "--help"}, &error);
  ASSERT_TRUE(help);
  EXPECT_TRUE(help->help);
}

TEST(SpfCommandArgs, ResolverOptionsFollowTheFlags) {
  std::string error;
  auto args = ParseSpfCommandArgs({"--ip", "192.0.2.1", "--helo", "h.example", "--dns",
                                   "127.0.0.1:5353", "--dns-timeout-ms", "300"},
                                  &error);
  ASSERT_TRUE(args);
  dns::ResolverOptions options = ResolverOptionsFor(*args);
  EXPECT_EQ(options.servers, std::vector<std::string>{"127.0.0.1:5353"});
  EXPECT_EQ(options.query_timeout, std::chrono::milliseconds(300));
  EXPECT_EQ(options.attempt_timeout, std::chrono::milliseconds(300));
  auto system = ParseSpfCommandArgs({"--ip", "192.0.2.1", "--helo", "h.example"}, &error);
  EXPECT_TRUE(ResolverOptionsFor(*system).servers.empty());
  EXPECT_EQ(ResolverOptionsFor(*system).query_timeout, std::chrono::milliseconds(5000));
  // An empty sender is the HELO identity, exactly as the daemon does it.
  CheckHostRequest request = CheckHostRequestFor(*system);
  EXPECT_EQ(request.domain, "h.example");
  EXPECT_EQ(request.sender, "postmaster@h.example");
}

TEST(SpfCommandOutput, ExactFormats) {
  struct Case {
    SpfResult result;
    const char* reason;
    const char* explanation;
    const char* want_text;
    const char* want_json;
  } cases[] = {
      {SpfResult::kPass, "example.com: ip4:192.0.2.1 matched", "",
       "pass (example.com: ip4:192.0.2.1 matched)\n", "{\"result\": \"pass\"}\n"},
      {SpfResult::kFail, "example.com: -all matched", "Go away, \"192.0.2.1\"",
       "fail (Go away, \"192.0.2.1\")\n",
       "{\"result\": \"fail\", \"explanation\": \"Go away, \\\"192.0.2.1\\\"\"}\n"},
      {SpfResult::kNone, "", "", "none\n", "{\"result\": \"none\"}\n"},
      {SpfResult::kSoftfail, "x", "", "softfail (x)\n", "{\"result\": \"softfail\"}\n"},
      {SpfResult::kNeutral, "x", "", "neutral (x)\n", "{\"result\": \"neutral\"}\n"},
      {SpfResult::kTemperror, "t", "", "temperror (t)\n", "{\"result\": \"temperror\"}\n"},
      {SpfResult::kPermerror, "p", "", "permerror (p)\n", "{\"result\": \"permerror\"}\n"},
      {SpfResult::kFail, "r", "back\\slash", "fail (back\\slash)\n",
       "{\"result\": \"fail\", \"explanation\": \"back\\\\slash\"}\n"},
  };
  for (const Case& c : cases) {
    SpfOutcome outcome;
    outcome.result = c.result;
    outcome.reason = c.reason;
    outcome.explanation = c.explanation;
    EXPECT_EQ(FormatSpfText(outcome), c.want_text);
    EXPECT_EQ(FormatSpfJson(outcome), c.want_json);
  }
}

// Captures what RunSpfCommand writes.
struct Captured {
  int status = -1;
  std::string out;
  std::string err;
};

Captured RunWith(const std::vector<std::string>& args, dns::Resolver* resolver) {
  Captured captured;
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  captured.status = RunSpfCommand(
      args,
      [resolver](const dns::ResolverOptions&,
                 std::string* error) -> std::unique_ptr<dns::Resolver> {
        if (!resolver) {
          *error = "resolver not built yet";
          return nullptr;
        }
        // A non-owning wrapper around the test's resolver.
        struct Borrowed : dns::Resolver {
          explicit Borrowed(dns::Resolver* target) : target_(target) {}
          using dns::Resolver::Lookup;
          void Lookup(std::string_view name, dns::RecordType type, Deadline deadline,
                      dns::LookupCallback done) override {
            target_->Lookup(name, type, deadline, std::move(done));
          }
          dns::Resolver* target_;
        };
        return std::make_unique<Borrowed>(resolver);
      },
      out, err);
  auto read = [](std::FILE* file) {
    std::string text;
    std::rewind(file);
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) text.append(buffer, n);
    std::fclose(file);
    return text;
  };
  captured.out = read(out);
  captured.err = read(err);
  return captured;
}

TEST(SpfCommand, RunsOnTheResolver) {
  FakeResolver resolver;
  LoadZone(resolver, {{"TXT", "example.com", "v=spf1 ip4:192.0.2.1 -all exp=why.example.com"},
                      {"TXT", "why.example.com", "%{i} is not allowed"},
                      {"TXT", "h.example", "v=spf1 a -all"},
                      {"A", "h.example", "192.0.2.5"}});
  resolver.set_async(true);
  struct Case {
    std::vector<std::string> args;
    const char* want_out;
  } cases[] = {
      {{"--ip", "192.0.2.1", "--helo", "h.example", "--sender", "u@example.com", "--json"},
       "{\"result\": \"pass\"}\n"},
      {{"--ip", "192.0.2.9", "--helo", "h.example", "--sender", "u@example.com", "--json"},
       "{\"result\": \"fail\", \"explanation\": \"192.0.2.9 is not allowed\"}\n"},
      {{"--ip", "192.0.2.9", "--helo", "h.example", "--sender", "u@example.com"},
       "fail (192.0.2.9 is not allowed)\n"},
      // --sender "" (or absent): the HELO identity.
      {{"--ip", "192.0.2.5", "--helo", "h.example", "--sender", "", "--json"},
       "{\"result\": \"pass\"}\n"},
      {{"--ip", "192.0.2.6", "--helo", "h.example"}, "fail (h.example: -all matched)\n"},
      {{"--ip", "192.0.2.6", "--helo", "h.example", "--sender", "u@nowhere.example", "--json"},
       "{\"result\": \"none\"}\n"},
  };
  for (const Case& c : cases) {
    Captured got = RunWith(c.args, &resolver);
    EXPECT_EQ(got.status, 0) << got.err;
    EXPECT_EQ(got.out, c.want_out);
    EXPECT_EQ(got.err, "");
  }
}

TEST(SpfCommand, ExitStatuses) {
  FakeResolver resolver;
  Captured usage = RunWith({"--ip", "192.0.2.1"}, &resolver);
  EXPECT_EQ(usage.status, 2);
  EXPECT_EQ(usage.out, "");
  EXPECT_EQ(usage.err.rfind("portcullis spf: --helo is required\nusage: portcullis spf", 0), 0u)
      << usage.err;
  Captured help = RunWith({"--help"}, &resolver);
  EXPECT_EQ(help.status, 0);
  EXPECT_EQ(help.out, kSpfCommandHelp);
  Captured no_resolver = RunWith({"--ip", "192.0.2.1", "--helo", "h.example"}, nullptr);
  EXPECT_EQ(no_resolver.status, 1);
  EXPECT_EQ(no_resolver.err, "portcullis spf: no resolver: resolver not built yet\n");
  EXPECT_EQ(resolver.lookups(), 0);
}

TEST(SpfCommand, IsRegistered) {
  const Command* command = FindCommand("spf");
  ASSERT_TRUE(command);
  EXPECT_FALSE(command->summary.empty());
  // Bad usage never reaches the resolver.
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(command->run({"--bogus"}), 2);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("unknown option --bogus"),
            std::string::npos);
}

}  // namespace
}  // namespace portcullis::spf
