#include "store/lmdb_env.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "portcullis/log.h"

namespace portcullis::store {
namespace {

// Owner and group (the milter's group may read state for reports), nobody
// else: the store holds sender addresses.
constexpr mode_t kDirectoryMode = 0750;
constexpr mode_t kFileMode = 0640;
// Read transactions open at once, across every process on the store: one
// per milter thread in a Get plus the commands. LMDB's default (126) is
// below a busy libmilter pool; each slot costs 64 bytes of lock file.
constexpr unsigned kMaxReaders = 1024;

enum class OpenOutcome { kOk, kCorrupt, kFailed };

OpenOutcome TryOpen(const LmdbOptions& options, const std::string& path, MDB_env** env_out,
                    MDB_dbi* dbi_out, std::string* error) {
  MDB_env* env = nullptr;
  int rc = mdb_env_create(&env);
  if (rc != 0) {
    *error = "mdb_env_create: " + std::string(mdb_strerror(rc));
    return OpenOutcome::kFailed;
  }
  rc = mdb_env_set_mapsize(env, options.map_size_bytes);
  if (rc == 0) rc = mdb_env_set_maxreaders(env, kMaxReaders);
  // MDB_NOTLS: libmilter runs one connection's callbacks on different pool
  // threads, so a read transaction must not be bound to a thread.
  // MDB_NOSYNC: committed pages are written to the kernel at commit (they
  // survive a crash of this process); the disk flush is the sync thread's.
  unsigned flags = MDB_NOTLS;
  if (options.sync_interval.count() > 0) flags |= MDB_NOSYNC;
  if (rc == 0) rc = mdb_env_open(env, path.c_str(), flags, kFileMode);
  if (rc == 0) {
    // Frees reader slots left behind by a process that crashed mid-read;
    // they would otherwise pin old pages until the map fills.
    int dead = 0;
    mdb_reader_check(env, &dead);
  }
  MDB_txn* txn = nullptr;
  MDB_dbi dbi = 0;
  if (rc == 0) rc = mdb_txn_begin(env, nullptr, 0, &txn);
  if (rc == 0) rc = mdb_dbi_open(txn, nullptr, 0, &dbi);
  if (rc == 0) {
    // Touch the tree so a corrupt root page shows now, not at the first
    // message.
    MDB_cursor* cursor = nullptr;
    rc = mdb_cursor_open(txn, dbi, &cursor);
    MDB_val key, value;
    if (rc == 0) {
      rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST);
      if (rc == MDB_NOTFOUND) rc = 0;
      mdb_cursor_close(cursor);
    }
  }
  if (rc == 0) {
    rc = mdb_txn_commit(txn);
    txn = nullptr;
  }
  if (txn) mdb_txn_abort(txn);
  if (rc == 0) {
    *env_out = env;
    *dbi_out = dbi;
    return OpenOutcome::kOk;
  }
  mdb_env_close(env);
  *error = mdb_strerror(rc);
  return IsLmdbCorruption(rc) ? OpenOutcome::kCorrupt : OpenOutcome::kFailed;
}

bool MoveAside(const std::string& path, const std::string& suffix, std::string* error) {
  for (const char* name : {"data.mdb", "lock.mdb"}) {
    std::string from = path + "/" + name;
    std::string to = from + suffix;
    if (std::rename(from.c_str(), to.c_str()) != 0 && errno != ENOENT) {
      *error = "cannot move " + from + " aside: " + std::strerror(errno);
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsLmdbCorruption(int rc) {
  return rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH || rc == MDB_CORRUPTED ||
         rc == MDB_PANIC || rc == MDB_PAGE_NOTFOUND || rc == MDB_BAD_TXN ||
         rc == MDB_INCOMPATIBLE;
}

std::unique_ptr<LmdbEnv> LmdbEnv::Open(const LmdbOptions& options, const std::string& path,
                                       std::string* error) {
  // The state directory itself may not exist yet on a fresh install.
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (::mkdir(path.c_str(), kDirectoryMode) != 0 && errno != EEXIST) {
    *error = "cannot create the LMDB store directory " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    *error = "the LMDB store path " + path + " is not a directory";
    return nullptr;
  }
  MDB_env* env = nullptr;
  MDB_dbi dbi = 0;
  std::string why;
  OpenOutcome outcome = TryOpen(options, path, &env, &dbi, &why);
  if (outcome == OpenOutcome::kCorrupt) {
    if (!options.recreate_when_corrupt) {
      *error = "the LMDB store " + path + "/data.mdb cannot be used (" + why +
               "); move it aside (or delete it) to start with an empty store, or set "
               "store.lmdb.recreate_when_corrupt = true";
      return nullptr;
    }
    std::string suffix = ".corrupt-" + std::to_string(std::time(nullptr));
    if (!MoveAside(path, suffix, error)) return nullptr;
    LogWarning("state store: " + path + "/data.mdb cannot be used (" + why + "); moved to " +
               path + "/data.mdb" + suffix + ", starting with an empty store");
    outcome = TryOpen(options, path, &env, &dbi, &why);
  }
  if (outcome != OpenOutcome::kOk) {
    *error = "cannot open the LMDB store at " + path + ": " + why;
    return nullptr;
  }
  return std::unique_ptr<LmdbEnv>(new LmdbEnv(env, dbi, path));
}

LmdbEnv::~LmdbEnv() {
  mdb_env_sync(env_, 1);
  mdb_env_close(env_);
}

}  // namespace portcullis::store
