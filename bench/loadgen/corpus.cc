#include "corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace portcullis::bench {

Corpus Corpus::Load(const std::string& directory) {
  namespace fs = std::filesystem;
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.is_regular_file() && entry.path().extension() == ".eml") paths.push_back(entry.path());
  }
  if (paths.empty()) throw std::runtime_error("no .eml files in " + directory);
  std::sort(paths.begin(), paths.end());
  Corpus corpus;
  corpus.messages_.reserve(paths.size());
  for (const fs::path& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream raw;
    raw << in.rdbuf();
    corpus.total_bytes_ += raw.str().size();
    corpus.messages_.push_back(milterclient::SplitMessage(raw.str()));
  }
  return corpus;
}

}  // namespace portcullis::bench
