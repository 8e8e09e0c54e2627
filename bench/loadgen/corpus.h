// Corpus: the benchmark messages, read and split once before the run.
//
// Loads every *.eml file of a directory (sorted by name, so runs are
// repeatable) and pre-splits it into milter headers and CRLF body, so worker
// threads spend no time parsing. Immutable after Load(); shared read-only by
// all workers.
#ifndef PORTCULLIS_BENCH_LOADGEN_CORPUS_H_
#define PORTCULLIS_BENCH_LOADGEN_CORPUS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "message.h"

namespace portcullis::bench {

class Corpus {
 public:
  // Throws std::runtime_error if the directory is unreadable or empty.
  static Corpus Load(const std::string& directory);

  size_t size() const { return messages_.size(); }
  size_t total_bytes() const { return total_bytes_; }
  const milterclient::ParsedMessage& at(size_t index) const {
    return messages_[index % messages_.size()];
  }

 private:
  std::vector<milterclient::ParsedMessage> messages_;
  size_t total_bytes_ = 0;
};

}  // namespace portcullis::bench

#endif  // PORTCULLIS_BENCH_LOADGEN_CORPUS_H_
