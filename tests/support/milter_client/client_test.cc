// Client tests against a scripted FakeFilter on a socketpair: negotiation
// bookkeeping, honouring SMFIP_NO* / SMFIP_NR_*, skip, progress, end of
// message modifications, timeouts and the whole-message helper.
#include "client.h"

#include <gtest/gtest.h>

#include "fake_filter.h"

namespace portcullis::milterclient {
namespace {

using P = FakeFilter;

// A filter that negotiates `protocol` and answers 'c' to everything it must
// answer (nothing for NR stages, abort or macros), 'a' at end of message.
FakeFilter::Handler Simple(uint32_t protocol, std::vector<Packet> eom = {P::Reply('a')}) {
  return [protocol, eom](const Packet& p) -> std::vector<Packet> {
    switch (p.command) {
      case SMFIC_OPTNEG: return {P::OptnegReply(SMFIF_ADDHDRS, protocol)};
      case SMFIC_MACRO: case SMFIC_ABORT: case SMFIC_QUIT: return {};
      case SMFIC_BODYEOB: return eom;
      default: break;
    }
    static const std::pair<char, uint32_t> kNr[] = {
        {SMFIC_CONNECT, SMFIP_NR_CONN}, {SMFIC_HELO, SMFIP_NR_HELO}, {SMFIC_MAIL, SMFIP_NR_MAIL},
        {SMFIC_RCPT, SMFIP_NR_RCPT},    {SMFIC_DATA, SMFIP_NR_DATA}, {SMFIC_HEADER, SMFIP_NR_HDR},
        {SMFIC_EOH, SMFIP_NR_EOH},      {SMFIC_BODY, SMFIP_NR_BODY}};
    for (const auto& [command, flag] : kNr) {
      if (p.command == command && (protocol & flag)) return {};
    }
    return {P::Reply('c')};
  };
}

Client::Options FastTimeout() {
  Client::Options options;
  options.timeout = std::chrono::milliseconds(300);
  return options;
}

const char kMessage[] =
    "Received: from x.example\n\tby y.example; Mon, 1 Jan 2024 00:00:00 +0000\n"
    "Subject: hello\n"
    "\n"
    "body line\n";

TEST(ClientTest, NegotiateRecordsFilterRequests) {
  FakeFilter filter([](const Packet& p) -> std::vector<Packet> {
    if (p.command != SMFIC_OPTNEG) return {};
    return {P::OptnegReply(SMFIF_ADDHDRS | SMFIF_QUARANTINE,
                           SMFIP_HDR_LEADSPC | SMFIP_NOHELO | SMFIP_NR_HDR,
                           {{1, "{rcpt_addr}"}, {4, "i"}})};
  });
  Client client = Client::Adopt(filter.TakeClientFd(), FastTimeout());
  const Negotiated& n = client.Negotiate();
  EXPECT_EQ(n.version, 6u);
  EXPECT_EQ(n.actions, static_cast<uint32_t>(SMFIF_ADDHDRS | SMFIF_QUARANTINE));
  EXPECT_TRUE(n.leading_space());
  EXPECT_TRUE(n.Has(SMFIP_NOHELO));
  EXPECT_TRUE(n.Has(SMFIP_NR_HDR));
  EXPECT_FALSE(n.Has(SMFIP_NR_BODY));
  EXPECT_EQ(n.macro_lists.at(4), "i");
  // The offer went out as version, actions, protocol.
  const std::vector<Packet> got = filter.received();
  ASSERT_EQ(got.size(), 1u);
  std::string expected;
  AppendUint32(&expected, 6);
  AppendUint32(&expected, SMFI_CURR_ACTS);
  AppendUint32(&expected, SMFI_CURR_PROT);
  EXPECT_EQ(got[0].payload, expected);
}

TEST(ClientTest, NegotiateRejectsProtocolBitsNotOffered) {
  FakeFilter filter([](const Packet&) { return std::vector<Packet>{P::OptnegReply(0, SMFIP_NR_HDR)}; });
  Client client = Client::Adopt(filter.TakeClientFd(), FastTimeout());
  EXPECT_THROW(client.Negotiate(SMFI_CURR_ACTS, SMFIP_NOHELO), MilterError);
}

TEST(ClientTest, SkippedStagesAreNotSent) {
  FakeFilter filter(Simple(SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NOHDRS | SMFIP_NOEOH |
                           SMFIP_NODATA | SMFIP_NOBODY));
  Client client = Client::Adopt(filter.TakeClientFd(), FastTimeout());
  client.Negotiate();
  const MessageResult result = client.SendMessage(Envelope{}, kMessage);
  EXPECT_TRUE(result.reached_eom);
  EXPECT_EQ(result.final.verdict, Verdict::kAccept);
  EXPECT_EQ(result.stages.front().reply.verdict, Verdict::kNotSent);
  client.SendQuit();
  filter.Join();
  EXPECT_EQ(filter.commands(), "OMREQ");
}

TEST(ClientTest, NoReplyStagesAreNotAwaited) {
  // With a 300 ms timeout, waiting for any of these would throw.
  const uint32_t nr = SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_MAIL | SMFIP_NR_RCPT |
                      SMFIP_NR_DATA | SMFIP_NR_HDR | SMFIP_NR_EOH | SMFIP_NR_BODY;
  FakeFilter filter(Simple(nr));
  Client client = Client::Adopt(filter.TakeClientFd(), FastTimeout());
  client.Negotiate();
  const MessageResult result = client.SendMessage(Envelope{}, kMessage);
  EXPECT_EQ(result.final.verdict, Verdict::kAccept);
  for (const StageReply& stage : result.stages) {
    if (stage.stage != Stage::kEom) {
      EXPECT_EQ(stage.reply.verdict, Verdict::kNoReply) << StageName(stage.stage);
    }
  }
  client.SendQuit();
  filter.Join();
  EXPECT_EQ(filter.commands(), "OCHMRTLLNBEQ");
}

TEST(ClientTest, HeaderLeadingSpaceFollowsNegotiation) {
  for (const bool leadspc : {true, false}) {
    FakeFilter filter(Simple(leadspc ? SMFIP_HDR_LEADSPC : 0));
    Client client = Client::Adopt(filter.TakeClientFd(), FastTimeout());
    client.SendMessage(Envelope{}, kMessage);  // Negotiates with defaults.
    client.SendQuit();
    filter.Join();
    std::vector<std::string> values;
    for (const Packet& p : filter.received()) {
      if (p.command != SMFIC_HEADER) continue;
      PayloadReader reader(p.payload);
      std::string name, value;
      ASSERT_TRUE(reader.ReadCString(&name) && reader.ReadCString(&value));
      values.push_back(value);
    }
    ASSERT_EQ(values.size(), 2u);
    if (leadspc) {
      EXPECT_EQ(values[0], " from x.example\n\tby y.example; Mon, 1 Jan 2024 00:00:00 +0000");
      EXPECT_EQ(values[1], " hello");
    } else {
      EXPECT_EQ(values[0], "from x.example\n\tby y.example; Mon, 1 Jan 2024 00:00:00 +0000");
      EXPECT_EQ(values[1], "hello");
    }
  }
}

TEST(ClientTest, ConnectEncodesEachFamily) {
  FakeFilter filter(Simple(0));
  Client client = Client::Adopt(filter.TakeClientFd(), FastTimeout());
  client.Negotiate();
  EXPECT_TRUE(client.SendConnect("h4", "192.0.2.1", 25, {{"j", "mx"}}).is_continue());
  client.SendConnect("h6", "2001:db8::1", 587);
  client.SendConnect("hl", "/run/sock", 99);
  client.SendConnect("hu", "", 0);
  client.SendQuit();
  filter.Join();
  std::vector<std::string> payloads;
  for (const Packet& p : filter.received()) {
    if (p.command == SMFIC_CONNECT) payloads.push_back(p.payload);
    if (p.command == SMFIC_MACRO) {
      EXPECT_EQ(p.payload, std::string("Cj\0mx\0", 6));
    }
  }
  ASSERT_EQ(payloads.size(), 4u);
  EXPECT_EQ(payloads[0], std::string("h4\0" "4\0\x19" "192.0.2.1\0", 16));
  EXPECT_EQ(payloads[1], std::string("h6\0" "6\x02\x4b" "2001:db8::1\0", 18));
  EXPECT_EQ(payloads[2], std::string("hl\0" "L\0\0" "/run/sock\0", 16));
  EXPECT_EQ(payloads[3], std::string("hu\0U", 4));
}

TEST(ClientTest, BodyChunksHaveCallerSizeAndSkipStopsThem) {
  int chunks = 0;
  FakeFilter filter([&chunks](const Packet& p) -> std::vector<Packet> {
    if (p.command == SMFIC_OPTNEG) return {P::OptnegReply(0, SMFIP_SKIP)};
    if (p.command == SMFIC_BODY) return {P::Reply(++chunks == 2 ? 's' : 'c')};
    if (p.command == SMFIC_BODYEOB) return {P::Reply('c')};
    return {};
  });
  Client client = Client::Adopt(filter.TakeClientFd(), FastTimeout());
  client.Negotiate();
  const Reply body = client.SendBody("0123456789", 3);
  EXPECT_EQ(body.verdict, Verdict::kSkip);
  EXPECT_TRUE(client.SendEndOfMessage().is_continue());
  client.SendQuit();
  filter.Join();
  EXPECT_EQ(filter.commands(), "OBBEQ");
  EXPECT_EQ(filter.received()[1].payload, "012");
}

TEST(ClientTest, EndOfMessageCollectsModificationsAndProgress) {
  auto header = [](char code, uint32_t index, const char* name, const char* value) {
    std::string payload;
    if (code != 'h') AppendUint32(&payload, index);
    AppendCString(&payload, name);
    AppendCString(&payload, value);
    return P::Reply(code, payload);
  };
  FakeFilter filter([&](const Packet& p) -> std::vector<Packet> {
    if (p.command == SMFIC_OPTNEG) return {P::OptnegReply(SMFI_CURR_ACTS, 0)};
    if (p.command != SMFIC_BODYEOB) return {};
    return {P::Reply('p'),
            header('h', 0, "X-Spam", "yes"),
            header('i', 1, "X-First", " v"),
            header('m', 2, "Subject", ""),
            P::Reply('q', std::string("spam\0", 5)),
            P::Reply('+', std::string("<a@x>\0", 6)),
            P::Reply('2', std::string("<b@x>\0NOTIFY=NEVER\0", 19)),
            P::Reply('-', std::string("<c@x>\0", 6)),
            P::Reply('e', std::string("<s@x>\0", 6)),
            P::Reply('b', "new "),
            P::Reply('b', "body"),
            P::Reply('p'),
            P::Reply('y', std::string("550 5.7.1 go away\0", 18))};
  });
  Client client = Client::Adopt(filter.TakeClientFd(), FastTimeout());
  client.Negotiate();
  const Reply eom = client.SendEndOfMessage({{"i", "QID"}});
  EXPECT_EQ(eom.verdict, Verdict::kReplyCode);
  EXPECT_EQ(eom.reply_text, "550 5.7.1 go away");
  EXPECT_EQ(eom.progress_count, 2);
  const Modifications& m = eom.modifications;
  EXPECT_EQ(std::string(m.order.begin(), m.order.end()), "himq+2-ebb");
  ASSERT_EQ(m.added_headers.size(), 1u);
  EXPECT_EQ(m.added_headers[0].name, "X-Spam");
  ASSERT_EQ(m.inserted_headers.size(), 1u);
  EXPECT_EQ(m.inserted_headers[0].index, 1u);
  EXPECT_EQ(m.inserted_headers[0].value, " v");
  ASSERT_EQ(m.changed_headers.size(), 1u);
  EXPECT_EQ(m.changed_headers[0].index, 2u);
  EXPECT_EQ(m.changed_headers[0].value, "");
  EXPECT_EQ(m.quarantine_reason.value_or(""), "spam");
  ASSERT_EQ(m.added_recipients.size(), 2u);
  EXPECT_EQ(m.added_recipients[1].esmtp_args, "NOTIFY=NEVER");
  EXPECT_EQ(m.deleted_recipients, std::vector<std::string>{"<c@x>"});
  EXPECT_EQ(m.new_sender.value_or(""), "<s@x>");
  EXPECT_EQ(m.replacement_body, "new body");
}

TEST(ClientTest, ReadTimeoutIsAClearError) {
  FakeFilter filter([](const Packet&) { return std::vector<Packet>{}; });
  Client client = Client::Adopt(filter.TakeClientFd(), FastTimeout());
  try {
    client.Negotiate();
    FAIL() << "expected a timeout";
  } catch (const MilterError& e) {
    EXPECT_NE(std::string(e.what()).find("timed out after 300 ms waiting for reply to SMFIC_OPTNEG"),
              std::string::npos)
        << e.what();
  }
}

TEST(ClientTest, RejectAtMailAbortsTheTransaction) {
  FakeFilter filter([](const Packet& p) -> std::vector<Packet> {
    if (p.command == SMFIC_OPTNEG) return {P::OptnegReply(0, 0)};
    if (p.command == SMFIC_MAIL) return {P::Reply('r')};
    if (p.command == SMFIC_MACRO || p.command == SMFIC_ABORT || p.command == SMFIC_QUIT) return {};
    return {P::Reply('c')};
  });
  Client client = Client::Adopt(filter.TakeClientFd(), FastTimeout());
  const MessageResult result = client.SendMessage(Envelope{}, kMessage);
  EXPECT_FALSE(result.reached_eom);
  EXPECT_EQ(result.final_stage, Stage::kMail);
  EXPECT_EQ(result.final.verdict, Verdict::kReject);
  client.SendQuit();
  filter.Join();
  EXPECT_EQ(filter.commands(), "OCHMAQ");
}

TEST(ClientTest, RejectedRecipientDoesNotEndTheMessage) {
  FakeFilter filter([](const Packet& p) -> std::vector<Packet> {
    if (p.command == SMFIC_OPTNEG) return {P::OptnegReply(0, 0)};
    if (p.command == SMFIC_RCPT && p.payload.rfind("<bad", 0) == 0) return {P::Reply('t')};
    if (p.command == SMFIC_MACRO || p.command == SMFIC_ABORT || p.command == SMFIC_QUIT) return {};
    return {P::Reply('c')};
  });
  Client client = Client::Adopt(filter.TakeClientFd(), FastTimeout());
  Envelope envelope;
  envelope.rcpt_to = {"<bad@x>", "<good@x>"};
  const MessageResult result = client.SendMessage(envelope, kMessage, 4);
  EXPECT_TRUE(result.reached_eom);
  EXPECT_EQ(result.rejected_recipients, 1);
  EXPECT_EQ(result.final.verdict, Verdict::kContinue);
  client.SendQuit();
  filter.Join();
  EXPECT_EQ(filter.commands(), "OCHMRRTLLNBBBEQ");  // "body line\r\n" in 4-byte chunks.
}

}  // namespace
}  // namespace portcullis::milterclient
