// The pipeline: stage dispatch, early verdicts, limits, header edits, and
// several messages on one connection.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/session.h"
#include "probe_check.h"
#include "test_config.h"

namespace portcullis {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ProbeJournal;
using testing::SnapshotFrom;
using testing::TempDir;

class SessionTest : public ::testing::Test {
 protected:
  void Use(const std::string& config) {
    std::string errors;
    snapshot_ = SnapshotFrom(dir_, "authserv_id = \"mx.test\"\n" + config, &errors);
    ASSERT_TRUE(snapshot_) << errors;
    auto snapshot = snapshot_;
    session_ = std::make_unique<Session>([snapshot] { return snapshot; });
    ProbeJournal().clear();
  }

  void Connect() {
    ConnectionInfo info;
    info.client_addr = IpAddress::Parse("192.0.2.1");
    info.client_addr_text = "192.0.2.1";
    session_->Connect(info);
  }

  EndOfMessageOutcome SendMessage(const std::vector<std::string>& rcpts,
                                  const std::vector<HeaderField>& headers = {}) {
    session_->MailFrom("<a@example.org>");
    for (const std::string& rcpt : rcpts) session_->Rcpt("<" + rcpt + ">");
    for (const HeaderField& header : headers) session_->Header(header.name, header.value);
    session_->EndOfHeaders();
    session_->Body("hello\r\n");
    return session_->EndOfMessage();
  }

  TempDir dir_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::unique_ptr<Session> session_;
};

TEST_F(SessionTest, ChecksReceiveOnlyTheStagesTheyAskedFor) {
  Use("checks = { probe = { stages = { 'rcpt', 'body' } } }");
  Connect();
  SendMessage({"b@example.net"}, {{"Subject", " hi"}});
  EXPECT_THAT(ProbeJournal(), ElementsAre("rcpt b@example.net", "body 7", "finish 1"));
  EXPECT_EQ(snapshot_->stages, kStageRcpt | kStageBody);
}

TEST_F(SessionTest, RejectAtRcptRefusesThatRecipientOnly) {
  Use("checks = { probe = { stages = { 'rcpt' }, reject_rcpt = { 'bad@example.net' } } }");
  Connect();
  session_->MailFrom("<a@example.org>");
  StageReply bad = session_->Rcpt("<bad@example.net>");
  EXPECT_EQ(bad.kind, StageReply::Kind::kReject);
  EXPECT_EQ(bad.smtp_code, "550");
  EXPECT_EQ(bad.enhanced_code, "5.1.1");
  EXPECT_EQ(bad.text, "no such user");
  EXPECT_EQ(session_->Rcpt("<good@example.net>").kind, StageReply::Kind::kContinue);
  EndOfMessageOutcome outcome = session_->EndOfMessage();
  EXPECT_EQ(outcome.verdict.action, Action::kAccept);
  EXPECT_EQ(ProbeJournal().back(), "finish 1");  // only the accepted recipient
}

TEST_F(SessionTest, EarlyTempfailAtMailFrom) {
  Use("checks = { probe = { stages = { 'mail' }, tempfail_mail = true } }");
  Connect();
  StageReply reply = session_->MailFrom("<a@example.org>");
  EXPECT_EQ(reply.kind, StageReply::Kind::kTempfail);
  EXPECT_EQ(reply.smtp_code, "451");
  EXPECT_EQ(reply.enhanced_code, "4.7.1");
  EXPECT_EQ(reply.text, "later");
}

TEST_F(SessionTest, FinishRequestReachesThePolicy) {
  Use("checks = { probe = { finish_action = 'quarantine', symbol = 'SUSPECT', score = 2 } }");
  Connect();
  EndOfMessageOutcome outcome = SendMessage({"b@example.net"});
  EXPECT_EQ(outcome.verdict.action, Action::kQuarantine);
  EXPECT_THAT(outcome.verdict.reason, HasSubstr("probe"));
  bool quarantine_header = false;
  for (const HeaderEdit& edit : outcome.edits) {
    if (edit.name == "X-Portcullis-Quarantine") quarantine_header = true;
  }
  EXPECT_TRUE(quarantine_header);
}

TEST_F(SessionTest, PolicySeesStructuredMethodResults) {
  dir_.Write("policy.lua",
             "return function(r)\n"
             "  local m = r.checks.probe.methods[1]\n"
             "  return { action = 'reject', text = m.method .. ' ' .. m.result .. ' ' ..\n"
             "           m.properties['header.d'] .. ' ' .. #r.checks.probe.methods }\n"
             "end\n");
  Use("policy = { file = 'policy.lua' }\n"
      "checks = { probe = { method = 'dkim=pass header.d=example.org header.s=sel' } }\n");
  Connect();
  EndOfMessageOutcome outcome = SendMessage({"b@example.net"});
  EXPECT_EQ(outcome.verdict.action, Action::kReject);
  EXPECT_EQ(outcome.verdict.text, "dkim pass example.org 1");
}

TEST_F(SessionTest, EveryOutcomeOfThePolicyIsPassedThrough) {
  struct Case {
    std::string returns;
    Action want;
    std::string code;
  };
  for (const Case& c : {Case{"'accept'", Action::kAccept, ""},
                        Case{"'discard'", Action::kDiscard, ""},
                        Case{"'quarantine'", Action::kQuarantine, ""},
                        Case{"{ action = 'tempfail' }", Action::kTempfail, "451"},
                        Case{"{ action = 'reject', code = '554' }", Action::kReject, "554"}}) {
    dir_.Write("policy.lua", "return function(r) return " + c.returns + " end\n");
    Use("policy = { file = 'policy.lua' }\n");
    Connect();
    EndOfMessageOutcome outcome = SendMessage({"b@example.net"});
    EXPECT_EQ(outcome.verdict.action, c.want) << c.returns;
    EXPECT_EQ(outcome.verdict.smtp_code, c.code) << c.returns;
    bool delivered = c.want == Action::kAccept || c.want == Action::kQuarantine;
    EXPECT_EQ(!outcome.edits.empty(), delivered) << c.returns;
  }
}

TEST_F(SessionTest, AuthenticationResultsAddedAndForgeriesRemoved) {
  Use("checks = { probe = { auth_results = 'probe=pass smtp.mailfrom=example.org' } }");
  Connect();
  EndOfMessageOutcome outcome =
      SendMessage({"b@example.net"}, {{"Authentication-Results", " other.example; spf=pass"},
                                      {"Authentication-Results", " MX.TEST; dkim=pass"},
                                      {"X-Portcullis-Score", " -100"},
                                      {"Authentication-Results", " (c) mx.test; dmarc=pass"}});
  std::vector<std::string> edits;
  for (const HeaderEdit& edit : outcome.edits) {
    edits.push_back(std::to_string(static_cast<int>(edit.kind)) + " " + edit.name + " " +
                    std::to_string(edit.index) + " " + edit.value);
  }
  EXPECT_THAT(edits, ElementsAre("2 Authentication-Results 3 ", "2 Authentication-Results 2 ",
                                 "2 X-Portcullis-Score 1 ",
                                 "0 Authentication-Results 0 mx.test;\n\tprobe=pass "
                                 "smtp.mailfrom=example.org",
                                 "1 X-Portcullis-Score 0 1.00",
                                 "1 X-Portcullis-Symbols 0 PROBE(1.00)"));
}

TEST_F(SessionTest, ChecksAddTraceHeadersOnTopAndOthersAtTheEnd) {
  Use("checks = { probe = { trace_header = 'Received-SPF: pass (test)',\n"
      "                     added_header = 'X-Probe: seen' } }");
  Connect();
  EndOfMessageOutcome outcome = SendMessage({"b@example.net"});
  std::vector<std::string> edits;
  for (const HeaderEdit& edit : outcome.edits) {
    edits.push_back(std::to_string(static_cast<int>(edit.kind)) + " " + edit.name + " " +
                    std::to_string(edit.index) + " " + edit.value);
  }
  // Inserted at 0 in this order: Received-SPF, then A-R above it.
  EXPECT_THAT(edits, ElementsAre("0 Received-SPF 0 pass (test)",
                                 "0 Authentication-Results 0 mx.test; none",
                                 "1 X-Portcullis-Score 0 1.00",
                                 "1 X-Portcullis-Symbols 0 PROBE(1.00)", "1 X-Probe 0 seen"));
}

TEST_F(SessionTest, SeveralMessagesOnOneConnectionGetFreshInstances) {
  Use("checks = { probe = { stages = { 'connect', 'helo', 'mail' } } }");
  Connect();
  session_->Helo("client.example");
  SendMessage({"b@example.net"});
  session_->MailFrom("<second@example.org>");
  session_->Abort();
  SendMessage({"c@example.net"});
  EXPECT_THAT(ProbeJournal(),
              ElementsAre("connect 192.0.2.1", "helo client.example", "mail a@example.org",
                          "finish 1",
                          // replayed to the second message's fresh instance
                          "connect 192.0.2.1", "helo client.example",
                          "mail second@example.org",
                          // abort ended it; the third message starts clean
                          "connect 192.0.2.1", "helo client.example", "mail a@example.org",
                          "finish 1"));
}

TEST_F(SessionTest, RcptStageReadsAnotherChecksEarlyResultOncePerMessage) {
  Use("checks = { probe = { stages = { 'mail' }, early_symbol = 'SPF_PASS' },\n"
      "           probe_reader = { stages = { 'rcpt' }, read_early = 'probe' } }");
  Connect();
  SendMessage({"b@example.net", "c@example.net"});
  EXPECT_THAT(ProbeJournal(),
              ElementsAre("mail a@example.org", "rcpt b@example.net", "early asked",
                          "read early SPF_PASS", "rcpt c@example.net", "read early SPF_PASS",
                          "finish 2", "finish 2"));
  // The next message asks afresh: its instances are new.
  ProbeJournal().clear();
  SendMessage({"d@example.net"});
  EXPECT_THAT(ProbeJournal(), ::testing::Contains("early asked"));
}

TEST_F(SessionTest, EarlyResultOfACheckThatIsNotEnabledIsAbsent) {
  Use("checks = { probe_reader = { stages = { 'rcpt' }, read_early = 'probe' } }");
  Connect();
  SendMessage({"b@example.net"});
  EXPECT_THAT(ProbeJournal(), ElementsAre("rcpt b@example.net", "read early none", "finish 1"));
}

TEST_F(SessionTest, FinishGetsTheEndOfMessageDeadline) {
  Use("timeouts = { end_of_message_ms = 1500 }\nchecks = { probe = {} }");
  Connect();
  SendMessage({"b@example.net"});
  auto left = testing::ProbeLastDeadline().remaining();
  EXPECT_GT(left.count(), 1000);
  EXPECT_LE(left.count(), 1500);
}

TEST_F(SessionTest, HeaderLimitStopsDispatchAndFlags) {
  Use("limits = { max_headers = 10 }\nchecks = { probe = { stages = { 'header' } } }");
  Connect();
  std::vector<HeaderField> headers;
  for (int i = 0; i < 25; ++i) headers.push_back({"X-H" + std::to_string(i), " v"});
  EndOfMessageOutcome outcome = SendMessage({"b@example.net"}, headers);
  EXPECT_EQ(ProbeJournal().size(), 11u);  // 10 headers + finish
  bool flagged = false;
  for (const CheckResult& result : outcome.report.results) {
    for (const Symbol& symbol : result.symbols) {
      if (symbol.name == "PORTCULLIS_HEADER_LIMIT") flagged = true;
    }
  }
  EXPECT_TRUE(flagged);
  EXPECT_EQ(outcome.verdict.action, Action::kAccept);  // flagged, not lost
}

TEST_F(SessionTest, LongHeaderIsCutToTheLimit) {
  Use("limits = { max_header_bytes = 1000 }\nchecks = { probe = { stages = { 'header' } } }");
  Connect();
  SendMessage({"b@example.net"}, {{"Subject", std::string(5000, 'x')}});
  EXPECT_EQ(ProbeJournal().front().size(), std::string("header Subject:").size() + 1000);
}

TEST_F(SessionTest, BodyScanLimitSkipsTheRest) {
  Use("limits = { max_body_scan_bytes = 10 }\nchecks = { probe = { stages = { 'body' } } }");
  Connect();
  session_->MailFrom("<a@example.org>");
  session_->Rcpt("<b@example.net>");
  EXPECT_EQ(session_->Body("123456").kind, StageReply::Kind::kContinue);
  EXPECT_EQ(session_->Body("123456").kind, StageReply::Kind::kSkip);
  EXPECT_EQ(session_->Body("123456").kind, StageReply::Kind::kSkip);
  session_->EndOfMessage();
  EXPECT_THAT(ProbeJournal(), ElementsAre("body 6", "body 4", "finish 1"));
}

TEST_F(SessionTest, TooManyRecipientsGet452) {
  Use("limits = { max_recipients = 100 }");
  Connect();
  session_->MailFrom("<a@example.org>");
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(session_->Rcpt("<r" + std::to_string(i) + "@example.net>").kind,
              StageReply::Kind::kContinue);
  }
  StageReply reply = session_->Rcpt("<one-too-many@example.net>");
  EXPECT_EQ(reply.kind, StageReply::Kind::kTempfail);
  EXPECT_EQ(reply.smtp_code, "452");
  EXPECT_EQ(reply.enhanced_code, "4.5.3");
}

TEST_F(SessionTest, MessagesStayOnTheSnapshotTheyStartedWith) {
  Use("checks = { probe = { symbol = 'OLD' } }");
  auto old_snapshot = snapshot_;
  std::shared_ptr<const Snapshot> current = old_snapshot;
  Session session([&current] { return current; });
  ConnectionInfo info;
  session.Connect(info);
  session.MailFrom("<a@example.org>");
  session.Rcpt("<b@example.net>");
  std::string errors;
  current = SnapshotFrom(dir_, "checks = { probe = { symbol = 'NEW' } }", &errors);
  ASSERT_TRUE(current) << errors;
  EndOfMessageOutcome first = session.EndOfMessage();
  EXPECT_EQ(first.report.results[0].symbols[0].name, "OLD");
  session.MailFrom("<a@example.org>");
  EndOfMessageOutcome second = session.EndOfMessage();
  EXPECT_EQ(second.report.results[0].symbols[0].name, "NEW");
}

}  // namespace
}  // namespace portcullis
