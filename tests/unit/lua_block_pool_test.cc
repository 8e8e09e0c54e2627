// The Lua state's small-block pool: blocks keep their contents across
// resizes within and across the pooled range, freed blocks are reused,
// and every block is aligned for any Lua object.
#include "lua/lua_block_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

namespace portcullis {
namespace {

void Fill(void* block, size_t size, unsigned char seed) {
  auto* bytes = static_cast<unsigned char*>(block);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<unsigned char>(seed + i);
}

bool Holds(const void* block, size_t size, unsigned char seed) {
  const auto* bytes = static_cast<const unsigned char*>(block);
  for (size_t i = 0; i < size; ++i) {
    if (bytes[i] != static_cast<unsigned char>(seed + i)) return false;
  }
  return true;
}

TEST(LuaBlockPoolTest, ResizeKeepsContentsAcrossClassesAndIntoMalloc) {
  LuaBlockPool pool;
  // Each step keeps the bytes both sizes share.
  size_t size = 24;
  void* block = pool.Resize(nullptr, 0, size);
  Fill(block, size, 11);
  for (size_t next : {32u, 200u, 256u, 257u, 4000u, 100u, 8u}) {
    void* moved = pool.Resize(block, size, next);
    ASSERT_NE(moved, nullptr);
    ASSERT_TRUE(Holds(moved, std::min(size, next), 11)) << size << " -> " << next;
    Fill(moved, next, 11);
    block = moved;
    size = next;
  }
  pool.Free(block, size);
}

TEST(LuaBlockPoolTest, FreedBlocksAreReusedAndAligned) {
  LuaBlockPool pool;
  void* first = pool.Resize(nullptr, 0, 40);
  pool.Free(first, 40);
  void* again = pool.Resize(nullptr, 0, 48);  // same 16-byte class as 40
  EXPECT_EQ(again, first);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(again) % alignof(std::max_align_t), 0u);
  pool.Free(again, 48);
}

TEST(LuaBlockPoolTest, ManyLiveBlocksNeverOverlap) {
  LuaBlockPool pool;
  std::mt19937 random(5);
  struct Live {
    void* block;
    size_t size;
    unsigned char seed;
  };
  std::vector<Live> live;
  for (int step = 0; step < 20000; ++step) {
    if (!live.empty() && random() % 3 == 0) {
      const size_t index = random() % live.size();
      ASSERT_TRUE(Holds(live[index].block, live[index].size, live[index].seed));
      pool.Free(live[index].block, live[index].size);
      live[index] = live.back();
      live.pop_back();
      continue;
    }
    const size_t size = 1 + random() % 300;
    const auto seed = static_cast<unsigned char>(step);
    void* block = pool.Resize(nullptr, 0, size);
    ASSERT_NE(block, nullptr);
    Fill(block, size, seed);
    live.push_back({block, size, seed});
  }
  for (const Live& l : live) {
    ASSERT_TRUE(Holds(l.block, l.size, l.seed));
    pool.Free(l.block, l.size);
  }
}

}  // namespace
}  // namespace portcullis
