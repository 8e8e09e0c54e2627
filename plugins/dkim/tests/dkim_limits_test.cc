// Bounded work on hostile input: the header section limits of the
// verifier, many signatures, and the metrics the check counts.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <string>
#include <vector>

#include "dkim_check.h"
#include "dkim_message_file.h"
#include "dkim_test_support.h"
#include "fake_resolver.h"

namespace portcullis::dkim {
namespace {

using portcullis::testing::FakeResolver;

constexpr int64_t kNow = 1528637909 + 60;

StoredMessage Rfc8463Message() {
  return ParseStoredMessage(testing::ReadFile(testing::RfcData("rfc8463-message.eml")));
}

std::vector<SignatureResult> Verify(const StoredMessage& message, FakeResolver& resolver,
                                    VerifierOptions options = {}) {
  return VerifyMessage(message.headers, message.body, &resolver,
                       Deadline::After(std::chrono::seconds(5)), kNow, options);
}

TEST(DkimLimits, TooManyHeaderFieldsIsPermerror) {
  FakeResolver resolver;
  testing::LoadKeys(resolver, testing::RfcData("rfc8463-keys.txt"));
  StoredMessage message = Rfc8463Message();
  for (size_t i = 0; i < kMaxHeaderFields; ++i) message.headers.push_back({"X-Filler", " x"});
  const auto results = Verify(message, resolver);
  ASSERT_EQ(results.size(), 2u);
  for (const SignatureResult& result : results) {
    EXPECT_EQ(result.result, DkimResult::kPermerror);
    EXPECT_EQ(result.reason, "header section exceeds the verifier's limits");
  }
  EXPECT_EQ(resolver.lookups(), 0);  // no DNS work for what cannot verify
}

TEST(DkimLimits, TooManyHeaderBytesIsPermerror) {
  FakeResolver resolver;
  testing::LoadKeys(resolver, testing::RfcData("rfc8463-keys.txt"));
  StoredMessage message = Rfc8463Message();
  message.headers.push_back({"X-Big", " " + std::string(kMaxHeaderBytes, 'x')});
  const auto results = Verify(message, resolver);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].result, DkimResult::kPermerror);
}

TEST(DkimLimits, SignaturesPastTheLimitAreReportedButNotVerified) {
  FakeResolver resolver;
  testing::LoadKeys(resolver, testing::RfcData("rfc8463-keys.txt"));
  StoredMessage message = Rfc8463Message();
  const HeaderField rsa = message.headers[1];
  for (int i = 0; i < 20; ++i) message.headers.insert(message.headers.begin(), rsa);
  VerifierOptions options;
  options.max_signatures = 3;
  const auto results = Verify(message, resolver, options);
  ASSERT_EQ(results.size(), 22u);
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].ignored, i >= 3) << i;
    EXPECT_EQ(results[i].result, i < 3 ? DkimResult::kPass : DkimResult::kNeutral) << i;
    // Still named in the report (index 20 is the original ed25519 one).
    EXPECT_EQ(results[i].selector, i == 20 ? "brisbane" : "test") << i;
  }
  EXPECT_EQ(resolver.lookups(), 3);
}

TEST(DkimLimits, MetricsCountSignaturesAndMessages) {
  auto registry = std::make_shared<prometheus::Registry>();
  FakeResolver resolver;
  testing::LoadKeys(resolver, testing::RfcData("rfc8463-keys.txt"));
  ConfigErrors errors;
  ConfigReader reader(nullptr, "checks.dkim", "test.lua", &errors);
  CheckContext context;
  context.metrics = registry.get();
  context.resolver = &resolver;
  auto check = MakeDkimCheck(reader, context);
  ASSERT_TRUE(check);
  const StoredMessage message = Rfc8463Message();
  auto instance = check->NewInstance();
  ConnectionInfo connection;
  MessageInfo info_message;
  std::unordered_map<std::string, std::string> macros;
  TransactionInfo info{connection, info_message, macros};
  for (const HeaderField& field : message.headers)
    instance->OnHeader(info, field.name, field.value);
  instance->OnEndOfHeaders(info);
  instance->OnBody(info, message.body);
  // Real clock: the RFC signatures are from 2018 and have no x=, so pass.
  EXPECT_EQ(instance->Finish(info, Deadline::After(std::chrono::seconds(5))).status,
            CheckStatus::kPass);
  double pass_signatures = -1, pass_messages = -1;
  for (const auto& family : registry->Collect()) {
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) {
        if (label.name != "result" || label.value != "pass") continue;
        if (family.name == "portcullis_dkim_signatures_total")
          pass_signatures = metric.counter.value;
        if (family.name == "portcullis_dkim_messages_total") pass_messages = metric.counter.value;
      }
    }
  }
  EXPECT_EQ(pass_signatures, 2);
  EXPECT_EQ(pass_messages, 1);
}

}  // namespace
}  // namespace portcullis::dkim
