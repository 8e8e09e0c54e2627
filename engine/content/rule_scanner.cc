// The per-message Scanner, and the slot pool of CompiledRuleSet.
#include <cstring>

#include "content/compiled_rule_set.h"
#include "portcullis/log.h"
#include "portcullis/transaction_info.h"

namespace portcullis::content {
namespace {

// Hyperscan's callback: every pattern is SINGLEMATCH and ids are entry
// indices, so a match only sets that entry's flag.
int OnMatch(unsigned id, unsigned long long /*from*/, unsigned long long /*to*/, unsigned /*flags*/,
            void* context) {
  auto* values = static_cast<std::vector<uint8_t>*>(context);
  (*values)[id] = 1;
  return 0;  // keep scanning: other rules may still match
}

class RuleScanner : public Scanner {
 public:
  RuleScanner(std::shared_ptr<const CompiledRuleSet> set, ScanSlot* slot)
      : set_(std::move(set)), slot_(slot), values_(set_->entries_.size() + 1, 0) {}

  ~RuleScanner() override {
    if (!slot_) return;
    // Abandoned message: reset the streams without reporting matches.
    if (!finished_) {
      for (int i = 0; i < kStreamCount; ++i) {
        if (slot_->streams[i]) hs_reset_stream(slot_->streams[i], 0, nullptr, nullptr, nullptr);
      }
    }
    set_->ReleaseSlot(slot_);
  }

  void RawHeader(std::string_view name, std::string_view value) override {
    if (!Streaming(kStreamRawHeaders)) return;
    // "Name:" then the value as sent: with SMFIP_HDR_LEADSPC it keeps its
    // own leading space; without, put the conventional one back.
    Stream(kStreamRawHeaders, name);
    Stream(kStreamRawHeaders, ":");
    if (!value.empty() && value[0] != ' ' && value[0] != '\t') Stream(kStreamRawHeaders, " ");
    Stream(kStreamRawHeaders, value);
    Stream(kStreamRawHeaders, "\n");
  }

  void RawBody(std::string_view chunk) override { Stream(kStreamRawBody, chunk); }

  void DecodedHeader(std::string_view name, std::string_view value) override {
    if (!set_->header_databases_.empty()) {
      auto it = set_->header_databases_.find(ToLower(name));
      if (it != set_->header_databases_.end()) Block(it->second, value);
    }
    if (Streaming(kStreamHeaders)) Line(kStreamHeaders, name, value);
  }

  void Text(std::string_view utf8, bool new_part) override {
    // Parts are separated by a line break, so a word never spans two parts.
    if (new_part && fed_[kStreamText] > 0) Stream(kStreamText, "\n");
    Stream(kStreamText, utf8);
  }

  void Url(std::string_view url) override {
    if (set_->url_database_) Block(set_->url_database_, url);
  }

  void Attachment(std::string_view filename, std::string_view content_type) override {
    if (set_->attachment_name_database_ && !filename.empty()) {
      Block(set_->attachment_name_database_, filename);
    }
    if (set_->attachment_type_database_ && !content_type.empty()) {
      Block(set_->attachment_type_database_, content_type);
    }
  }

  std::vector<size_t> Finish() override {
    std::vector<size_t> hits;
    if (finished_ || !slot_) return hits;
    for (int i = 0; i < kStreamCount; ++i) {
      if (slot_->streams[i]) Flush(i);
    }
    finished_ = true;
    // End of data: end-anchored patterns ($, \z) report here.
    for (int i = 0; i < kStreamCount; ++i) {
      if (slot_->streams[i]) {
        hs_reset_stream(slot_->streams[i], 0, slot_->scratch, OnMatch, &values_);
      }
    }
    for (const auto& meta : set_->meta_order_) {
      values_[meta.entry] = meta.expression.Evaluate(values_) ? 1 : 0;
    }
    for (size_t i = 0; i < set_->entries_.size(); ++i) {
      if (values_[i]) hits.push_back(i);
    }
    return hits;
  }

 private:
  bool Streaming(int stream) const { return slot_ && slot_->streams[stream]; }

  void Line(int stream, std::string_view name, std::string_view value) {
    Stream(stream, name);
    Stream(stream, ": ");
    Stream(stream, value);
    Stream(stream, "\n");
  }

  void Stream(int stream, std::string_view data) {
    if (!Streaming(stream) || finished_ || data.empty()) return;
    // Bound the work one message can cause (RuleSetOptions::max_scan_bytes).
    uint64_t room =
        set_->options_.max_scan_bytes - std::min(set_->options_.max_scan_bytes, fed_[stream]);
    if (data.size() > room) data = data.substr(0, room);
    if (data.empty()) return;
    fed_[stream] += data.size();
    // The parser hands text over a line at a time, headers come in four
    // pieces: a Hyperscan call costs about a microsecond whatever its size,
    // so small pieces are gathered and scanned together.
    std::string& pending = pending_[stream];
    if (pending.empty() && data.size() >= kScanBatchBytes) {
      ScanNow(stream, data);
      return;
    }
    pending.append(data);
    if (pending.size() >= kScanBatchBytes) Flush(stream);
  }

  void Flush(int stream) {
    if (pending_[stream].empty()) return;
    ScanNow(stream, pending_[stream]);
    pending_[stream].clear();
  }

  void ScanNow(int stream, std::string_view data) {
    hs_error_t status =
        hs_scan_stream(slot_->streams[stream], data.data(), static_cast<unsigned>(data.size()), 0,
                       slot_->scratch, OnMatch, &values_);
    if (status != HS_SUCCESS) ReportError(status);
  }

  void Block(const hs_database_t* database, std::string_view data) {
    if (!slot_ || finished_) return;
    if (data.size() > set_->options_.max_scan_bytes)
      data = data.substr(0, set_->options_.max_scan_bytes);
    hs_error_t status = hs_scan(database, data.data(), static_cast<unsigned>(data.size()), 0,
                                slot_->scratch, OnMatch, &values_);
    if (status != HS_SUCCESS) ReportError(status);
  }

  void ReportError(hs_error_t status) {
    if (error_logged_) return;
    error_logged_ = true;
    LogWarning("content: Hyperscan scan error " + std::to_string(status));
  }

  std::shared_ptr<const CompiledRuleSet> set_;
  ScanSlot* slot_;
  std::vector<uint8_t> values_;  // per entry, +1 always-zero slot
  uint64_t fed_[kStreamCount] = {};
  // Bytes gathered for the next hs_scan_stream call, per stream.
  static constexpr size_t kScanBatchBytes = 16 * 1024;
  std::string pending_[kStreamCount];
  bool finished_ = false;
  bool error_logged_ = false;
};

}  // namespace

CompiledRuleSet::~CompiledRuleSet() {
  for (ScanSlot* slot : pool_) {
    for (hs_stream_t* stream : slot->streams) {
      if (stream) hs_close_stream(stream, nullptr, nullptr, nullptr);
    }
    hs_free_scratch(slot->scratch);
    delete slot;
  }
  hs_free_scratch(prototype_scratch_);
  for (hs_database_t* database : databases_) hs_free_database(database);
}

ScanSlot* CompiledRuleSet::AcquireSlot() const {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!pool_.empty()) {
      ScanSlot* slot = pool_.back();
      pool_.pop_back();
      return slot;
    }
  }
  // Pool empty: one more concurrent message than ever before. Allocation
  // happens here only until the pool covers the peak concurrency.
  auto slot = std::make_unique<ScanSlot>();
  if (prototype_scratch_ && hs_clone_scratch(prototype_scratch_, &slot->scratch) != HS_SUCCESS) {
    return nullptr;
  }
  for (int i = 0; i < kStreamCount; ++i) {
    if (streams_[i] && hs_open_stream(streams_[i], 0, &slot->streams[i]) != HS_SUCCESS) {
      for (hs_stream_t* stream : slot->streams) {
        if (stream) hs_close_stream(stream, nullptr, nullptr, nullptr);
      }
      hs_free_scratch(slot->scratch);
      return nullptr;
    }
  }
  return slot.release();
}

void CompiledRuleSet::ReleaseSlot(ScanSlot* slot) const {
  std::lock_guard<std::mutex> lock(pool_mutex_);
  pool_.push_back(slot);
}

std::unique_ptr<Scanner> CompiledRuleSet::NewScanner() const {
  ScanSlot* slot = AcquireSlot();
  if (!slot) LogWarning("content: cannot allocate Hyperscan scan state; message not scanned");
  return std::make_unique<RuleScanner>(shared_from_this(), slot);
}

}  // namespace portcullis::content
