#include "uribl_instance.h"

#include <vector>

#include "uribl_names.h"
#include "uribl_result.h"

namespace portcullis::uribl {

bool UriblInstance::Skipped(const TransactionInfo& info) const {
  return shared_->config->skip_authenticated && !info.message.auth_authen.empty();
}

std::optional<ActionRequest> UriblInstance::OnMailFrom(const TransactionInfo& info) {
  authenticated_ = Skipped(info);
  return std::nullopt;
}

void UriblInstance::Sink::OnUrl(const mime::Url& url) {
  if (owner_->authenticated_) return;
  if (std::optional<Subject> subject = UrlSubject(url)) owner_->lookups_.Ask(*subject, kUrl);
}

void UriblInstance::Sink::OnEmailAddress(const mime::EmailAddress& address) {
  if (owner_->authenticated_) return;
  if (std::optional<Subject> subject = EmailSubject(address)) {
    owner_->lookups_.Ask(*subject, kEmail);
  }
}

CheckResult UriblInstance::Finish(const TransactionInfo& info, Deadline deadline) {
  if (authenticated_ || Skipped(info)) return CheckResult{};  // nothing to say
  if (shared_->config->wait) deadline = deadline.Min(Deadline::After(*shared_->config->wait));
  std::vector<Retrieved> retrieved;
  retrieved.reserve(lookups_.lookups().size());
  for (const Lookup& lookup : lookups_.lookups()) {
    // Every wait ends at the same deadline, so the total is bounded by it.
    retrieved.push_back({&lookup, lookup.answer->WaitUntil(deadline)});
  }
  return BuildUriblResult(*shared_->config, retrieved, lookups_.skipped());
}

}  // namespace portcullis::uribl
