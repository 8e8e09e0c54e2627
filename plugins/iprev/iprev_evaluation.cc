#include "iprev_evaluation.h"

#include <memory>
#include <mutex>
#include <vector>

namespace portcullis::iprev {
namespace {

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

class Evaluation : public std::enable_shared_from_this<Evaluation> {
 public:
  Evaluation(dns::Resolver& resolver, const IpAddress& client, Deadline deadline)
      : resolver_(resolver),
        client_(client),
        deadline_(deadline),
        result_(MakeAsyncResult<IprevOutcome>()) {}

  AsyncResultPtr<IprevOutcome> result() const { return result_; }

  void Start() {
    auto self = shared_from_this();
    resolver_.Lookup(PtrQueryName(client_), dns::RecordType::kPtr, deadline_,
                     [self](const dns::AnswerPtr& answer) { self->OnPtr(answer); });
  }

 private:
  void Done(IprevResult result, std::string name, std::string reason) {
    result_->Set({result, std::move(name), std::move(reason), ptr_names_});
  }

  void OnPtr(const dns::AnswerPtr& answer) {
    if (!answer) {
      Done(IprevResult::kTempError, "", "no answer");
      return;
    }
    switch (answer->status) {
      case dns::Status::kNxDomain:
        Done(IprevResult::kNoPtr, "", "nxdomain");  // RFC 8601 2.7.3 permerror
        return;
      case dns::Status::kNoData: Done(IprevResult::kNoPtr, "", "nodata"); return;
      case dns::Status::kTempError:
        Done(IprevResult::kTempError, "",
             answer->error.empty() ? "temporary DNS error" : answer->error);
        return;
      case dns::Status::kPermError: Done(IprevResult::kPermError, "", "unusable PTR query"); return;
      case dns::Status::kOk: break;
    }
    ptr_names_ = answer->names.size();
    if (answer->names.empty()) {
      Done(IprevResult::kNoPtr, "", "nodata");
      return;
    }
    std::vector<std::string> names;
    for (const std::string& name : answer->names) {
      // RFC 8601 3: only the first kMaxPtrNames names are evaluated.
      if (names.size() == kMaxPtrNames) break;
      if (IsUsableHostName(name)) names.push_back(name);
    }
    if (names.empty()) {
      Done(IprevResult::kPermError, "", "no usable PTR name");
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      names_ = names;
      pending_ = names.size();  // before any lookup: answers may come inline
    }
    const dns::RecordType type = client_.is_v4() ? dns::RecordType::kA : dns::RecordType::kAaaa;
    auto self = shared_from_this();
    for (size_t i = 0; i < names.size(); ++i) {
      // No lock held here: a cached answer calls back before Lookup returns.
      resolver_.Lookup(names[i], type, deadline_,
                       [self, i](const dns::AnswerPtr& forward) { self->OnForward(i, forward); });
    }
  }

  void OnForward(size_t index, const dns::AnswerPtr& answer) {
    std::string matched;
    bool finished = false;
    IprevOutcome outcome;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      const std::string& name = names_[index];
      if (!answer || answer->status == dns::Status::kTempError) {
        // RFC 8601 2.7.3 temperror: unless another name passes, a later
        // attempt may produce a final result.
        if (temp_reason_.empty()) {
          temp_reason_ = !answer || answer->error.empty() ? "temporary DNS error" : answer->error;
        }
      } else if (answer->status == dns::Status::kOk) {
        for (const IpAddress& address : answer->addresses) {
          if (address == client_) matched = name;
        }
      }
      // NXDOMAIN / NODATA: "the forward query completed but produced no
      // result" (fail); kPermError (a name we could not ask) gives none either.
      finished = --pending_ == 0;
      if (finished && matched.empty()) {
        if (!temp_reason_.empty()) {
          outcome = {IprevResult::kTempError, names_.front(), temp_reason_, ptr_names_};
        } else {
          outcome = {IprevResult::kFail, names_.front(), "no forward match", ptr_names_};
        }
      }
    }
    if (!matched.empty()) {
      Done(IprevResult::kPass, matched, "forward match");  // the first match wins
    } else if (finished) {
      result_->Set(std::move(outcome));
    }
  }

  dns::Resolver& resolver_;
  const IpAddress client_;
  const Deadline deadline_;
  const AsyncResultPtr<IprevOutcome> result_;
  size_t ptr_names_ = 0;  // written by OnPtr before any forward lookup starts

  std::mutex mutex_;
  std::vector<std::string> names_;
  size_t pending_ = 0;
  std::string temp_reason_;
};

}  // namespace

std::string_view IprevResultName(IprevResult result) {
  switch (result) {
    case IprevResult::kPass: return "pass";
    case IprevResult::kFail: return "fail";
    case IprevResult::kTempError: return "temperror";
    case IprevResult::kPermError:
    case IprevResult::kNoPtr: return "permerror";
  }
  return "temperror";
}

std::string PtrQueryName(const IpAddress& client) {
  return dns::ReverseName(client) + (client.is_v4() ? ".in-addr.arpa" : ".ip6.arpa");
}

bool IsUsableHostName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!IsLabelChar(c) || ++label > 63) return false;
  }
  return label > 0;
}

AsyncResultPtr<IprevOutcome> StartIprev(dns::Resolver& resolver, const IpAddress& client,
                                        Deadline deadline) {
  auto evaluation = std::make_shared<Evaluation>(resolver, client, deadline);
  auto result = evaluation->result();
  evaluation->Start();
  return result;
}

}  // namespace portcullis::iprev
