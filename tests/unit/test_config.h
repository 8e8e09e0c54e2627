// Test helpers: write a config (and other files) into a fresh temp dir and
// build a Snapshot from it, as the daemon would. Single-threaded use.
#pragma once

#include <memory>
#include <string>

#include "config/snapshot.h"

namespace portcullis::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  // Writes `content` to path()/name and returns the full path.
  std::string Write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

// Builds a Snapshot from `config_text`; on failure returns nullptr and puts
// the joined errors in *errors_out.
std::shared_ptr<const Snapshot> SnapshotFrom(const TempDir& dir, const std::string& config_text,
                                             std::string* errors_out = nullptr);

}  // namespace portcullis::testing
