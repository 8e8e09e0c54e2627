// `portcullis spf` end to end: the registered command on the real resolver
// against portcullis_test_dns_server serving tests/data/spf.zone.
//
// Skipped while dns::MakeResolver is the placeholder (it returns nullptr);
// runs as soon as the real resolver is linked.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dns_server_process.h"
#include "portcullis/command_registry.h"
#include "portcullis/dns.h"

namespace portcullis::spf {
namespace {

const std::string kZone = std::string(PORTCULLIS_SPF_TEST_DATA) + "/spf.zone";

TEST(SpfCommandE2e, AgainstTheTestDnsServer) {
  std::string error;
  auto server =
      portcullis::testing::DnsServerProcess::Start({kZone}, {"x.slow.spf.test=drop"}, &error);
  ASSERT_TRUE(server) << error;
  const Command* command = FindCommand("spf");
  ASSERT_TRUE(command);

  struct Case {
    std::vector<std::string> args;
    const char* want_stdout;
  } cases[] = {
      {{"--ip", "192.0.2.1", "--helo", "h.spf.test", "--sender", "u@spf.test", "--json"},
       "{\"result\": \"pass\"}\n"},
      {{"--ip", "198.51.100.7", "--helo", "h.spf.test", "--sender", "u@spf.test", "--json"},
       "{\"result\": \"pass\"}\n"},
      {{"--ip", "2001:db8::5", "--helo", "h.spf.test", "--sender", "u@spf.test", "--json"},
       "{\"result\": \"pass\"}\n"},
      {{"--ip", "192.0.2.25", "--helo", "h.spf.test", "--sender", "u@spf.test", "--json"},
       "{\"result\": \"pass\"}\n"},
      {{"--ip", "203.0.113.1", "--helo", "h.spf.test", "--sender", "u@spf.test", "--json"},
       "{\"result\": \"fail\", \"explanation\": \"203.0.113.1 is not allowed to send for "
       "spf.test\"}\n"},
      {{"--ip", "203.0.113.1", "--helo", "h.spf.test", "--sender", "u@spf.test"},
       "fail (203.0.113.1 is not allowed to send for spf.test)\n"},
      {{"--ip", "192.0.2.77", "--helo", "helo.spf.test", "--sender", "", "--json"},
       "{\"result\": \"pass\"}\n"},
      {{"--ip", "192.0.2.78", "--helo", "helo.spf.test", "--json"}, "{\"result\": \"fail\"}\n"},
      {{"--ip", "192.0.2.1", "--helo", "h.spf.test", "--sender", "u@split.spf.test", "--json"},
       "{\"result\": \"pass\"}\n"},
      {{"--ip", "192.0.2.1", "--helo", "h.spf.test", "--sender", "u@broken.spf.test", "--json"},
       "{\"result\": \"permerror\"}\n"},
      {{"--ip", "192.0.2.1", "--helo", "h.spf.test", "--sender", "u@nothing.spf.test", "--json"},
       "{\"result\": \"none\"}\n"},
      {{"--ip", "192.0.2.1", "--helo", "h.spf.test", "--sender", "u@slow.spf.test",
        "--dns-timeout-ms", "500", "--json"},
       "{\"result\": \"temperror\"}\n"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = c.args;
    args.push_back("--dns");
    args.push_back(server->address());
    ::testing::internal::CaptureStdout();
    const int status = command->run(args);
    const std::string out = ::testing::internal::GetCapturedStdout();
    EXPECT_EQ(status, 0) << c.args[1];
    EXPECT_EQ(out, c.want_stdout) << "args ip=" << c.args[1];
  }
  EXPECT_GE(server->CountQueries("_spf.spf.test", "TXT"), 1);
  EXPECT_GE(server->CountQueries("why.spf.test", "TXT"), 1);
}

}  // namespace
}  // namespace portcullis::spf
