#include "store/lmdb_store.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include "portcullis/log.h"
#include "store/lmdb_record.h"

namespace portcullis::store {
namespace {

// Scan hands entries to the visitor in batches read in short read
// transactions: a long-lived reader would pin freed pages and fill the map.
constexpr size_t kScanBatch = 256;
// A sweep transaction also stops after looking at this many live entries,
// so a store full of live data never holds the writer lock for long.
constexpr size_t kSweepScanFactor = 10;

MDB_val Val(std::string_view bytes) {
  return MDB_val{bytes.size(), const_cast<char*>(bytes.data())};
}
std::string_view View(const MDB_val& val) {
  return std::string_view(static_cast<const char*>(val.mv_data), val.mv_size);
}

int64_t NowMs() { return ToUnixMs(Clock::now()); }

// A read-only or write transaction that aborts unless committed.
class Txn {
 public:
  Txn(MDB_env* env, bool write) {
    rc_ = mdb_txn_begin(env, nullptr, write ? 0 : MDB_RDONLY, &txn_);
    if (rc_ != 0) txn_ = nullptr;
  }
  ~Txn() {
    if (txn_) mdb_txn_abort(txn_);
  }
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;
  int begin_rc() const { return rc_; }
  MDB_txn* get() const { return txn_; }
  int Commit() {
    int rc = mdb_txn_commit(txn_);
    txn_ = nullptr;
    return rc;
  }

 private:
  MDB_txn* txn_ = nullptr;
  int rc_ = 0;
};

bool ValidKey(std::string_view key) {
  // LMDB's compiled-in key limit (mdb_env_get_maxkeysize, 511 by default).
  return !key.empty() && key.size() <= 511;
}

}  // namespace

std::unique_ptr<LmdbStore> LmdbStore::Open(const LmdbOptions& options, const std::string& path,
                                           std::shared_ptr<StoreMetrics> metrics,
                                           std::string* error) {
  std::unique_ptr<LmdbEnv> env = LmdbEnv::Open(options, path, error);
  if (!env) return nullptr;
  return std::unique_ptr<LmdbStore>(new LmdbStore(options, std::move(env), std::move(metrics)));
}

LmdbStore::LmdbStore(const LmdbOptions& options, std::unique_ptr<LmdbEnv> env,
                     std::shared_ptr<StoreMetrics> metrics)
    : options_(options), env_(std::move(env)), metrics_(std::move(metrics)) {
  if (options_.sync_interval.count() > 0) {
    worker_.Add(options_.sync_interval, [this] { mdb_env_sync(env_->env(), 1); });
  }
  worker_.Add(options_.expiry_interval, [this] { SweepExpired(); });
  worker_.Start();
}

LmdbStore::~LmdbStore() { worker_.Stop(); }

std::string LmdbStore::Describe(int rc) const {
  if (rc == MDB_MAP_FULL) {
    return "LMDB map full (map_size_mb=" + std::to_string(options_.map_size_bytes >> 20) +
           ", " + env_->path() + "): raise store.lmdb.map_size_mb";
  }
  if (rc == ENOSPC) return "LMDB write failed: no space left on device (" + env_->path() + ")";
  if (rc == EIO) return "LMDB I/O error (" + env_->path() + ")";
  return "LMDB error: " + std::string(mdb_strerror(rc)) + " (" + env_->path() + ")";
}

GetResult LmdbStore::Get(std::string_view key, Deadline /*deadline*/) {
  GetResult result;
  if (!ValidKey(key)) {
    result.status = Status::kNotFound;  // cannot have been stored
    return result;
  }
  Txn txn(env_->env(), false);
  if (txn.begin_rc() != 0) {
    result.error = Describe(txn.begin_rc());
    return result;
  }
  MDB_val k = Val(key), v;
  int rc = mdb_get(txn.get(), env_->dbi(), &k, &v);
  if (rc == MDB_NOTFOUND) {
    result.status = Status::kNotFound;
    return result;
  }
  if (rc != 0) {
    result.error = Describe(rc);
    return result;
  }
  std::optional<LmdbRecord> record = DecodeLmdbRecord(View(v));
  if (!record || record->expires_unix_ms <= NowMs()) {
    result.status = Status::kNotFound;
    return result;
  }
  result.status = Status::kOk;
  result.entry.value.assign(record->value);
  result.entry.expires = FromUnixMs(record->expires_unix_ms);
  return result;
}

WriteResult LmdbStore::Put(std::string_view key, std::string_view value, Ttl ttl,
                           Deadline /*deadline*/) {
  WriteResult result;
  if (!ValidKey(key)) {
    result.error = "LMDB keys must be 1 to 511 bytes";
    return result;
  }
  std::string record = EncodeLmdbRecord(NowMs() + ttl.count() * 1000, value);
  Txn txn(env_->env(), true);
  int rc = txn.begin_rc();
  MDB_val k = Val(key), v = Val(record);
  if (rc == 0) rc = mdb_put(txn.get(), env_->dbi(), &k, &v, 0);
  if (rc == 0) rc = txn.Commit();
  if (rc != 0) {
    result.error = Describe(rc);
    return result;
  }
  result.status = Status::kOk;
  return result;
}

IncrementResult LmdbStore::Increment(std::string_view key, int64_t delta, Ttl ttl,
                                     Deadline /*deadline*/) {
  IncrementResult result;
  if (!ValidKey(key)) {
    result.error = "LMDB keys must be 1 to 511 bytes";
    return result;
  }
  Txn txn(env_->env(), true);
  int rc = txn.begin_rc();
  MDB_val k = Val(key), v;
  int64_t now = NowMs();
  int64_t current = 0;
  if (rc == 0) {
    rc = mdb_get(txn.get(), env_->dbi(), &k, &v);
    if (rc == 0) {
      std::optional<LmdbRecord> record = DecodeLmdbRecord(View(v));
      if (record && record->expires_unix_ms > now) {
        current = ParseStoredInteger(record->value).value_or(0);
      }
    }
    if (rc == MDB_NOTFOUND) rc = 0;
  }
  int64_t next = 0;
  if (__builtin_add_overflow(current, delta, &next)) next = delta;  // as if missing
  std::string record = EncodeLmdbRecord(now + ttl.count() * 1000, std::to_string(next));
  MDB_val nv = Val(record);
  if (rc == 0) rc = mdb_put(txn.get(), env_->dbi(), &k, &nv, 0);
  if (rc == 0) rc = txn.Commit();
  if (rc != 0) {
    result.error = Describe(rc);
    return result;
  }
  result.status = Status::kOk;
  result.value = next;
  return result;
}

WriteResult LmdbStore::Delete(std::string_view key, Deadline /*deadline*/) {
  WriteResult result;
  if (!ValidKey(key)) {
    result.status = Status::kNotFound;
    return result;
  }
  Txn txn(env_->env(), true);
  int rc = txn.begin_rc();
  MDB_val k = Val(key), v;
  bool live = false;
  if (rc == 0) {
    rc = mdb_get(txn.get(), env_->dbi(), &k, &v);
    if (rc == 0) {
      std::optional<LmdbRecord> record = DecodeLmdbRecord(View(v));
      live = record && record->expires_unix_ms > NowMs();
      rc = mdb_del(txn.get(), env_->dbi(), &k, nullptr);
    }
  }
  if (rc == MDB_NOTFOUND) {
    result.status = Status::kNotFound;
    return result;
  }
  if (rc == 0) rc = txn.Commit();
  if (rc != 0) {
    result.error = Describe(rc);
    return result;
  }
  // An expired entry was already gone as far as callers could tell.
  result.status = live ? Status::kOk : Status::kNotFound;
  return result;
}

WriteResult LmdbStore::Scan(std::string_view prefix, const Visitor& visit, Deadline deadline) {
  WriteResult result;
  std::string resume(prefix);  // the next key to look at (inclusive)
  bool first = true;
  struct Item {
    std::string key;
    Entry entry;
  };
  std::vector<Item> batch;
  for (;;) {
    if (deadline.expired()) {
      result.error = "scan deadline passed";
      return result;
    }
    batch.clear();
    bool more = false;
    {
      Txn txn(env_->env(), false);
      int rc = txn.begin_rc();
      MDB_cursor* cursor = nullptr;
      if (rc == 0) rc = mdb_cursor_open(txn.get(), env_->dbi(), &cursor);
      MDB_val k = Val(resume), v;
      if (rc == 0) {
        rc = resume.empty() ? mdb_cursor_get(cursor, &k, &v, MDB_FIRST)
                            : mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE);
        // Resuming after a batch: skip the key the last batch ended on.
        if (rc == 0 && !first && View(k) == resume) rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
      }
      int64_t now = NowMs();
      while (rc == 0 && View(k).starts_with(prefix)) {
        if (batch.size() == kScanBatch) {
          more = true;
          break;
        }
        std::optional<LmdbRecord> record = DecodeLmdbRecord(View(v));
        resume.assign(View(k));
        if (record && record->expires_unix_ms > now) {
          batch.push_back({std::string(View(k)),
                           Entry{std::string(record->value), FromUnixMs(record->expires_unix_ms)}});
        }
        rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
      }
      if (cursor) mdb_cursor_close(cursor);
      if (rc != 0 && rc != MDB_NOTFOUND) {
        result.error = Describe(rc);
        return result;
      }
    }
    first = false;
    for (const Item& item : batch) {
      if (!visit(item.key, item.entry)) {
        result.status = Status::kOk;
        return result;
      }
    }
    if (!more) break;
  }
  result.status = Status::kOk;
  return result;
}

uint64_t LmdbStore::SweepExpired() {
  uint64_t deleted_total = 0;
  std::string resume;
  bool done = false;
  // Bounded: each round either reaches the end or moves `resume` forward.
  while (!done && !worker_.stopping()) {
    Txn txn(env_->env(), true);
    int rc = txn.begin_rc();
    MDB_cursor* cursor = nullptr;
    if (rc == 0) rc = mdb_cursor_open(txn.get(), env_->dbi(), &cursor);
    MDB_val k = Val(resume), v;
    if (rc == 0) {
      rc = resume.empty() ? mdb_cursor_get(cursor, &k, &v, MDB_FIRST)
                          : mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE);
    }
    int64_t now = NowMs();
    uint64_t deleted = 0;
    size_t looked = 0;
    while (rc == 0) {
      if (deleted >= options_.expiry_batch ||
          looked >= size_t{options_.expiry_batch} * kSweepScanFactor) {
        resume.assign(View(k));  // continue here next round
        break;
      }
      ++looked;
      std::optional<LmdbRecord> record = DecodeLmdbRecord(View(v));
      if (!record || record->expires_unix_ms <= now) {
        rc = mdb_cursor_del(cursor, 0);
        if (rc != 0) break;
        ++deleted;
        // After a delete LMDB's MDB_NEXT yields the entry that followed the
        // deleted one (the cursor is flagged, not advanced twice).
        rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
      } else {
        rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
      }
    }
    if (cursor) mdb_cursor_close(cursor);
    if (rc == MDB_NOTFOUND) {
      done = true;  // end of the tree
      rc = 0;
    }
    if (rc == 0) rc = txn.Commit();
    if (rc != 0) {
      LogWarning("state store: expiry sweep of " + env_->path() + " failed: " + Describe(rc));
      break;
    }
    deleted_total += deleted;
  }
  if (metrics_ && deleted_total > 0) metrics_->Expired(deleted_total);
  return deleted_total;
}

}  // namespace portcullis::store
