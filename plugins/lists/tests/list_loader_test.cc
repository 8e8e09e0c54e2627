#include "list_loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "test_config.h"

namespace portcullis::lists {
namespace {

using testing::List;
using testing::Str;
using testing::Table;

const std::string kData = PORTCULLIS_LISTS_TEST_DATA;

bool HasError(const std::vector<std::string>& errors, const std::string& want) {
  for (const std::string& error : errors) {
    if (error.find(want) != std::string::npos) return true;
  }
  return false;
}

std::string Join(const std::vector<std::string>& errors) {
  std::string all;
  for (const std::string& error : errors) all += error + "\n";
  return all;
}

TEST(ListsLoader, ReadsFileWithCommentsAndWhitespace) {
  EntryList list(EntryKind::kClient);
  std::vector<std::string> errors;
  EXPECT_TRUE(LoadEntryFile(kData + "/clients.txt", &list, &errors)) << Join(errors);
  list.Build();
  struct Case {
    const char* address;
    bool want;
  } cases[] = {
      {"192.0.2.200", true}, {"198.51.100.7", true},  {"2001:db8::1", true},
      {"203.0.113.1", true}, {"198.51.100.8", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(list.MatchesClient(*IpAddress::Parse(c.address)), c.want) << c.address;
  }
}

TEST(ListsLoader, ReadsNameFiles) {
  EntryList senders(EntryKind::kAddress);
  EntryList helos(EntryKind::kHelo);
  std::vector<std::string> errors;
  EXPECT_TRUE(LoadEntryFile(kData + "/senders.txt", &senders, &errors)) << Join(errors);
  EXPECT_TRUE(LoadEntryFile(kData + "/helo.txt", &helos, &errors)) << Join(errors);
  senders.Build();
  helos.Build();
  struct Case {
    const EntryList* list;
    const char* probe;
    bool want;
  } cases[] = {
      {&senders, "a@mail.partner.example", true}, {&senders, "a@exact.example", true},
      {&senders, "a@sub.exact.example", false},   {&senders, "ceo@example.com", true},
      {&senders, "cfo@example.com", false},       {&senders, "user#tag@example.net", true},
      {&helos, "[192.0.2.1]", true},              {&helos, "[IPv6:2001:db8::25]", true},
      {&helos, "x.bad-helo.example", true},       {&helos, "good.example", false},
  };
  for (const Case& c : cases) {
    bool got = c.list == &helos ? c.list->MatchesHelo(c.probe) : c.list->MatchesAddress(c.probe);
    EXPECT_EQ(got, c.want) << c.probe;
  }
}

TEST(ListsLoader, BadEntriesNameFileLineAndEntry) {
  EntryList list(EntryKind::kClient);
  std::vector<std::string> errors;
  const std::string path = kData + "/bad_clients.txt";
  EXPECT_FALSE(LoadEntryFile(path, &list, &errors));
  ASSERT_EQ(errors.size(), 3u) << Join(errors);
  EXPECT_EQ(errors[0].rfind(path + ":2: '192.0.2.77/24': host bits", 0), 0u) << errors[0];
  EXPECT_EQ(errors[1].rfind(path + ":4: 'not-an-address': not an IP", 0), 0u) << errors[1];
  EXPECT_EQ(errors[2].rfind(path + ":5: '10.0.0.0/33'", 0), 0u) << errors[2];
}

TEST(ListsLoader, MissingFileIsAnError) {
  EntryList list(EntryKind::kClient);
  std::vector<std::string> errors;
  EXPECT_FALSE(LoadEntryFile(kData + "/no-such-file.txt", &list, &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("no-such-file.txt: cannot open"), std::string::npos) << errors[0];
}

TEST(ListsLoader, CapsErrorsPerFileAndRefusesLongLines) {
  char path[] = "/tmp/portcullis-lists-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  {
    std::ofstream out(path);
    for (int i = 0; i < 100; ++i) out << "bad entry " << i << "\n";
    out << std::string(kMaxLineBytes + 1, 'a') << "\n";
  }
  EntryList list(EntryKind::kAddress);
  std::vector<std::string> errors;
  EXPECT_FALSE(LoadEntryFile(path, &list, &errors));
  EXPECT_EQ(errors.size(), static_cast<size_t>(kMaxErrorsPerSource) + 1) << Join(errors);
  EXPECT_TRUE(HasError(errors, "81 more bad entries not shown")) << Join(errors);
  std::remove(path);
}

TEST(ListsLoader, ResolvesRelativePaths) {
  struct Case {
    const char* dir;
    const char* path;
    const char* want;
  } cases[] = {
      {"/etc/portcullis", "lists/a.txt", "/etc/portcullis/lists/a.txt"},
      {"/etc/portcullis/", "a.txt", "/etc/portcullis/a.txt"},
      {"/etc/portcullis", "/var/lib/a.txt", "/var/lib/a.txt"},
      {"", "a.txt", "a.txt"},
  };
  for (const Case& c : cases) EXPECT_EQ(ResolvePath(c.dir, c.path), c.want);
}

TEST(ListsLoader, InlineAndFileEntriesFromConfig) {
  ConfigValue tree = Table({
      {"block", List({"192.0.2.0/24", "2001:db8::/32"})},
      {"block_files", List({"clients.txt"})},  // relative to config_dir
  });
  ConfigErrors errors;
  EntryList list(EntryKind::kClient);
  {
    ConfigReader reader(&tree, "checks.lists.client", "portcullis.lua", &errors);
    EXPECT_TRUE(LoadEntries(reader, "block", kData, &list));
  }
  EXPECT_TRUE(errors.empty()) << Join(errors.all());
  list.Build();
  EXPECT_TRUE(list.MatchesClient(*IpAddress::Parse("198.51.100.7")));
  EXPECT_TRUE(list.MatchesClient(*IpAddress::Parse("192.0.2.1")));
}

TEST(ListsLoader, InlineErrorsNameItemAndLine) {
  ConfigValue tree = Table({{"allow", List({"127.0.0.1", "127.0.0.1/8", "bad"}, 12)}}, 10);
  ConfigErrors errors;
  EntryList list(EntryKind::kClient);
  {
    ConfigReader reader(&tree, "checks.lists.client", "portcullis.lua", &errors);
    EXPECT_FALSE(LoadEntries(reader, "allow", "", &list));
  }
  const std::vector<std::string>& all = errors.all();
  ASSERT_EQ(all.size(), 2u) << Join(all);
  EXPECT_TRUE(
      HasError(all, "checks.lists.client.allow: item 2 (line 13): '127.0.0.1/8': host bits"))
      << Join(all);
  EXPECT_TRUE(HasError(all, "item 3 (line 14): 'bad': not an IP")) << Join(all);
  EXPECT_EQ(all[0].rfind("portcullis.lua:", 0), 0u) << all[0];
}

TEST(ListsLoader, FileErrorsGoThroughTheReader) {
  ConfigValue tree = Table({{"block_files", List({"bad_clients.txt", "missing.txt"})}});
  ConfigErrors errors;
  EntryList list(EntryKind::kClient);
  {
    ConfigReader reader(&tree, "checks.lists.client", "/etc/portcullis.lua", &errors);
    EXPECT_FALSE(LoadEntries(reader, "block", kData, &list));
  }
  const std::vector<std::string>& all = errors.all();
  EXPECT_EQ(all.size(), 4u) << Join(all);
  EXPECT_TRUE(HasError(
      all, "checks.lists.client.block_files: " + kData + "/bad_clients.txt:2: '192.0.2.77/24'"))
      << Join(all);
  EXPECT_TRUE(HasError(all, kData + "/missing.txt: cannot open")) << Join(all);
}

TEST(ListsLoader, WrongTypesAreErrors) {
  ConfigValue tree = Table({{"block", testing::Num(3)}});
  ConfigValue mixed = Table({{"block", List({"a.example"})}});
  mixed.fields["block"].items.push_back(testing::Num(1));
  for (ConfigValue* value : {&tree, &mixed}) {
    ConfigErrors errors;
    EntryList list(EntryKind::kAddress);
    {
      ConfigReader reader(value, "checks.lists.sender", "portcullis.lua", &errors);
      EXPECT_FALSE(LoadEntries(reader, "block", "", &list));
    }
    EXPECT_FALSE(errors.empty());
  }
}

}  // namespace
}  // namespace portcullis::lists
