#include "lua/lua_block_pool.h"

#include <cstdlib>
#include <cstring>

namespace portcullis {

LuaBlockPool::~LuaBlockPool() {
  for (void* slab : slabs_) std::free(slab);
}

void* LuaBlockPool::Take(size_t size) {
  const size_t cls = ClassOf(size);
  if (FreeBlock* block = free_[cls]) {
    free_[cls] = block->next;
    return block;
  }
  const size_t bytes = (cls + 1) * kGranule;
  if (slab_left_ < bytes) {
    // The slab's tail is too small for this class; hand it to the classes
    // it fits, so nothing is wasted for good.
    while (slab_left_ >= kGranule) {
      const size_t tail_class = ClassOf(slab_left_);
      const size_t tail_bytes = (tail_class + 1) * kGranule;
      Give(slab_next_, tail_bytes);
      slab_next_ += tail_bytes;
      slab_left_ -= tail_bytes;
    }
    void* slab = std::malloc(kSlabBytes);
    if (!slab) return nullptr;
    slabs_.push_back(slab);
    slab_next_ = static_cast<char*>(slab);
    slab_left_ = kSlabBytes;
  }
  void* block = slab_next_;
  slab_next_ += bytes;
  slab_left_ -= bytes;
  return block;
}

void LuaBlockPool::Give(void* block, size_t size) {
  auto* free_block = static_cast<FreeBlock*>(block);
  const size_t cls = ClassOf(size);
  free_block->next = free_[cls];
  free_[cls] = free_block;
}

void* LuaBlockPool::Resize(void* block, size_t old_size, size_t new_size) {
  if (!block) return Pooled(new_size) ? Take(new_size) : std::malloc(new_size);
  if (!Pooled(old_size) && !Pooled(new_size)) return std::realloc(block, new_size);
  if (Pooled(old_size) && Pooled(new_size) && ClassOf(old_size) == ClassOf(new_size)) {
    return block;
  }
  void* moved = Pooled(new_size) ? Take(new_size) : std::malloc(new_size);
  if (!moved) return nullptr;
  std::memcpy(moved, block, old_size < new_size ? old_size : new_size);
  Free(block, old_size);
  return moved;
}

void LuaBlockPool::Free(void* block, size_t size) {
  if (!block) return;
  if (Pooled(size)) {
    Give(block, size);
  } else {
    std::free(block);
  }
}

}  // namespace portcullis
