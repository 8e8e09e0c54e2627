#include "dns/dns_server_list.h"

#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "dns/resolv_conf.h"

namespace portcullis::dns {
namespace {

TEST(DnsServerList, ParseServerAddress) {
  struct Case {
    std::string input;
    std::string want_text;  // ServerAddress::text when valid
    int want_family;
    bool want_ok;
  } cases[] = {
      {"127.0.0.1", "127.0.0.1:53", AF_INET, true},
      {"127.0.0.1:5353", "127.0.0.1:5353", AF_INET, true},
      {"::1", "[::1]:53", AF_INET6, true},
      {"[::1]", "[::1]:53", AF_INET6, true},
      {"[2001:db8::53]:5300", "[2001:db8::53]:5300", AF_INET6, true},
      {"", "", 0, false},
      {"127.0.0.1:", "", 0, false},
      {"127.0.0.1:0", "", 0, false},
      {"127.0.0.1:65536", "", 0, false},
      {"127.0.0.1:53x", "", 0, false},
      {"ns.example.com", "", 0, false},  // never resolved by name
      {"ns.example.com:53", "", 0, false},
      {"300.1.1.1", "", 0, false},
      {"[::1", "", 0, false},
      {"[::1]53", "", 0, false},
      {"[::1]:", "", 0, false},
  };
  for (const Case& c : cases) {
    ServerAddress server;
    std::string error;
    bool ok = ParseServerAddress(c.input, &server, &error);
    EXPECT_EQ(ok, c.want_ok) << "input '" << c.input << "' error " << error;
    if (!c.want_ok) {
      EXPECT_FALSE(error.empty()) << c.input;
      continue;
    }
    EXPECT_EQ(server.text, c.want_text) << c.input;
    EXPECT_EQ(server.family(), c.want_family) << c.input;
  }
}

TEST(DnsServerList, SameServerComparesAddressAndPort) {
  ServerAddress server;
  std::string error;
  ASSERT_TRUE(ParseServerAddress("127.0.0.1:5353", &server, &error));
  ServerAddress same, other_port, other_host, v6;
  ASSERT_TRUE(ParseServerAddress("127.0.0.1:5353", &same, &error));
  ASSERT_TRUE(ParseServerAddress("127.0.0.1:5354", &other_port, &error));
  ASSERT_TRUE(ParseServerAddress("127.0.0.2:5353", &other_host, &error));
  ASSERT_TRUE(ParseServerAddress("[::1]:5353", &v6, &error));
  EXPECT_TRUE(SameServer(server, same.sockaddr_ptr(), same.length));
  EXPECT_FALSE(SameServer(server, other_port.sockaddr_ptr(), other_port.length));
  EXPECT_FALSE(SameServer(server, other_host.sockaddr_ptr(), other_host.length));
  EXPECT_FALSE(SameServer(server, v6.sockaddr_ptr(), v6.length));
  EXPECT_FALSE(SameServer(server, same.sockaddr_ptr(), 4));  // short address
}

TEST(DnsServerList, ParseResolvConf) {
  struct Case {
    std::string text;
    std::vector<std::string> want;
  } cases[] = {
      {"", {}},
      {"nameserver 192.0.2.53\n", {"192.0.2.53"}},
      {"# comment\n; other\nsearch example.com\nnameserver\t10.0.0.1  \r\n"
       "nameserver ::1\noptions ndots:2\n",
       {"10.0.0.1", "::1"}},
      {"  nameserver 1.1.1.1 # trailing words ignored", {"1.1.1.1"}},
      {"#nameserver 1.1.1.1\nnameserverx 2.2.2.2\nnameserver\n", {}},
      {"nameserver fe80::1%eth0\n", {"fe80::1%eth0"}},
      {"nameserver 1.0.0.1\nnameserver 1.0.0.2\nnameserver 1.0.0.3\nnameserver 1.0.0.4\n",
       {"1.0.0.1", "1.0.0.2", "1.0.0.3"}},  // MAXNS
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ParseResolvConf(c.text), c.want) << "text:\n" << c.text;
  }
}

class DnsServerListFile : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/resolv_conf_test_" + std::to_string(getpid());
  }
  void TearDown() override { std::remove(path_.c_str()); }
  void Write(const std::string& text) { std::ofstream(path_) << text; }
  std::string path_;
};

TEST_F(DnsServerListFile, BuildServerList) {
  std::vector<ServerAddress> servers;
  std::string error;
  // Configured servers win over resolv.conf.
  Write("nameserver 192.0.2.1\n");
  ASSERT_TRUE(BuildServerList({"127.0.0.1:5353", "[::1]"}, path_, &servers, &error)) << error;
  ASSERT_EQ(servers.size(), 2u);
  EXPECT_EQ(servers[0].text, "127.0.0.1:5353");
  EXPECT_EQ(servers[1].text, "[::1]:53");
  // Empty: resolv.conf, both families.
  Write("nameserver 192.0.2.1\nnameserver 2001:db8::1\n");
  ASSERT_TRUE(BuildServerList({}, path_, &servers, &error)) << error;
  ASSERT_EQ(servers.size(), 2u);
  EXPECT_EQ(servers[0].text, "192.0.2.1:53");
  EXPECT_EQ(servers[1].text, "[2001:db8::1]:53");
  // No nameserver line, or no file: 127.0.0.1:53.
  Write("search example.com\n");
  ASSERT_TRUE(BuildServerList({}, path_, &servers, &error)) << error;
  ASSERT_EQ(servers.size(), 1u);
  EXPECT_EQ(servers[0].text, "127.0.0.1:53");
  ASSERT_TRUE(BuildServerList({}, path_ + ".missing", &servers, &error)) << error;
  ASSERT_EQ(servers.size(), 1u);
  EXPECT_EQ(servers[0].text, "127.0.0.1:53");
  // A bad entry names itself.
  EXPECT_FALSE(BuildServerList({"127.0.0.1", "dns.example"}, path_, &servers, &error));
  EXPECT_NE(error.find("'dns.example'"), std::string::npos) << error;
}

}  // namespace
}  // namespace portcullis::dns
