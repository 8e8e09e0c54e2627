// One message's content scan: forwards the milter header/body stages and the
// MIME parser's events to a content::Scanner, and turns its hits into the
// check's result at end of message.
//
// Owned by the pipeline for one transaction; called by one thread at a time
// (check.h). The MIME sink is part of the instance and lives as long.
#pragma once

#include <chrono>
#include <memory>

#include "content_metrics.h"
#include "portcullis/check.h"
#include "portcullis/content/rule_set.h"
#include "portcullis/mime.h"

namespace portcullis::content_check {

class ContentInstance : public CheckInstance, private mime::Sink {
 public:
  ContentInstance(std::shared_ptr<const content::RuleSet> rules,
                  std::shared_ptr<const ContentMetrics> metrics);

  void OnHeader(const TransactionInfo&, std::string_view name, std::string_view value) override;
  void OnBody(const TransactionInfo&, std::string_view chunk) override;
  mime::Sink* MimeSink() override { return this; }
  CheckResult Finish(const TransactionInfo&, Deadline deadline) override;

 private:
  // mime::Sink
  void OnHeader(const mime::PartInfo& part, std::string_view name, std::string_view value) override;
  void OnPartStart(const mime::PartInfo& part) override;
  void OnText(const mime::PartInfo& part, std::string_view utf8) override;
  void OnUrl(const mime::Url& url) override;

  // Adds the time since `started` to scan_time_ (for the metric).
  void Account(std::chrono::steady_clock::time_point started);

  std::shared_ptr<const content::RuleSet> rules_;
  std::shared_ptr<const ContentMetrics> metrics_;
  std::unique_ptr<content::Scanner> scanner_;
  std::chrono::steady_clock::duration scan_time_{};
  int text_part_ = -1;  // the part whose text came last
};

}  // namespace portcullis::content_check
