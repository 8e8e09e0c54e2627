#include "entry_list.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace portcullis::lists {
namespace {

EntryList Build(EntryKind kind, const std::vector<std::string>& entries) {
  EntryList list(kind);
  for (const std::string& entry : entries) {
    EXPECT_EQ(list.Add(entry), "") << "entry " << entry;
  }
  list.Build();
  return list;
}

struct LookupCase {
  std::vector<std::string> entries;
  std::string probe;
  bool want;
};

TEST(ListsEntryList, AddressTable) {
  const LookupCase cases[] = {
      // "example.org": the domain and all its subdomains.
      {{"example.org"}, "user@example.org", true},
      {{"example.org"}, "user@a.example.org", true},
      {{"example.org"}, "user@a.b.example.org", true},
      {{"example.org"}, "user@badexample.org", false},
      {{"example.org"}, "user@example.org.evil", false},
      {{"example.org"}, "user@org", false},
      {{"Example.ORG."}, "user@EXAMPLE.org", true},
      {{"example.org"}, "user@example.org.", true},
      {{"example.org"}, "<user@example.org>", true},
      {{"org"}, "user@example.org", true},  // a whole TLD
      // "@example.org": that exact domain only.
      {{"@example.org"}, "user@example.org", true},
      {{"@example.org"}, "user@EXAMPLE.ORG", true},
      {{"@example.org"}, "user@a.example.org", false},
      {{"@example.org"}, "user@badexample.org", false},
      // "a@b": that exact address; local part compared case-insensitively.
      {{"Spammer@Example.org"}, "spammer@example.org", true},
      {{"spammer@example.org"}, "SPAMMER@EXAMPLE.ORG", true},
      {{"spammer@example.org"}, "other@example.org", false},
      {{"spammer@example.org"}, "spammer@a.example.org", false},
      {{"spammer@example.org"}, "xspammer@example.org", false},
      {{"a+tag@example.org"}, "a+tag@example.org", true},
      {{"a#b@example.org"}, "a#b@example.org", true},
      {{"\"odd local\"@example.org"}, "\"Odd Local\"@example.org", true},
      // Inputs that are no addresses match nothing.
      {{"postmaster"}, "postmaster", false},
      {{"example.org"}, "", false},
      {{"example.org"}, "user@", false},
      {{"example.org"}, "user@" + std::string(600, 'a') + ".example.org", false},
  };
  for (const LookupCase& c : cases) {
    EntryList list = Build(EntryKind::kAddress, c.entries);
    EXPECT_EQ(list.MatchesAddress(c.probe), c.want)
        << "probe '" << c.probe << "' against " << ::testing::PrintToString(c.entries) << ": got "
        << !c.want << ", want " << c.want;
  }
}

TEST(ListsEntryList, DomainTable) {
  const LookupCase cases[] = {
      {{"example.org"}, "example.org", true},
      {{"example.org"}, "mail.example.org", true},
      {{"example.org"}, "badexample.org", false},
      {{"@example.org"}, "example.org", true},
      {{"@example.org"}, "mail.example.org", false},
      {{"example.org"}, "EXAMPLE.ORG.", true},
      {{"example.org"}, "", false},
      {{"example.org"}, std::string(300, 'a') + ".example.org", false},
  };
  for (const LookupCase& c : cases) {
    EntryList list = Build(EntryKind::kDomain, c.entries);
    EXPECT_EQ(list.MatchesDomain(c.probe), c.want) << "probe '" << c.probe << "'";
  }
}

TEST(ListsEntryList, HeloTable) {
  const LookupCase cases[] = {
      {{"example.org"}, "mx.example.org", true},
      {{"example.org"}, "Example.Org", true},
      {{"example.org"}, "badexample.org", false},
      {{"[192.0.2.1]"}, "[192.0.2.1]", true},
      {{"[192.0.2.1]"}, "192.0.2.1", true},  // bare address HELO, as broken clients send
      {{"[192.0.2.1]"}, "[192.0.2.2]", false},
      {{"[IPv6:2001:db8::1]"}, "[IPv6:2001:DB8:0::1]", true},
      {{"[IPv6:2001:db8::1]"}, "[2001:db8::1]", true},
      {{"[192.0.2.1]"}, "[192.0.2.1", false},
      {{"example.org"}, "[IPv6:example.org]", false},
      {{"example.org"}, "[example.org]", false},
  };
  for (const LookupCase& c : cases) {
    EntryList list = Build(EntryKind::kHelo, c.entries);
    EXPECT_EQ(list.MatchesHelo(c.probe), c.want) << "probe '" << c.probe << "'";
  }
}

TEST(ListsEntryList, ClientMatchesMappedAddress) {
  EntryList list = Build(EntryKind::kClient, {"192.0.2.0/24", "2001:db8::/32"});
  struct Case {
    const char* address;
    bool want;
  } cases[] = {
      {"192.0.2.9", true}, {"::ffff:192.0.2.9", true}, {"2001:db8::25", true},
      {"::1", false},      {"198.51.100.1", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(list.MatchesClient(*IpAddress::Parse(c.address)), c.want) << c.address;
  }
}

struct BadCase {
  EntryKind kind;
  std::string entry;
  std::string error_contains;
};

TEST(ListsEntryList, InvalidEntries) {
  const BadCase cases[] = {
      {EntryKind::kAddress, ".example.org", "leading"},
      {EntryKind::kAddress, "*.example.org", "leading"},
      {EntryKind::kAddress, "example..org", "empty label"},
      {EntryKind::kAddress, "exa mple.org", "invalid character"},
      {EntryKind::kAddress, "exa/mple.org", "invalid character"},
      {EntryKind::kAddress, "192.0.2.1", "looks like an IP address"},
      {EntryKind::kAddress, std::string(64, 'a') + ".org", "label longer"},
      {EntryKind::kAddress,
       std::string(250, 'a').replace(60, 1, ".").replace(120, 1, ".").replace(180, 1, ".") + ".org",
       "longer than 253"},
      {EntryKind::kAddress, "user@", "empty domain"},
      {EntryKind::kAddress, "@", "empty domain"},
      {EntryKind::kAddress, "us er@example.org", "invalid character in local part"},
      {EntryKind::kAddress, std::string(65, 'a') + "@example.org", "local part longer"},
      {EntryKind::kAddress, "user@[192.0.2.1]", "invalid character"},
      {EntryKind::kDomain, "user@example.org", "not addresses"},
      {EntryKind::kHelo, "@example.org", "HELO entries"},
      {EntryKind::kHelo, "192.0.2.1", "[192.0.2.1]"},
      {EntryKind::kHelo, "[192.0.2.300]", "address literal"},
      {EntryKind::kHelo, "[example.org]", "address literal"},
      {EntryKind::kClient, "192.0.2.77/24", "host bits"},
      {EntryKind::kClient, "example.org", "not an IP"},
  };
  for (const BadCase& c : cases) {
    EntryList list(c.kind);
    std::string error = list.Add(c.entry);
    EXPECT_NE(error.find(c.error_contains), std::string::npos)
        << "entry '" << c.entry << "': got '" << error << "', want '" << c.error_contains << "'";
  }
}

}  // namespace
}  // namespace portcullis::lists
