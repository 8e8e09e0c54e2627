#include "test_config.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace portcullis::testing {

TempDir::TempDir() {
  char pattern[] = "/tmp/portcullis-test-XXXXXX";
  char* made = mkdtemp(pattern);
  path_ = made ? made : "/tmp";
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::Write(const std::string& name, const std::string& content) const {
  std::string full = path_ + "/" + name;
  std::ofstream(full, std::ios::binary | std::ios::trunc) << content;
  return full;
}

std::shared_ptr<const Snapshot> SnapshotFrom(const TempDir& dir, const std::string& config_text,
                                             std::string* errors_out) {
  std::string file = dir.Write("portcullis.lua", config_text);
  ConfigErrors errors;
  auto snapshot = BuildSnapshot(file, &errors);
  if (errors_out) {
    errors_out->clear();
    for (const std::string& error : errors.all()) *errors_out += error + "\n";
  }
  return snapshot;
}

}  // namespace portcullis::testing
