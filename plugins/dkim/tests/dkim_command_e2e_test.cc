// `portcullis dkim-verify` end to end: the registered command on the real
// resolver against portcullis_test_dns_server serving the generated zone
// (tests/data/dkim/generated), every manifest entry, plus a dead server.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "dkim_json_reader.h"
#include "dkim_test_support.h"
#include "dns_server_process.h"
#include "portcullis/command_registry.h"

namespace portcullis::dkim {
namespace {

using testing::Json;

std::string Generated(const std::string& name) {
  return std::string(PORTCULLIS_DKIM_GENERATED_DATA) + "/" + name;
}

bool Contains(const Json& list, const std::string& word) {
  return std::any_of(list.items.begin(), list.items.end(),
                     [&](const Json& item) { return item.string == word; });
}

Json RunJson(const Command& command, const std::vector<std::string>& args) {
  ::testing::internal::CaptureStdout();
  const int status = command.run(args);
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(status, 0);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;  // one line
  Json json;
  EXPECT_TRUE(testing::JsonReader(out).Read(&json)) << out;
  return json;
}

TEST(DkimVerifyE2e, GeneratedVectorsOverRealDns) {
  std::string error;
  auto server = portcullis::testing::DnsServerProcess::Start({Generated("dkim.example.test.zone")},
                                                             {}, &error);
  ASSERT_TRUE(server) << error;
  const Command* command = FindCommand("dkim-verify");
  ASSERT_TRUE(command);
  Json manifest;
  ASSERT_TRUE(testing::JsonReader(testing::ReadFile(Generated("manifest.json"))).Read(&manifest));
  for (const Json& entry : manifest.items) {
    const std::string file = entry["file"].string;
    SCOPED_TRACE(file);
    // The real clock: every x= but expired.eml's is in 2100.
    const Json got = RunJson(*command, {"--json", "--dns", server->address(), Generated(file)});
    EXPECT_TRUE(Contains(entry["acceptable"], got["result"].string))
        << "got " << got["result"].string << ", want " << entry["result"].string;
    ASSERT_EQ(got["signatures"].items.size(), entry["signatures"].items.size());
    for (size_t i = 0; i < got["signatures"].items.size(); ++i) {
      const Json& sig = got["signatures"].items[i];
      EXPECT_TRUE(Contains(entry["signatures"].items[i]["acceptable"], sig["result"].string))
          << "signature " << i << ": got " << sig["result"].string << " (" << sig["reason"].string
          << ")";
    }
  }
  EXPECT_GE(server->CountQueries("rsa2048._domainkey.dkim.example.test", "TXT"), 1);
}

// The RFC 6376 A.2 and RFC 8463 A.3 example messages, their keys served
// from zone files (tests/data/dkim/rfc): every signature passes.
TEST(DkimVerifyE2e, RfcExamplesOverRealDns) {
  std::string error;
  auto server = portcullis::testing::DnsServerProcess::Start(
      {Generated("../rfc/football.example.com.zone"), Generated("../rfc/example.com.zone")}, {},
      &error);
  ASSERT_TRUE(server) << error;
  const Command* command = FindCommand("dkim-verify");
  ASSERT_TRUE(command);
  struct Case {
    const char* file;
    std::vector<std::string> want;  // "selector result" per signature
  } cases[] = {
      {"../rfc/rfc8463-message.eml", {"brisbane pass", "test pass"}},
      {"../rfc/rfc6376-message.eml", {"brisbane pass"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    const Json got = RunJson(*command, {"--json", "--dns", server->address(), Generated(c.file)});
    EXPECT_EQ(got["result"].string, "pass");
    std::vector<std::string> signatures;
    for (const Json& sig : got["signatures"].items) {
      signatures.push_back(sig["selector"].string + " " + sig["result"].string);
    }
    EXPECT_EQ(signatures, c.want);
  }
  EXPECT_EQ(server->CountQueries("brisbane._domainkey.football.example.com", "TXT"), 1);
}

TEST(DkimVerifyE2e, DeadServerIsTemperror) {
  std::string error;
  auto server = portcullis::testing::DnsServerProcess::Start({Generated("dkim.example.test.zone")},
                                                             {"dkim.example.test=drop"}, &error);
  ASSERT_TRUE(server) << error;
  const Command* command = FindCommand("dkim-verify");
  ASSERT_TRUE(command);
  const Json got = RunJson(*command, {"--json", "--dns", server->address(), "--dns-timeout-ms",
                                      "400", Generated("matrix_relaxed_relaxed_rsa2048.eml")});
  EXPECT_EQ(got["result"].string, "temperror");
  ASSERT_EQ(got["signatures"].items.size(), 1u);
  EXPECT_EQ(got["signatures"].items[0]["result"].string, "temperror");
}

}  // namespace
}  // namespace portcullis::dkim
