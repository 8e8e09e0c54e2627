#include "content/database_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace portcullis::content {
namespace {

// First line of every cache file: format name and version, then the key, so
// a file renamed by hand or written by another format is never trusted.
constexpr std::string_view kMagic = "portcullis-hsdb-1\n";
// Security: the cache directory is ours, but a huge file there must not
// make start-up read gigabytes.
constexpr uintmax_t kMaxCacheFileBytes = 1ull << 30;

std::string Header(const std::string& key) { return std::string(kMagic) + key + "\n"; }

}  // namespace

std::string DatabaseCache::PathFor(const std::string& key) const {
  return dir_ + "/" + key + ".hsdb";
}

hs_database_t* DatabaseCache::Load(const std::string& key, std::string* note) const {
  note->clear();
  std::string path = PathFor(key);
  std::error_code code;
  uintmax_t size = std::filesystem::file_size(path, code);
  if (code) return nullptr;  // absent: the common cold case, no warning
  if (size > kMaxCacheFileBytes) {
    *note = path + ": larger than the cache limit, ignored";
    return nullptr;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string bytes = buffer.str();
  std::string header = Header(key);
  if (bytes.compare(0, header.size(), header) != 0) {
    *note = path + ": not a cache file for this key, rebuilding";
    return nullptr;
  }
  hs_database_t* database = nullptr;
  // Hyperscan checks its own version, the platform and a CRC of the bytes.
  if (hs_deserialize_database(bytes.data() + header.size(), bytes.size() - header.size(),
                              &database) != HS_SUCCESS) {
    *note = path + ": corrupt or built for another Hyperscan/CPU, rebuilding";
    return nullptr;
  }
  return database;
}

bool DatabaseCache::Store(const std::string& key, const hs_database_t* database,
                          std::string* error) const {
  std::error_code code;
  std::filesystem::create_directories(dir_, code);
  if (code) {
    *error = "cannot create " + dir_ + ": " + code.message();
    return false;
  }
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(database, &bytes, &length) != HS_SUCCESS) {
    *error = "cannot serialise a database";
    return false;
  }
  static std::atomic<unsigned> sequence{0};
  std::string final_path = PathFor(key);
  std::string temporary =
      final_path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(sequence.fetch_add(1));
  std::string header = Header(key);
  bool ok = false;
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot write " + temporary + ": " + std::strerror(errno);
  } else {
    auto write_all = [fd](const char* data, size_t size) {
      while (size > 0) {
        ssize_t written = ::write(fd, data, size);
        if (written < 0) {
          if (errno == EINTR) continue;
          return false;
        }
        data += written;
        size -= static_cast<size_t>(written);
      }
      return true;
    };
    ok = write_all(header.data(), header.size()) && write_all(bytes, length) && ::fsync(fd) == 0;
    if (!ok) *error = "cannot write " + temporary + ": " + std::strerror(errno);
    if (::close(fd) != 0 && ok) {
      ok = false;
      *error = "cannot write " + temporary + ": " + std::strerror(errno);
    }
    if (ok && std::rename(temporary.c_str(), final_path.c_str()) != 0) {
      ok = false;
      *error = "cannot rename to " + final_path + ": " + std::strerror(errno);
    }
    if (!ok) std::remove(temporary.c_str());
  }
  std::free(bytes);
  return ok;
}

}  // namespace portcullis::content
