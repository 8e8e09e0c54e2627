// LMDB-only behaviour: persistence, several processes, corrupt and
// unwritable directories, a full map, the expiry sweep and the record
// layout.
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "store/lmdb_record.h"
#include "store/lmdb_store.h"
#include "store_test_util.h"

extern char** environ;

namespace portcullis::store {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

Deadline Soon() { return Deadline::After(std::chrono::seconds(5)); }

std::unique_ptr<LmdbStore> Open(const std::string& path, LmdbOptions options = testing::TestLmdbOptions()) {
  std::string error;
  auto store = LmdbStore::Open(options, path, nullptr, &error);
  EXPECT_TRUE(store) << error;
  return store;
}

TEST(LmdbRecordTest, RoundTrip) {
  const struct {
    int64_t expires;
    std::string value;
    std::string want_header;
  } cases[] = {
      {0, "", std::string(8, '\0')},
      {0x0102030405060708, "v", "\x01\x02\x03\x04\x05\x06\x07\x08"},
      {1700000000000, std::string("a\0b", 3), std::string("\0\0\x01\x8b\xcf\xe5\x68\x00", 8)},
  };
  for (const auto& c : cases) {
    std::string bytes = EncodeLmdbRecord(c.expires, c.value);
    EXPECT_EQ(bytes.substr(0, 8), c.want_header) << c.expires;
    std::optional<LmdbRecord> got = DecodeLmdbRecord(bytes);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->expires_unix_ms, c.expires);
    EXPECT_EQ(got->value, c.value);
  }
  EXPECT_FALSE(DecodeLmdbRecord("short"));
}

TEST(LmdbRecordTest, ParseStoredInteger) {
  const struct {
    const char* text;
    std::optional<int64_t> want;
  } cases[] = {{"0", 0},       {"42", 42},           {"-7", -7},
               {"", std::nullopt}, {"1x", std::nullopt}, {" 1", std::nullopt},
               {"99999999999999999999", std::nullopt}};
  for (const auto& c : cases) EXPECT_EQ(ParseStoredInteger(c.text), c.want) << c.text;
}

TEST(LmdbStoreTest, SurvivesCloseAndReopen) {
  TempDir dir;
  std::string path = dir.path() + "/store";
  {
    auto store = Open(path);
    ASSERT_TRUE(store);
    ASSERT_EQ(store->Put("kept", "value", Ttl(60), Soon()).status, Status::kOk);
    ASSERT_EQ(store->Increment("count", 5, Ttl(60), Soon()).status, Status::kOk);
  }
  auto store = Open(path);
  ASSERT_TRUE(store);
  GetResult got = store->Get("kept", Soon());
  ASSERT_EQ(got.status, Status::kOk);
  EXPECT_EQ(got.entry.value, "value");
  EXPECT_EQ(store->Increment("count", 1, Ttl(60), Soon()).value, 6);
}

TEST(LmdbStoreTest, MissingDirectoryIsCreated) {
  TempDir dir;
  std::string path = dir.path() + "/new-store";
  ASSERT_FALSE(fs::exists(path));
  auto store = Open(path);
  ASSERT_TRUE(store);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_TRUE(S_ISDIR(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0750u);
  EXPECT_TRUE(fs::exists(path + "/data.mdb"));
}

TEST(LmdbStoreTest, UnusableDirectoryIsAnError) {
  TempDir dir;
  std::ofstream(dir.path() + "/file") << "x";
  const struct {
    const char* name;
    std::string path;
    const char* want;
  } cases[] = {
      // /proc refuses mkdir even to root, like a read-only mount would.
      {"unwritable", "/proc/1/portcullis-store", "cannot create the LMDB store directory /proc/1/"},
      {"parent_is_file", dir.path() + "/file/store", "cannot create the LMDB store directory"},
      {"path_is_file", dir.path() + "/file", "is not a directory"},
  };
  for (const auto& c : cases) {
    std::string error;
    auto store = LmdbStore::Open(testing::TestLmdbOptions(), c.path, nullptr, &error);
    EXPECT_FALSE(store) << c.name;
    EXPECT_NE(error.find(c.want), std::string::npos)
        << c.name << ": got \"" << error << "\", want it to contain \"" << c.want << "\"";
  }
}

void WriteGarbage(const std::string& dir) {
  fs::create_directories(dir);
  std::ofstream out(dir + "/data.mdb", std::ios::binary);
  for (int i = 0; i < 4096; ++i) out << "not an lmdb file ";
}

TEST(LmdbStoreTest, CorruptFileIsMovedAsideWhenAllowed) {
  TempDir dir;
  std::string path = dir.path() + "/store";
  WriteGarbage(path);
  LmdbOptions options = testing::TestLmdbOptions();
  options.recreate_when_corrupt = true;
  auto store = Open(path, options);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->Get("anything", Soon()).status, Status::kNotFound);
  ASSERT_EQ(store->Put("k", "v", Ttl(60), Soon()).status, Status::kOk);
  int moved = 0;
  for (const auto& file : fs::directory_iterator(path)) {
    std::string name = file.path().filename();
    if (name.rfind("data.mdb.corrupt-", 0) == 0) {
      ++moved;
      std::ifstream in(file.path());
      std::string head(16, '\0');
      in.read(head.data(), 16);
      EXPECT_EQ(head, "not an lmdb file");
    }
  }
  EXPECT_EQ(moved, 1);
}

TEST(LmdbStoreTest, CorruptFileIsAnErrorWhenNotAllowed) {
  TempDir dir;
  std::string path = dir.path() + "/store";
  WriteGarbage(path);
  LmdbOptions options = testing::TestLmdbOptions();
  options.recreate_when_corrupt = false;
  std::string error;
  EXPECT_FALSE(LmdbStore::Open(options, path, nullptr, &error));
  for (const std::string& want : {path + "/data.mdb", std::string("recreate_when_corrupt")}) {
    EXPECT_NE(error.find(want), std::string::npos) << "got \"" << error << "\", want " << want;
  }
  EXPECT_TRUE(fs::exists(path + "/data.mdb")) << "must not touch the file";
}

TEST(LmdbStoreTest, FullMapIsUnavailableThenRecovers) {
  TempDir dir;
  LmdbOptions options = testing::TestLmdbOptions();
  options.map_size_bytes = 1 << 20;
  auto store = Open(dir.path() + "/store", options);
  ASSERT_TRUE(store);
  const std::string value(64 << 10, 'v');
  int stored = 0;
  WriteResult put;
  // Bounded: a 1 MiB map holds at most 16 values of 64 KiB.
  for (int i = 0; i < 64; ++i) {
    put = store->Put("big" + std::to_string(i), value, Ttl(60), Soon());
    if (put.status != Status::kOk) break;
    ++stored;
  }
  ASSERT_EQ(put.status, Status::kUnavailable) << "the map never filled";
  EXPECT_NE(put.error.find("LMDB map full (map_size_mb=1"), std::string::npos) << put.error;
  ASSERT_GT(stored, 2);
  EXPECT_EQ(store->Get("big0", Soon()).status, Status::kOk) << "reads work while full";
  EXPECT_EQ(store->Put("big-more", value, Ttl(60), Soon()).status, Status::kUnavailable);
  for (int i = 0; i < 3; ++i) {
    WriteResult deleted = store->Delete("big" + std::to_string(i), Soon());
    ASSERT_EQ(deleted.status, Status::kOk) << deleted.error;
  }
  WriteResult again = store->Put("again", value, Ttl(60), Soon());
  EXPECT_EQ(again.status, Status::kOk) << again.error;
}

TEST(LmdbStoreTest, SweepDeletesOnlyExpiredEntriesInBatches) {
  TempDir dir;
  LmdbOptions options = testing::TestLmdbOptions();
  options.expiry_batch = 2;
  auto store = Open(dir.path() + "/store", options);
  ASSERT_TRUE(store);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(store->Put("old" + std::to_string(i), "x", Ttl(1), Soon()).status, Status::kOk);
  }
  ASSERT_EQ(store->Put("live", "y", Ttl(60), Soon()).status, Status::kOk);
  EXPECT_EQ(store->SweepExpired(), 0u) << "nothing has expired yet";
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(store->SweepExpired(), 5u);
  EXPECT_EQ(store->SweepExpired(), 0u);
  EXPECT_EQ(store->Get("live", Soon()).status, Status::kOk);
}

TEST(LmdbStoreTest, TwoProcessesIncrementOneKey) {
  TempDir dir;
  std::string path = dir.path() + "/store";
  auto store = Open(path);
  ASSERT_TRUE(store);
  constexpr int kPerProcess = 2000;
  std::string count = std::to_string(kPerProcess);
  std::vector<pid_t> children;
  for (int i = 0; i < 2; ++i) {
    const char* argv[] = {PORTCULLIS_STORE_INCREMENTER, path.c_str(), "shared", count.c_str(),
                          nullptr};
    pid_t pid = 0;
    ASSERT_EQ(::posix_spawn(&pid, argv[0], nullptr, nullptr, const_cast<char**>(argv), environ),
              0);
    children.push_back(pid);
  }
  for (int i = 0; i < kPerProcess; ++i) {
    ASSERT_EQ(store->Increment("shared", 1, Ttl(3600), Soon()).status, Status::kOk);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }
  GetResult got = store->Get("shared", Soon());
  ASSERT_EQ(got.status, Status::kOk);
  EXPECT_EQ(got.entry.value, std::to_string(3 * kPerProcess));
}

TEST(LmdbStoreTest, DestructionStopsTheWorkerPromptly) {
  TempDir dir;
  LmdbOptions options = testing::TestLmdbOptions();
  options.expiry_interval = std::chrono::seconds(86400);
  options.sync_interval = std::chrono::milliseconds(60000);
  auto start = std::chrono::steady_clock::now();
  Open(dir.path() + "/store", options).reset();
  // Not a speed assertion: a worker that slept its interval would take a day.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

}  // namespace
}  // namespace portcullis::store
