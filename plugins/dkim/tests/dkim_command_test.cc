// `portcullis dkim-verify`: argument parsing, exit codes, and the exact
// output on the RFC 8463 message with a FakeResolver.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "dkim_command_args.h"
#include "dkim_test_support.h"
#include "fake_resolver.h"
#include "portcullis/command_registry.h"

namespace portcullis::dkim {
namespace {

using portcullis::testing::FakeResolver;

constexpr int64_t kNow = 1528637909 + 60;

TEST(DkimVerifyArgs, Accepted) {
  struct Case {
    std::vector<std::string> args;
    std::string want_file;
    std::string want_dns;
    int want_timeout;
    bool want_json;
  } cases[] = {
      {{"m.eml"}, "m.eml", "", kDefaultDnsTimeoutMs, false},
      {{"--json", "m.eml"}, "m.eml", "", kDefaultDnsTimeoutMs, true},
      {{"--dns", "127.0.0.1:5353", "--dns-timeout-ms", "250", "m.eml", "--json"},
       "m.eml",
       "127.0.0.1:5353",
       250,
       true},
      {{"--dns=127.0.0.1:53", "--dns-timeout-ms=9", "-"}, "-", "127.0.0.1:53", 9, false},
  };
  for (const Case& c : cases) {
    std::string error;
    auto args = ParseDkimVerifyArgs(c.args, &error);
    ASSERT_TRUE(args) << error;
    EXPECT_EQ(args->file, c.want_file);
    EXPECT_EQ(args->dns, c.want_dns);
    EXPECT_EQ(args->timeout_ms, c.want_timeout);
    EXPECT_EQ(args->json, c.want_json);
  }
}

TEST(DkimVerifyArgs, Rejected) {
  struct Case {
    std::vector<std::string> args;
    std::string want_error;
  } cases[] = {
      {{}, "a message file is required"},
      {{"--json"}, "a message file is required"},
      {{"a.eml", "b.eml"}, "unexpected argument b.eml"},
      {{"--frobnicate", "a.eml"}, "unknown option --frobnicate"},
      {{"a.eml", "--dns"}, "option --dns needs a value"},
      {{"--dns-timeout-ms", "0", "a.eml"}, "--dns-timeout-ms: want 1 to 120000"},
      {{"--dns-timeout-ms", "5s", "a.eml"}, "--dns-timeout-ms: want 1 to 120000"},
      {{"--json=yes", "a.eml"}, "option --json takes no value"},
  };
  for (const Case& c : cases) {
    std::string error;
    EXPECT_FALSE(ParseDkimVerifyArgs(c.args, &error));
    EXPECT_EQ(error, c.want_error);
  }
}

// Runs the command with a FakeResolver holding the RFC 8463 keys; returns
// the exit code and fills stdout/stderr.
int RunCommand(const std::vector<std::string>& args, std::string* out, std::string* err,
               bool keys = true) {
  std::FILE* out_file = std::tmpfile();
  std::FILE* err_file = std::tmpfile();
  const int code = RunDkimVerifyCommand(
      args,
      [keys](const dns::ResolverOptions&, std::string*) -> std::unique_ptr<dns::Resolver> {
        auto resolver = std::make_unique<FakeResolver>();
        if (keys) testing::LoadKeys(*resolver, testing::RfcData("rfc8463-keys.txt"));
        return resolver;
      },
      kNow, out_file, err_file);
  auto slurp = [](std::FILE* file) {
    std::string text;
    std::rewind(file);
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
    std::fclose(file);
    return text;
  };
  *out = slurp(out_file);
  *err = slurp(err_file);
  return code;
}

TEST(DkimVerifyCommand, JsonOnRfc8463) {
  std::string out, err;
  EXPECT_EQ(RunCommand({"--json", testing::RfcData("rfc8463-message.eml")}, &out, &err), 0) << err;
  EXPECT_EQ(out,
            "{\"signatures\": ["
            "{\"domain\": \"football.example.com\", \"selector\": \"brisbane\", "
            "\"algorithm\": \"ed25519-sha256\", \"result\": \"pass\", \"reason\": \"\"}, "
            "{\"domain\": \"football.example.com\", \"selector\": \"test\", "
            "\"algorithm\": \"rsa-sha256\", \"result\": \"pass\", \"reason\": \"\"}"
            "], \"result\": \"pass\"}\n");
}

TEST(DkimVerifyCommand, TextWithoutKeys) {
  std::string out, err;
  EXPECT_EQ(RunCommand({testing::RfcData("rfc8463-message.eml")}, &out, &err, /*keys=*/false), 0);
  EXPECT_EQ(out,
            "permerror d=football.example.com s=brisbane a=ed25519-sha256 (no key for signature)\n"
            "permerror d=football.example.com s=test a=rsa-sha256 (no key for signature)\n"
            "result: permerror\n");
}

TEST(DkimVerifyCommand, LoneLfMessageVerifiesLikeCrlf) {
  std::string text = testing::ReadFile(testing::RfcData("rfc8463-message.eml"));
  std::string lf;
  for (char c : text) {
    if (c != '\r') lf.push_back(c);
  }
  const std::string path = ::testing::TempDir() + "/dkim_lf.eml";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_TRUE(file);
  std::fwrite(lf.data(), 1, lf.size(), file);
  std::fclose(file);
  std::string out, err;
  EXPECT_EQ(RunCommand({"--json", path}, &out, &err), 0);
  EXPECT_NE(out.find("], \"result\": \"pass\"}"), std::string::npos) << out;
  EXPECT_EQ(out.find("fail"), std::string::npos) << out;
  std::remove(path.c_str());
}

TEST(DkimVerifyCommand, ExitCodes) {
  std::string out, err;
  EXPECT_EQ(RunCommand({}, &out, &err), 2);
  EXPECT_NE(err.find("usage:"), std::string::npos);
  EXPECT_EQ(RunCommand({"--bogus", "x.eml"}, &out, &err), 2);
  EXPECT_EQ(RunCommand({"/nonexistent/dir/x.eml"}, &out, &err), 1);
  EXPECT_NE(err.find("cannot read"), std::string::npos) << err;
  EXPECT_EQ(RunCommand({"--help"}, &out, &err), 0);
  EXPECT_NE(out.find("usage: portcullis dkim-verify"), std::string::npos);
}

TEST(DkimVerifyCommand, UnsignedMessageIsNone) {
  const std::string path = ::testing::TempDir() + "/dkim_none.eml";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_TRUE(file);
  std::fputs("From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n", file);
  std::fclose(file);
  std::string out, err;
  EXPECT_EQ(RunCommand({"--json", path}, &out, &err), 0);
  EXPECT_EQ(out, "{\"signatures\": [], \"result\": \"none\"}\n");
  std::remove(path.c_str());
}

TEST(DkimVerifyCommand, Registered) {
  const Command* command = FindCommand("dkim-verify");
  ASSERT_NE(command, nullptr);
  EXPECT_FALSE(command->summary.empty());
}

}  // namespace
}  // namespace portcullis::dkim
