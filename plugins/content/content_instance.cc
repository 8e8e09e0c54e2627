#include "content_instance.h"

namespace portcullis::content_check {
namespace {

// Severity order for several action rules matching one message.
int Severity(Action action) {
  switch (action) {
    case Action::kReject: return 3;
    case Action::kTempfail: return 2;
    case Action::kQuarantine: return 1;
    default: return 0;
  }
}

ActionRequest RequestFor(const content::Entry& entry) {
  ActionRequest request;
  request.action = *entry.action;
  request.reason = entry.name;
  request.text = entry.reply;
  if (request.action == Action::kReject) {
    request.smtp_code = "550";
    request.enhanced_code = "5.7.1";
    if (request.text.empty()) request.text = "Message content rejected";
  } else if (request.action == Action::kTempfail) {
    request.smtp_code = "451";
    request.enhanced_code = "4.7.1";
    if (request.text.empty()) request.text = "Message content deferred, try again later";
  }
  return request;
}

}  // namespace

using Clock = std::chrono::steady_clock;

ContentInstance::ContentInstance(std::shared_ptr<const content::RuleSet> rules,
                                 std::shared_ptr<const ContentMetrics> metrics)
    : rules_(std::move(rules)), metrics_(std::move(metrics)), scanner_(rules_->NewScanner()) {}

void ContentInstance::Account(Clock::time_point started) {
  if (metrics_) scan_time_ += Clock::now() - started;
}

void ContentInstance::OnHeader(const TransactionInfo&, std::string_view name,
                               std::string_view value) {
  auto started = metrics_ ? Clock::now() : Clock::time_point{};
  scanner_->RawHeader(name, value);
  Account(started);
}

void ContentInstance::OnBody(const TransactionInfo&, std::string_view chunk) {
  auto started = metrics_ ? Clock::now() : Clock::time_point{};
  scanner_->RawBody(chunk);
  Account(started);
}

void ContentInstance::OnHeader(const mime::PartInfo& part, std::string_view name,
                               std::string_view value) {
  // header:NAME and headers are the message's own headers; a part's
  // Content-Type is reached through attachment_type.
  if (part.index != 0) return;
  auto started = metrics_ ? Clock::now() : Clock::time_point{};
  scanner_->DecodedHeader(name, value);
  Account(started);
}

void ContentInstance::OnPartStart(const mime::PartInfo& part) {
  if (part.attachment) scanner_->Attachment(part.filename, part.content_type);
}

void ContentInstance::OnText(const mime::PartInfo& part, std::string_view utf8) {
  bool new_part = part.index != text_part_;
  text_part_ = part.index;
  auto started = metrics_ ? Clock::now() : Clock::time_point{};
  scanner_->Text(utf8, new_part);
  Account(started);
}

void ContentInstance::OnUrl(const mime::Url& url) {
  scanner_->Url(url.text);
  // An IP host spelt another way ("http://3221225985/", "0xC0.0.2.1") is
  // also offered in canonical form, so one rule covers every spelling.
  if (url.host_is_ip && !url.host.empty() && url.text.find(url.host) == std::string::npos) {
    std::string canonical = (url.scheme.empty() ? "http" : url.scheme) + "://";
    canonical += url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
    scanner_->Url(canonical + "/");
  }
}

CheckResult ContentInstance::Finish(const TransactionInfo&, Deadline) {
  CheckResult result;
  const std::vector<content::Entry>& entries = rules_->entries();
  bool bad = false;
  auto started = metrics_ ? Clock::now() : Clock::time_point{};
  std::vector<size_t> hits = scanner_->Finish();
  Account(started);
  if (metrics_) {
    metrics_->ScanSeconds(std::chrono::duration<double>(scan_time_).count());
    for (size_t index : hits) metrics_->Hit(index);
  }
  for (size_t index : hits) {
    const content::Entry& entry = entries[index];
    if (entry.score != 0 || entry.action) bad = true;
    if (entry.action &&
        (!result.request || Severity(*entry.action) > Severity(result.request->action))) {
      result.request = RequestFor(entry);
    }
    // "__NAME": a building block for metas, not a finding of its own.
    if (entry.name.compare(0, 2, "__") == 0) continue;
    result.symbols.push_back({entry.name, entry.score, entry.description});
  }
  result.status = bad ? CheckStatus::kFail : CheckStatus::kPass;
  return result;
}

}  // namespace portcullis::content_check
