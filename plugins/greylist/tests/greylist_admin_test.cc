#include "greylist_admin.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "greylist_command.h"
#include "greylist_decide.h"
#include "test_support.h"

namespace portcullis::greylist {
namespace {

using std::chrono::seconds;
using testing::FakeClock;
using testing::MemoryStore;

// Captures what a FILE* receives.
class Capture {
 public:
  Capture() : file_(std::tmpfile()) {}
  ~Capture() { std::fclose(file_); }
  FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    std::rewind(file_);
    std::string out;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file_)) > 0) out.append(buffer, n);
    return out;
  }

 private:
  FILE* file_;
};

struct Fixture {
  FakeClock clock;
  std::shared_ptr<MemoryStore> store =
      std::make_shared<MemoryStore>([this] { return clock.now(); });
  std::string opened_config;
  bool fail_open = false;
  std::string out;
  std::string err;

  int Run(std::vector<std::string> args) {
    GreylistCommandEnv env;
    env.open = [this](const std::string& config, std::string* error, bool* config_error) {
      opened_config = config;
      if (fail_open) {
        *error = config + ":3: bad store section";
        *config_error = true;
        return std::shared_ptr<store::Store>();
      }
      return std::shared_ptr<store::Store>(store);
    };
    env.now = [this] { return clock.now(); };
    Capture o;
    Capture e;
    const int code = RunGreylistCommand(args, env, o.file(), e.file());
    out = o.text();
    err = e.text();
    return code;
  }
  // A triplet decided as the check would, `passes` times through.
  void Greylist(const Triplet& triplet, bool pass) {
    GreylistConfig config;
    DecideWithStore(*store, config, triplet, clock.now());
    if (pass) {
      clock.Advance(seconds(300));
      DecideWithStore(*store, config, triplet, clock.now());
    }
  }
};

const Triplet kPending{"192.0.2.0/24", "alice@example.org", "bob@example.net"};
const Triplet kPassed{"198.51.100.0/24", "<>", "carol@example.net"};

TEST(GreylistAdmin, ListsEveryKindOfEntry) {
  Fixture f;
  f.Greylist(kPending, false);
  f.Greylist(kPassed, true);
  ASSERT_EQ(AllowNetwork(*f.store, "203.0.113.0/24", std::chrono::hours(24), f.clock.now(),
                         Deadline::Never())
                .status,
            store::Status::kOk);
  f.store->Seed("other:key", "x", f.clock.now() + seconds(60));  // not ours: not listed

  ListResult listed = ListEntries(*f.store, 100, Deadline::Never());
  ASSERT_EQ(listed.status, store::Status::kOk);
  ASSERT_EQ(listed.entries.size(), 4u);
  EXPECT_FALSE(listed.truncated);
  // Sorted by key: a:, n:, t:198..., t:192... sorted as text.
  EXPECT_EQ(listed.entries[0].kind, ListedEntry::Kind::kAllow);
  EXPECT_EQ(listed.entries[0].network, "203.0.113.0/24");
  EXPECT_EQ(listed.entries[1].kind, ListedEntry::Kind::kCounter);
  EXPECT_EQ(listed.entries[1].passes, 1);
  EXPECT_EQ(listed.entries[2].kind, ListedEntry::Kind::kTriplet);
  EXPECT_EQ(listed.entries[2].triplet.sender, "alice@example.org");
  ASSERT_TRUE(listed.entries[2].value);
  EXPECT_FALSE(listed.entries[2].value->passed);
  EXPECT_EQ(listed.entries[3].triplet.sender, "<>");
  EXPECT_TRUE(listed.entries[3].value->passed);

  ListResult limited = ListEntries(*f.store, 2, Deadline::Never());
  EXPECT_EQ(limited.entries.size(), 2u);
  EXPECT_TRUE(limited.truncated);
}

TEST(GreylistAdmin, CommandList) {
  Fixture f;
  f.Greylist(kPending, false);
  EXPECT_EQ(f.Run({"list", "-c", "/etc/portcullis/portcullis.lua"}), 0) << f.err;
  EXPECT_EQ(f.opened_config, "/etc/portcullis/portcullis.lua");
  EXPECT_EQ(f.out,
            "triplet 192.0.2.0/24 alice@example.org bob@example.net pending "
            "first_seen=2027-01-15T08:00:00Z expires=2027-01-17T08:00:00Z\n");
  EXPECT_EQ(f.Run({"list", "--json"}), 0) << f.err;
  EXPECT_EQ(f.out,
            "[{\"kind\":\"triplet\",\"key\":\"greylist:t:192.0.2.0/24|alice@example.org|bob@"
            "example.net\",\"network\":\"192.0.2.0/24\",\"sender\":\"alice@example.org\","
            "\"recipient\":\"bob@example.net\",\"state\":\"pending\",\"first_seen\":1800000000,"
            "\"expires\":1800172800}]\n");
}

TEST(GreylistAdmin, CommandShowAndDelete) {
  Fixture f;
  f.Greylist(kPending, false);
  // The command normalises like the check: case, sub-address, mapped IPv4.
  const std::vector<std::string> who = {"--client", "::ffff:192.0.2.99",
                                        "--sender", "Alice+news@Example.org",
                                        "--rcpt",   "Bob@Example.NET"};
  std::vector<std::string> show = {"show"};
  show.insert(show.end(), who.begin(), who.end());
  EXPECT_EQ(f.Run(show), 0) << f.err;
  EXPECT_NE(f.out.find("triplet 192.0.2.0/24 alice@example.org bob@example.net pending"),
            std::string::npos)
      << f.out;

  std::vector<std::string> del = {"delete"};
  del.insert(del.end(), who.begin(), who.end());
  EXPECT_EQ(f.Run(del), 0) << f.err;
  EXPECT_EQ(f.Run(del), 1);  // gone: not found
  EXPECT_EQ(f.Run(show), 1);
  EXPECT_NE(f.out.find("no entry"), std::string::npos);
}

TEST(GreylistAdmin, CommandDeleteNetwork) {
  Fixture f;
  f.Greylist(kPassed, true);
  f.Greylist({"198.51.100.0/24", "x@example.org", "y@example.net"}, false);
  f.Greylist(kPending, false);
  EXPECT_EQ(f.Run({"delete", "--network", "198.51.100.0/24"}), 0) << f.err;
  EXPECT_EQ(f.out, "deleted 3 entries of 198.51.100.0/24\n");  // 2 triplets + counter
  auto left = f.store->Snapshot();
  EXPECT_EQ(left.size(), 1u);
  EXPECT_EQ(left.count(TripletKey(kPending)), 1u);
  EXPECT_EQ(f.Run({"delete", "--network", "198.51.100.7"}), 1);  // nothing left there
}

TEST(GreylistAdmin, CommandAllowAndUnallow) {
  Fixture f;
  EXPECT_EQ(f.Run({"allow", "192.0.2.77", "--days", "7"}), 0) << f.err;
  auto entries = f.store->Snapshot();
  ASSERT_EQ(entries.count(AllowKey("192.0.2.0/24")), 1u);
  EXPECT_EQ(entries.at(AllowKey("192.0.2.0/24")).expires,
            f.clock.now() + std::chrono::hours(7 * 24));
  // The check now accepts the network.
  GreylistConfig config;
  EXPECT_EQ(DecideWithStore(*f.store, config, kPending, f.clock.now()).decision,
            Decision::kAllowlisted);

  EXPECT_EQ(f.Run({"unallow", "192.0.2.0/24"}), 0) << f.err;
  EXPECT_EQ(f.Run({"unallow", "192.0.2.0/24"}), 1);
  EXPECT_EQ(DecideWithStore(*f.store, config, kPending, f.clock.now()).decision, Decision::kNew);
}

TEST(GreylistAdmin, CommandUsageAndStoreErrors) {
  struct Case {
    const char* name;
    std::vector<std::string> args;
    int want;
    const char* want_err;
  } cases[] = {
      {"no subcommand", {}, 2, "which subcommand"},
      {"unknown subcommand", {"purge"}, 2, "unknown subcommand"},
      {"unknown option", {"list", "--bogus"}, 2, "--bogus"},
      {"show without rcpt", {"show", "--client", "192.0.2.1", "--sender", "a@b"}, 2, "required"},
      {"show with a bad client",
       {"show", "--client", "nope", "--sender", "a@b", "--rcpt", "c@d"},
       2,
       "not an IP address"},
      {"allow without network", {"allow"}, 2, "needs one NET_OR_IP"},
      {"allow a wider network", {"allow", "192.0.0.0/16"}, 2, "allowlist_clients"},
      {"allow days out of range", {"allow", "192.0.2.1", "--days", "0"}, 2, "--days"},
      {"delete both ways",
       {"delete", "--network", "192.0.2.0/24", "--client", "192.0.2.1"},
       2,
       "not both"},
      {"bad limit", {"list", "--limit", "x"}, 2, "--limit"},
  };
  for (const Case& c : cases) {
    Fixture f;
    EXPECT_EQ(f.Run(c.args), c.want) << c.name;
    EXPECT_NE(f.err.find(c.want_err), std::string::npos) << c.name << ": " << f.err;
    EXPECT_EQ(f.store->calls().total(), 0) << c.name;  // checked before the store is opened
  }
  Fixture config_error;
  config_error.fail_open = true;
  EXPECT_EQ(config_error.Run({"list", "-c", "bad.lua"}), 2);
  EXPECT_NE(config_error.err.find("bad.lua:3"), std::string::npos);

  Fixture down;
  down.store->SetFailing(true);
  EXPECT_EQ(down.Run({"list"}), 1);
  EXPECT_NE(down.err.find("store unavailable"), std::string::npos);
  EXPECT_EQ(down.Run({"allow", "192.0.2.1"}), 1);

  Fixture help;
  EXPECT_EQ(help.Run({"--help"}), 0);
  EXPECT_NE(help.out.find("usage: portcullis greylist"), std::string::npos);
}

TEST(GreylistAdmin, CustomPrefixes) {
  Fixture f;
  EXPECT_EQ(f.Run({"allow", "2001:db8:1:2::5", "--ipv6-prefix", "48"}), 0) << f.err;
  EXPECT_EQ(f.store->Snapshot().count(AllowKey("2001:db8:1::/48")), 1u);
}

}  // namespace
}  // namespace portcullis::greylist
