// QueryRunner: the network side of an attempt — sending over UDP or TCP,
// reading what comes back, and deciding from a response what happens next.
// Queries, deadlines and completion are in dns_query_runner.cc.
#include <sys/epoll.h>

#include <algorithm>
#include <cerrno>

#include "dns/dns_name_syntax.h"
#include "dns/dns_query_runner.h"

namespace portcullis::dns {
namespace {

// Datagrams read per readiness event. A flood of forged answers on one
// socket must not starve the other queries; the rest waits for the next
// round of the loop (epoll is level-triggered).
constexpr int kMaxDatagramsPerEvent = 16;

// Backoff doubles per round; past 2^16 x attempt_timeout the query deadline
// has long passed, and the shift must not overflow.
constexpr size_t kMaxBackoffShift = 16;

}  // namespace

void QueryRunner::StartAttempt(Query& query, Clock::time_point now, bool tcp) {
  const size_t tries = config_.servers.size() * static_cast<size_t>(config_.attempts);
  for (;;) {
    if (query.try_index >= tries) {
      Finish(query, ErrorAnswer(Status::kTempError, query.last_error));
      return;
    }
    if (now >= query.deadline) {
      Finish(query, ErrorAnswer(Status::kTempError, "timeout"));
      return;
    }
    const size_t round = query.try_index / config_.servers.size();
    const ServerAddress& server = config_.servers[query.try_index % config_.servers.size()];
    query.identity.id = ids_.Next();
    std::vector<uint8_t> wire;
    std::string error;
    if (!BuildQuery(query.identity, config_.edns_udp_size, &wire, &error)) {
      Finish(query, ErrorAnswer(Status::kTempError, error));
      return;
    }
    int fd = -1;
    uint32_t events = 0;
    if (tcp) {
      query.tcp = TcpExchange::Start(server, wire, &error);
      if (query.tcp) {
        fd = query.tcp->fd();
        events = query.tcp->wanted_events();
        query.tcp_events = events;
      }
    } else {
      query.udp = UdpExchange::Start(server, wire, &error);
      if (query.udp) {
        fd = query.udp->fd();
        events = EPOLLIN;
      }
    }
    uint64_t token = ++next_token_;
    if (fd >= 0 && !loop_->Watch(fd, events, token)) {
      error = SocketErrorText(errno);
      fd = -1;
    }
    if (fd < 0) {
      query.udp.reset();
      query.tcp.reset();
      query.last_error = error;
      ++query.try_index;
      tcp = false;  // the next server is asked over UDP again
      continue;
    }
    query.token = token;
    by_token_.emplace(token, query.id);
    metrics_->QuerySent(query.type);
    auto wait = config_.attempt_timeout * (1 << std::min(round, kMaxBackoffShift));
    query.attempt_full_deadline = now + wait;
    query.attempt_deadline = std::min(query.attempt_full_deadline, query.deadline);
    query.saw_malformed = false;
    Arm(query);
    return;
  }
}

void QueryRunner::NextTry(Query& query, Clock::time_point now, std::string error) {
  EndAttempt(query);
  query.last_error = std::move(error);
  ++query.try_index;
  StartAttempt(query, now, /*tcp=*/false);
}

void QueryRunner::OnEvent(uint64_t token, uint32_t events) {
  auto found = by_token_.find(token);
  if (found == by_token_.end()) return;  // an attempt that already ended
  Query& query = *queries_.at(found->second);
  if (query.udp) {
    OnUdpReadable(query);
  } else if (query.tcp) {
    OnTcpReady(query, events);
  }
  RunCallbacks();
}

void QueryRunner::OnUdpReadable(Query& query) {
  for (int i = 0; i < kMaxDatagramsPerEvent; ++i) {
    size_t size = 0;
    std::string error;
    switch (query.udp->ReceiveOne(buffer_.data(), buffer_.size(), &size, &error)) {
      case UdpExchange::Receive::kNone: return;
      case UdpExchange::Receive::kForeign: continue;
      case UdpExchange::Receive::kError: NextTry(query, Clock::now(), error); return;
      case UdpExchange::Receive::kDatagram: break;
    }
    PacketPtr packet;
    switch (CheckResponse(buffer_.data(), size, query.identity, &packet)) {
      case ResponseCheck::kMismatched: continue;
      case ResponseCheck::kMalformed: query.saw_malformed = true; continue;
      case ResponseCheck::kAccepted:
        OnResponse(query, std::move(packet), /*via_tcp=*/false);
        return;
    }
  }
}

void QueryRunner::OnTcpReady(Query& query, uint32_t events) {
  std::string error;
  switch (query.tcp->OnReady(events, &error)) {
    case TcpExchange::Progress::kPending:
      if (query.tcp->wanted_events() != query.tcp_events) {
        query.tcp_events = query.tcp->wanted_events();
        loop_->Modify(query.tcp->fd(), query.tcp_events, query.token);
      }
      return;
    case TcpExchange::Progress::kFailed: NextTry(query, Clock::now(), error); return;
    case TcpExchange::Progress::kDone: break;
  }
  const std::vector<uint8_t>& reply = query.tcp->reply();
  PacketPtr packet;
  // Over TCP nobody off-path can inject, so a reply that does not answer
  // our question is the server's fault: try the next one.
  if (CheckResponse(reply.data(), reply.size(), query.identity, &packet) !=
      ResponseCheck::kAccepted) {
    NextTry(query, Clock::now(), "malformed answer");
    return;
  }
  OnResponse(query, std::move(packet), /*via_tcp=*/true);
}

void QueryRunner::OnResponse(Query& query, PacketPtr packet, bool via_tcp) {
  Clock::time_point now = Clock::now();
  metrics_->Response(ldns_pkt_get_rcode(packet.get()));
  if (!via_tcp && ldns_pkt_tc(packet.get())) {
    // RFC 7766 5: a truncated UDP answer is retried over TCP, same server.
    metrics_->TcpFallback();
    EndAttempt(query);
    StartAttempt(query, now, /*tcp=*/true);
    return;
  }
  ResponseReading reading = ReadResponse(packet.get(), query.qname, query.type, query.chain);
  switch (reading.next) {
    case ResponseReading::Next::kNextServer: NextTry(query, now, reading.error); return;
    case ResponseReading::Next::kRequery: {
      NormalizedName target;
      if (!NormalizeName(reading.requery_name, &target).empty()) {
        Finish(query, ErrorAnswer(Status::kTempError, "bad CNAME target"));
        return;
      }
      EndAttempt(query);
      query.chain = std::move(reading.chain);
      query.qname = std::string(target.view());
      query.identity.qname_wire = NameToWire(query.qname);
      query.try_index = 0;  // a new question: every server again
      query.last_error = "timeout";
      StartAttempt(query, now, /*tcp=*/false);
      return;
    }
    case ResponseReading::Next::kAnswer: break;
  }
  auto answer = std::make_shared<Answer>(std::move(reading.answer));
  if (reading.cacheable) {
    // The caller sees the lifetime the cache gives it, so that a fresh
    // answer and a cache hit of the same age agree.
    uint32_t lifetime = CacheLifetime(*answer, config_.cache_policy);
    answer->ttl = lifetime;
    cache_->Insert(query.name, query.type, answer, lifetime, now);
  }
  Finish(query, answer);
}

}  // namespace portcullis::dns
