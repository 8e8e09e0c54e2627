#include "spf_machine.h"

#include <ctime>

#include "spf_domain.h"
#include "spf_text.h"

namespace portcullis::spf {
namespace {

// Reasons end up in symbol details, logs and header comments.
constexpr size_t kMaxReasonLength = 200;

}  // namespace

Machine::Machine(dns::Resolver& resolver, CheckHostRequest request, EvaluationOptions options)
    : resolver_(resolver), options_(std::move(options)) {
  // RFC 7208 5 (and 5.6): an IPv4-mapped IPv6 address is an IPv4 client.
  ip_ = request.ip.UnmapV4().value_or(request.ip);
  v4_ = ip_.is_v4();
  domain_ = std::move(request.domain);
  SenderParts parts = SplitSender(request.sender);
  sender_ = std::move(parts.sender);
  local_part_ = std::move(parts.local_part);
  sender_domain_ = std::move(parts.domain);
  helo_ = std::move(request.helo);
  receiver_ = request.receiver.empty() ? "unknown" : std::move(request.receiver);
  now_ = options_.now != 0 ? options_.now : static_cast<int64_t>(std::time(nullptr));
}

void Machine::Begin() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = true;
  }
  Drive();
}

void Machine::Cancel(std::string_view reason) {
  cancelled_ = true;
  SpfOutcome outcome;
  outcome.result = SpfResult::kTemperror;
  outcome.domain = domain_;
  outcome.reason = PrintableAscii(reason, kMaxReasonLength);
  result_->Set(std::move(outcome));
}

void Machine::Drive() {
  // Bounded: every step either issues lookups (then we return until they
  // are answered), finishes, or advances a directive index / pops a frame;
  // the record sizes and the 10-term limit bound the number of steps.
  for (;;) {
    const bool issued = Step();
    std::lock_guard<std::mutex> lock(mutex_);
    if (finished_ || (issued && outstanding_ > 0)) {
      running_ = false;
      return;
    }
  }
}

void Machine::OnAnswer(uint64_t generation, size_t index, const dns::AnswerPtr& answer) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (generation != generation_ || index >= answers_.size() || answers_[index]) return;
    if (answer) {
      answers_[index] = answer;
    } else {
      auto missing = std::make_shared<dns::Answer>();
      missing->error = "no answer";
      answers_[index] = std::move(missing);
    }
    if (--outstanding_ > 0 || running_) return;
    running_ = true;
  }
  Drive();
}

bool Machine::Issue(std::vector<Question> questions, Waiting waiting) {
  uint64_t generation;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    generation = ++generation_;
    outstanding_ = questions.size();
    answers_.assign(questions.size(), nullptr);
  }
  waiting_ = waiting;
  questions_ = std::move(questions);
  auto self = shared_from_this();
  for (size_t i = 0; i < questions_.size(); ++i) {
    resolver_.Lookup(questions_[i].name, questions_[i].type, options_.deadline,
                     [self, generation, i](const dns::AnswerPtr& answer) {
                       self->OnAnswer(generation, i, answer);
                     });
  }
  return true;
}

bool Machine::Step() {
  if (finished_) return false;
  if (cancelled_) {
    Finish(SpfResult::kTemperror, "cancelled");
    return false;
  }
  // RFC 7208 4.6.4: past the time limit the result is temperror.
  if (options_.deadline.expired()) {
    Finish(SpfResult::kTemperror, "evaluation deadline passed");
    return false;
  }
  if (frames_.empty()) return StartFrame(domain_, FrameKind::kTop);
  const Waiting waiting = waiting_;
  waiting_ = Waiting::kNothing;
  switch (waiting) {
    case Waiting::kNothing: return Advance();
    case Waiting::kRecord: return OnRecord(answers_[0]);
    case Waiting::kAddresses: return OnAddresses(answers_[0]);
    case Waiting::kMx: return OnMx(answers_[0]);
    case Waiting::kMxAddresses: return OnMxAddresses();
    case Waiting::kExists: return OnExists(answers_[0]);
    case Waiting::kPtrNames: return OnPtrNames(answers_[0]);
    case Waiting::kPtrAddresses: return OnPtrAddresses();
    case Waiting::kExplanation: return OnExplanation(answers_[0]);
  }
  return false;
}

void Machine::Finish(SpfResult result, std::string reason, std::string explanation) {
  if (finished_) return;
  finished_ = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++generation_;  // late answers are dropped
    outstanding_ = 0;
  }
  SpfOutcome outcome;
  outcome.result = result;
  outcome.domain = domain_;
  outcome.reason = PrintableAscii(reason, kMaxReasonLength);
  outcome.explanation = std::move(explanation);
  outcome.dns_terms = dns_terms_;
  outcome.void_lookups = void_lookups_;
  result_->Set(std::move(outcome));
}

std::string Machine::DnsError(const Question& question, const dns::Answer& answer) const {
  std::string text =
      "DNS error for " + std::string(dns::RecordTypeName(question.type)) + " " + question.name;
  if (!answer.error.empty()) text += ": " + answer.error;
  return text;
}

bool Machine::CountVoid() {
  // RFC 7208 4.6.4: more than two lookups answering NXDOMAIN or no records.
  if (++void_lookups_ > kMaxVoidLookups) {
    Finish(SpfResult::kPermerror, "more than 2 void DNS lookups (RFC 7208 4.6.4)");
    return false;
  }
  return true;
}

bool Machine::StartFrame(std::string domain, FrameKind kind) {
  if (kind != FrameKind::kRedirect) frames_.emplace_back();
  Frame& frame = frames_.back();
  frame.domain = std::move(domain);
  frame.parsed.reset();
  frame.record = nullptr;
  frame.next = 0;
  if (kind == FrameKind::kInclude) frame.include = true;
  if (kind == FrameKind::kRedirect) frame.redirected = true;
  // RFC 7208 4.3: a malformed <domain> gives "none" (for include and
  // redirect targets that becomes permerror in FrameResult).
  if (!IsValidDomain(frame.domain)) {
    return FrameResult(SpfResult::kNone, "'" + frame.domain + "' is not a valid domain");
  }
  return Issue({{frame.domain, dns::RecordType::kTxt}}, Waiting::kRecord);
}

bool Machine::OnRecord(const dns::AnswerPtr& answer) {
  Frame& frame = frames_.back();
  // RFC 7208 4.4: a DNS error other than NXDOMAIN is a temperror; no
  // records (or an unusable name) is "none".
  if (answer->status == dns::Status::kTempError) {
    Finish(SpfResult::kTemperror, DnsError(questions_[0], *answer));
    return false;
  }
  if (answer->status != dns::Status::kOk) {
    return FrameResult(SpfResult::kNone, "no SPF record at " + frame.domain);
  }
  const SelectedRecord selected = SelectRecord(answer->texts);
  if (selected.selection == Selection::kNone) {
    return FrameResult(SpfResult::kNone, "no SPF record at " + frame.domain);
  }
  if (selected.selection == Selection::kMultiple) {
    Finish(SpfResult::kPermerror, "more than one SPF record at " + frame.domain);
    return false;
  }
  auto parsed = options_.cache ? options_.cache->Get(selected.text)
                               : std::make_shared<const ParsedRecord>(ParseRecord(selected.text));
  if (!parsed->record) {
    Finish(SpfResult::kPermerror, "SPF record of " + frame.domain + ": " + parsed->error);
    return false;
  }
  frame.record = parsed->record.get();
  frame.parsed = std::move(parsed);
  frame.next = 0;
  return false;
}

bool Machine::FrameResult(SpfResult result, std::string reason) {
  Frame& frame = frames_.back();
  if (result == SpfResult::kNone && (frame.include || frame.redirected)) {
    // RFC 7208 5.2: include of a domain without a record is a permerror;
    // 6.1: so is redirect to one (or to a malformed name).
    Finish(SpfResult::kPermerror,
           reason + (frame.redirected ? " (redirect target)" : " (include target)"));
    return false;
  }
  if (frame.include) {
    frames_.pop_back();
    Frame& parent = frames_.back();
    // RFC 7208 5.2: only pass matches; fail, softfail and neutral do not.
    if (result == SpfResult::kPass) {
      return Match(parent, parent.record->directives[parent.next - 1]);
    }
    return false;
  }
  // RFC 7208 6.2: an explanation only for a fail, from the record that
  // produced it (after redirect, the redirect target's exp=).
  if (result == SpfResult::kFail && frame.record && frame.record->exp >= 0) {
    fail_reason_ = std::move(reason);
    return StartExplanation();
  }
  Finish(result, std::move(reason));
  return false;
}

bool Machine::Match(const Frame& frame, const Directive& directive) {
  return FrameResult(QualifierResult(directive.qualifier),
                     frame.domain + ": " +
                         std::string(frame.record->TermText(directive).substr(0, 80)) + " matched");
}

std::shared_ptr<Evaluation> StartCheckHost(dns::Resolver& resolver, CheckHostRequest request,
                                           EvaluationOptions options) {
  auto machine = std::make_shared<Machine>(resolver, std::move(request), std::move(options));
  machine->Begin();
  return machine;
}

SpfOutcome CheckHostAndWait(dns::Resolver& resolver, CheckHostRequest request,
                            EvaluationOptions options) {
  const Deadline deadline = options.deadline;
  auto evaluation = StartCheckHost(resolver, std::move(request), std::move(options));
  if (auto outcome = evaluation->result()->WaitUntil(deadline)) return *outcome;
  evaluation->Cancel("evaluation deadline passed");
  return *evaluation->result()->WaitUntil(Deadline::Never());
}

CheckHostRequest MailFromRequest(const IpAddress& ip, std::string_view mail_from,
                                 std::string_view helo) {
  // RFC 7208 2.4: a null reverse-path is checked as the HELO identity.
  if (mail_from.empty()) return HeloRequest(ip, helo);
  CheckHostRequest request;
  request.ip = ip;
  request.sender = std::string(mail_from);
  request.domain = SplitSender(mail_from).domain;
  request.helo = std::string(helo);
  return request;
}

CheckHostRequest HeloRequest(const IpAddress& ip, std::string_view helo) {
  // RFC 7208 2.3: <sender> postmaster@HELO (4.3 substitutes the local-part).
  CheckHostRequest request;
  request.ip = ip;
  request.sender = "postmaster@" + std::string(helo);
  request.domain = std::string(helo);
  request.helo = std::string(helo);
  return request;
}

}  // namespace portcullis::spf
