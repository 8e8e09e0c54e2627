#include "pipeline/session.h"

#include "metrics/engine_metrics.h"
#include "pipeline/auth_results.h"
#include "pipeline/transaction.h"
#include "portcullis/log.h"

namespace portcullis {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Engine work done for the checks (the MIME parse) counts as transaction work.
template <typename Work>
void Timed(Clock::duration& total, Work work) {
  auto start = Clock::now();
  work();
  total += Clock::now() - start;
}

// Which requests end a stage at once. Others (accept, quarantine, discard)
// are kept for the policy to weigh at end of message.
bool IsImmediate(Action action) {
  return action == Action::kReject || action == Action::kTempfail;
}

StageReply ReplyFor(const ActionRequest& request) {
  StageReply reply;
  reply.kind = request.action == Action::kReject ? StageReply::Kind::kReject
                                                 : StageReply::Kind::kTempfail;
  reply.smtp_code = request.smtp_code;
  reply.enhanced_code = request.enhanced_code;
  reply.text = request.text;
  NormaliseReply(request.action, &reply.smtp_code, &reply.enhanced_code, &reply.text);
  return reply;
}

std::string StripAngles(std::string address) {
  if (address.size() >= 2 && address.front() == '<' && address.back() == '>') {
    address = address.substr(1, address.size() - 2);
  }
  return address;
}

}  // namespace

Session::Session(SnapshotSource snapshots) : snapshots_(std::move(snapshots)) {}

Session::~Session() { EndTransaction("connection closed"); }

void Session::SetMacro(std::string_view name, std::string_view value) {
  // Each message sets "i" again; assign in place rather than build a key.
  for (auto& [key, existing] : macros_) {
    if (key == name) {
      existing.assign(value);
      return;
    }
  }
  macros_.emplace(std::string(name), std::string(value));
}

TransactionInfo Session::Info() const {
  static const MessageInfo kNoMessage;
  TransactionInfo info{connection_, transaction_ ? transaction_->message : kNoMessage, macros_};
  if (transaction_ && transaction_->early) info.early = &*transaction_->early;
  return info;
}

Session::Transaction& Session::Begin() {
  if (transaction_) return *transaction_;
  transaction_ = std::make_unique<Transaction>();
  Transaction& tx = *transaction_;
  tx.snapshot = snapshots_();
  // Typical mail has 10 to 30 header fields; growing the vector from empty
  // moves every field several times.
  tx.message.headers.reserve(32);
  tx.instances.reserve(tx.snapshot->checks.size());
  std::vector<mime::Sink*> mime_sinks;
  for (const EnabledCheck& check : tx.snapshot->checks) {
    tx.instances.push_back({&check, check.check->NewInstance()});
    if (check.stages & kStageMime) {
      if (mime::Sink* sink = tx.instances.back().instance->MimeSink()) mime_sinks.push_back(sink);
    }
  }
  if (!mime_sinks.empty()) {
    tx.mime = std::make_unique<MimeFanout>(std::move(mime_sinks), tx.snapshot->config.limits.mime,
                                           tx.snapshot->public_suffixes);
  }
  return tx;
}

template <typename Call>
StageReply Session::Dispatch(uint32_t stage, const Call& call) {
  Transaction& tx = Begin();
  std::optional<StageReply> immediate;
  // One clock read per check that runs plus one: each check's time ends
  // where the next one's starts.
  const auto stage_start = Clock::now();
  auto previous = stage_start;
  for (Transaction::Instance& instance : tx.instances) {
    if (!(instance.check->stages & stage)) continue;
    std::optional<ActionRequest> request = call(*instance.instance);
    const auto now = Clock::now();
    instance.elapsed += now - previous;
    previous = now;
    if (!request || request->action == Action::kNone) continue;
    if (IsImmediate(request->action)) {
      // The first check to refuse decides the reply; a reject outranks a
      // tempfail from a later check only if it came first, by design:
      // checks run in config order and operators order them.
      // Already answered at this stage, so kept apart from the requests
      // the policy weighs at end of message (a rejected recipient must not
      // reject the message for the others).
      if (!immediate) immediate = ReplyFor(*request);
      tx.refusals.emplace_back(instance.check->name, *request);
    } else {
      tx.requests.emplace_back(instance.check->name, std::move(*request));
    }
  }
  tx.work += previous - stage_start;
  return immediate.value_or(StageReply{});
}

StageReply Session::Connect(ConnectionInfo info) {
  connection_ = std::move(info);
  connected_ = true;
  return Dispatch(kStageConnect, [this](CheckInstance& check) {
    return check.OnConnect(Info());
  });
}

StageReply Session::Helo(std::string helo) {
  connection_.helo = std::move(helo);
  helo_seen_ = true;
  return Dispatch(kStageHelo, [this](CheckInstance& check) { return check.OnHelo(Info()); });
}

StageReply Session::MailFrom(std::string from) {
  if (transaction_ && transaction_->mail_seen) EndTransaction("new MAIL FROM without end");
  bool fresh = !transaction_;
  Transaction& tx = Begin();
  tx.mail_seen = true;
  tx.started = Clock::now();
  tx.message.mail_from = StripAngles(std::move(from));
  tx.early.emplace(
      [this](std::string_view name) -> CheckInstance* {
        for (Transaction::Instance& instance : transaction_->instances) {
          if (instance.check->name == name) return instance.instance.get();
        }
        return nullptr;
      },
      [this] { return Info(); });
  if (auto it = macros_.find("auth_authen"); it != macros_.end()) {
    tx.message.auth_authen = it->second;
  }
  if (auto it = macros_.find("i"); it != macros_.end()) tx.message.queue_id = it->second;
  if (fresh) {
    // New instances for this message: tell them what the connection said.
    StageReply reply;
    if (connected_) {
      reply = Dispatch(kStageConnect, [this](CheckInstance& c) { return c.OnConnect(Info()); });
    }
    if (reply.kind == StageReply::Kind::kContinue && helo_seen_) {
      reply = Dispatch(kStageHelo, [this](CheckInstance& c) { return c.OnHelo(Info()); });
    }
    if (reply.kind != StageReply::Kind::kContinue) return reply;
  }
  return Dispatch(kStageMailFrom, [this](CheckInstance& c) { return c.OnMailFrom(Info()); });
}

StageReply Session::Rcpt(std::string recipient) {
  Transaction& tx = Begin();
  recipient = StripAngles(std::move(recipient));
  if (static_cast<int64_t>(tx.message.recipients.size()) >=
      tx.snapshot->config.limits.max_recipients) {
    // RFC 5321 4.5.3.1.10: 452 tells the client to send the rest later.
    EngineMetrics::Get().CountLimitHit("recipients");
    EngineMetrics::Get().CountRecipient("tempfail");
    tx.any_tempfailed = true;
    return StageReply{StageReply::Kind::kTempfail, "452", "4.5.3", "Too many recipients"};
  }
  StageReply reply = Dispatch(kStageRcpt, [this, &recipient](CheckInstance& check) {
    return check.OnRcpt(Info(), recipient);
  });
  switch (reply.kind) {
    case StageReply::Kind::kReject:
      tx.rejected_recipients.push_back(recipient);
      EngineMetrics::Get().CountRecipient("reject");
      break;
    case StageReply::Kind::kTempfail:
      tx.any_tempfailed = true;
      EngineMetrics::Get().CountRecipient("tempfail");
      break;
    default:
      tx.message.recipients.push_back(recipient);
      EngineMetrics::Get().CountRecipient("accept");
  }
  return reply;
}

void Session::NoteLimit(const char* limit, const char* symbol, const std::string& detail) {
  Transaction& tx = Begin();
  for (const Symbol& existing : tx.engine_symbols) {
    if (existing.name == symbol) return;
  }
  EngineMetrics::Get().CountLimitHit(limit);
  tx.engine_symbols.push_back({symbol, 0, detail});
  LogWarning(std::string("input limit ") + limit + " hit: " + detail + " (queue id " +
             tx.message.queue_id + ")");
}

StageReply Session::Header(std::string name, std::string value) {
  Transaction& tx = Begin();
  const LimitsConfig& limits = tx.snapshot->config.limits;
  const HeadersConfig& ours = tx.snapshot->config.headers;
  const bool auth_results = EqualsIgnoreCase(name, "Authentication-Results");
  const bool our_own = (!ours.score_header.empty() && EqualsIgnoreCase(name, ours.score_header)) ||
                       (!ours.symbols_header.empty() && EqualsIgnoreCase(name, ours.symbols_header)) ||
                       (!ours.quarantine_header.empty() &&
                        EqualsIgnoreCase(name, ours.quarantine_header));
  if (auth_results || our_own) {
    // Deletion goes by occurrence of the name, so count only the names we
    // may delete (every other header costs nothing here).
    int occurrence = ++tx.header_occurrences[ToLower(name)];
    if (our_own || (ours.add_auth_results && AuthResultsClaimsId(value, ours.authserv_id))) {
      // RFC 8601 5: a header claiming our authserv-id that we did not add
      // is a forgery; remove it before delivery. Our own headers likewise.
      tx.headers_to_delete.emplace_back(name, occurrence);
    }
  }
  if (++tx.header_count > limits.max_headers) {
    NoteLimit("header_count", "PORTCULLIS_HEADER_LIMIT",
              "more than " + std::to_string(limits.max_headers) + " headers");
    return StageReply{};
  }
  if (static_cast<int64_t>(value.size()) > limits.max_header_bytes) {
    NoteLimit("header_bytes", "PORTCULLIS_HEADER_TRUNCATED",
              "header " + name.substr(0, 64) + " longer than " +
                  std::to_string(limits.max_header_bytes) + " bytes");
    value.resize(static_cast<size_t>(limits.max_header_bytes));
  }
  tx.message.headers.push_back({std::move(name), std::move(value)});
  const HeaderField& field = tx.message.headers.back();
  StageReply reply = Dispatch(kStageHeader, [this, &field](CheckInstance& check) {
    check.OnHeader(Info(), field.name, field.value);
    return std::nullopt;
  });
  if (tx.mime) Timed(tx.work, [&] { tx.mime->Header(field.name, field.value); });
  return reply;
}

StageReply Session::EndOfHeaders() {
  Transaction& tx = Begin();
  StageReply reply = Dispatch(kStageEndOfHeaders, [this](CheckInstance& check) {
    check.OnEndOfHeaders(Info());
    return std::nullopt;
  });
  if (tx.mime) Timed(tx.work, [&] { tx.mime->EndOfHeaders(); });
  return reply;
}

StageReply Session::Body(std::string_view chunk) {
  Transaction& tx = Begin();
  if (tx.body_limit_hit) return StageReply{StageReply::Kind::kSkip, "", "", ""};
  int64_t limit = tx.snapshot->config.limits.max_body_scan_bytes;
  if (tx.body_bytes + static_cast<int64_t>(chunk.size()) > limit) {
    chunk = chunk.substr(0, static_cast<size_t>(std::max<int64_t>(0, limit - tx.body_bytes)));
    tx.body_limit_hit = true;
    NoteLimit("body_scan_bytes", "PORTCULLIS_BODY_SCAN_LIMIT",
              "body longer than " + std::to_string(limit) + " bytes; rest not scanned");
  }
  tx.body_bytes += static_cast<int64_t>(chunk.size());
  if (!chunk.empty()) {
    Dispatch(kStageBody, [this, chunk](CheckInstance& check) {
      check.OnBody(Info(), chunk);
      return std::nullopt;
    });
    if (tx.mime) Timed(tx.work, [&] { tx.mime->Body(chunk); });
  }
  return StageReply{tx.body_limit_hit ? StageReply::Kind::kSkip : StageReply::Kind::kContinue,
                    "", "", ""};
}

void Session::RawMessage(std::string_view raw) {
  Transaction& tx = Begin();
  for (Transaction::Instance& instance : tx.instances) {
    instance.instance->OnRawMessage(Info(), raw);
  }
}

void Session::Abort() { EndTransaction("aborted"); }

void Session::EndTransaction(const char* why) {
  if (!transaction_) return;
  Transaction& tx = *transaction_;
  if (tx.mail_seen && tx.message.recipients.empty() &&
      (!tx.rejected_recipients.empty() || tx.any_tempfailed)) {
    // Every recipient was refused at RCPT TO: that is this message's verdict.
    Verdict verdict;
    verdict.action = tx.rejected_recipients.empty() ? Action::kTempfail : Action::kReject;
    verdict.source = "rcpt";
    if (!tx.refusals.empty()) {
      verdict.reason = tx.refusals.front().first + ": " + tx.refusals.front().second.reason;
    }
    Report report;
    EngineMetrics::Get().CountMessage(verdict.action);
    LogSummary(verdict, report, SecondsSince(tx.started) * 1000);
  } else if (tx.mail_seen) {
    LogDebug(std::string("transaction ended without a message: ") + why);
  }
  transaction_.reset();
}

}  // namespace portcullis
