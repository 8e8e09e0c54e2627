// The small blocks of one Lua state: tables, strings and closures of a few
// dozen bytes, made and dropped by the thousand for every message the
// policy sees. Served from per-size free lists carved out of 32 KiB slabs,
// so that they cost a few instructions instead of a trip through malloc,
// and so that a state handed from one milter thread to the next keeps its
// memory instead of freeing into another thread's malloc arena.
//
// Blocks above kMaxPooledBytes go to malloc. Slabs are returned only when
// the pool is destroyed (with its state); what a state keeps is bounded by
// the most it ever held at once, which the sandbox's memory cap bounds.
//
// Not thread-safe: one pool per state, and a state has one user at a time.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace portcullis {

class LuaBlockPool {
 public:
  static constexpr size_t kGranule = 16;
  static constexpr size_t kMaxPooledBytes = 256;
  static constexpr size_t kSlabBytes = 32 * 1024;

  LuaBlockPool() = default;
  ~LuaBlockPool();
  LuaBlockPool(const LuaBlockPool&) = delete;
  LuaBlockPool& operator=(const LuaBlockPool&) = delete;

  // lua_Alloc semantics for a block that exists (`block` non-null, of
  // `old_size` bytes) or not (`block` null, `old_size` 0): returns a block
  // of `new_size` bytes holding the old contents, or null when out of
  // memory (the old block is then untouched). new_size must be > 0.
  void* Resize(void* block, size_t old_size, size_t new_size);
  void Free(void* block, size_t size);

 private:
  struct FreeBlock {
    FreeBlock* next;
  };
  static constexpr size_t kClasses = kMaxPooledBytes / kGranule;

  static bool Pooled(size_t size) { return size <= kMaxPooledBytes; }
  static size_t ClassOf(size_t size) { return (size + kGranule - 1) / kGranule - 1; }
  void* Take(size_t size);
  void Give(void* block, size_t size);

  std::array<FreeBlock*, kClasses> free_{};
  std::vector<void*> slabs_;
  char* slab_next_ = nullptr;  // unused tail of the newest slab
  size_t slab_left_ = 0;
};

}  // namespace portcullis
