// ARC chains sealed by dkimpy (tests/data/arc/generated, see
// tests/data/arc/README.md) through ChainVerifier and the arc Check, keys
// served by a FakeResolver loaded from the zone file; plus the DNS failure
// cases and the report given to the policy. Skipped when the directory is
// absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "arc_check.h"
#include "arc_report.h"
#include "arc_verifier.h"
#include "dkim_json_reader.h"
#include "dkim_message_file.h"
#include "fake_resolver.h"

namespace portcullis::arc {
namespace {

using portcullis::testing::FakeResolver;
using Json = dkim::testing::Json;

constexpr std::string_view kTwoSealers = "sealer1.arc.example.test:list.arc.example.test";

std::string Generated(const std::string& name) {
  return std::string(PORTCULLIS_ARC_GENERATED_DATA) + "/" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// TXT records of the zone file ("label IN TXT "a" "b"", strings joined).
void LoadZone(FakeResolver& resolver, const std::string& path) {
  std::istringstream lines(ReadFile(path));
  std::string line;
  std::string origin;
  while (std::getline(lines, line)) {
    if (line.rfind("$ORIGIN ", 0) == 0) {
      origin = line.substr(8);
      while (!origin.empty() && (origin.back() == '.' || origin.back() == ' ')) origin.pop_back();
      continue;
    }
    const size_t txt = line.find("IN TXT");
    if (txt == std::string::npos) continue;
    std::string text;
    for (size_t pos = txt;;) {
      const size_t open = line.find('"', pos);
      if (open == std::string::npos) break;
      const size_t close = line.find('"', open + 1);
      if (close == std::string::npos) break;
      text += line.substr(open + 1, close - open - 1);
      pos = close + 1;
    }
    resolver.AddTxt(line.substr(0, line.find(' ')) + "." + origin, {text});
  }
}

// Verifies a stored message, the body fed in `chunk` byte pieces.
ChainResult Verify(const std::string& file, dns::Resolver* resolver, size_t chunk = 4096,
                   ChainOptions options = {}) {
  const dkim::StoredMessage message = dkim::ParseStoredMessage(ReadFile(Generated(file)));
  ChainVerifier verifier(options);
  for (const HeaderField& field : message.headers) verifier.AddHeader(field.name, field.value);
  verifier.EndOfHeaders(resolver);
  for (size_t pos = 0; pos < message.body.size(); pos += chunk) {
    verifier.AddBody(std::string_view(message.body).substr(pos, chunk));
  }
  return verifier.Finish(Deadline::After(std::chrono::seconds(5)));
}

class ArcVectors : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(Generated("manifest.json"))) {
      GTEST_SKIP() << "no " << Generated("manifest.json");
    }
    LoadZone(resolver_, Generated("arc.example.test.zone"));
  }
  FakeResolver resolver_;
};

TEST_F(ArcVectors, Manifest) {
  Json manifest;
  ASSERT_TRUE(dkim::testing::JsonReader(ReadFile(Generated("manifest.json"))).Read(&manifest));
  ASSERT_EQ(manifest.type, Json::Type::kArray);
  ASSERT_GE(manifest.items.size(), 8u);
  for (const Json& entry : manifest.items) {
    const std::string file = entry["file"].string;
    // Whole body at once, and in 7-byte pieces (the hasher must not care).
    for (size_t chunk : {size_t{1} << 20, size_t{7}}) {
      const ChainResult got = Verify(file, &resolver_, chunk);
      EXPECT_EQ(ArcResultName(got.result), entry["result"].string)
          << file << " (chunk " << chunk << "): reason '" << got.reason << "'";
      if (entry.Has("reason_contains")) {
        EXPECT_NE(got.reason.find(entry["reason_contains"].string), std::string::npos)
            << file << ": got reason '" << got.reason << "', want it to contain '"
            << entry["reason_contains"].string << "'";
      }
      if (entry.Has("chain")) {
        std::string chain;
        for (const std::string& sealer : got.sealers) chain += (chain.empty() ? "" : ":") + sealer;
        EXPECT_EQ(chain, entry["chain"].string) << file;
      }
    }
  }
}

TEST_F(ArcVectors, CheckReportsToPolicy) {
  auto options = std::make_shared<ArcOptions>();
  options->pass_score = -2.5;
  ArcCheck check(options, &resolver_);
  struct Case {
    std::string file;
    CheckStatus status;
    std::string symbol;
    double score;
    std::string auth_results_prefix;
    std::string chain;  // arc.chain property; "" when absent
  };
  const std::vector<Case> cases = {
      {"two_instances.eml", CheckStatus::kPass, "ARC_PASS", -2.5, "arc=pass (i=2)",
       std::string(kTwoSealers)},
      {"one_instance.eml", CheckStatus::kPass, "ARC_PASS", -2.5, "arc=pass (i=1)",
       "sealer1.arc.example.test"},
      {"unsealed.eml", CheckStatus::kNone, "ARC_NONE", 0, "arc=none", ""},
      {"modified_after_seal.eml", CheckStatus::kFail, "ARC_FAIL", 0,
       "arc=fail (ARC-Message-Signature i=2: body hash mismatch)", ""},
  };
  ConnectionInfo connection;
  MessageInfo info_message;
  std::unordered_map<std::string, std::string> macros;
  TransactionInfo info{connection, info_message, macros};
  for (const Case& c : cases) {
    const dkim::StoredMessage message = dkim::ParseStoredMessage(ReadFile(Generated(c.file)));
    auto instance = check.NewInstance();
    for (const HeaderField& field : message.headers)
      instance->OnHeader(info, field.name, field.value);
    instance->OnEndOfHeaders(info);
    instance->OnBody(info, message.body);
    const CheckResult got = instance->Finish(info, Deadline::After(std::chrono::seconds(5)));
    EXPECT_EQ(got.status, c.status) << c.file;
    ASSERT_EQ(got.symbols.size(), 1u) << c.file;
    EXPECT_EQ(got.symbols[0].name, c.symbol) << c.file;
    EXPECT_EQ(got.symbols[0].score, c.score) << c.file;
    ASSERT_EQ(got.auth_results.size(), 1u) << c.file;
    EXPECT_EQ(got.auth_results[0].rfind(c.auth_results_prefix, 0), 0u)
        << c.file << ": got " << got.auth_results[0] << ", want prefix " << c.auth_results_prefix;
    ASSERT_EQ(got.methods.size(), 1u) << c.file;
    EXPECT_EQ(got.methods[0].method, "arc");
    EXPECT_EQ(got.methods[0].result, CheckStatusName(c.status)) << c.file;
    EXPECT_EQ(got.methods[0].Property("arc.chain"), c.chain) << c.file;
  }
}

TEST_F(ArcVectors, KeyProblems) {
  const std::string list_key = "s2._domainkey.list.arc.example.test";
  const std::string first_key = "s1._domainkey.sealer1.arc.example.test";
  struct Case {
    std::string name;
    std::function<void(FakeResolver&)> setup;
    ArcResult want;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"list key SERVFAIL",
       [&](FakeResolver& r) {
         r.SetStatus(list_key, dns::RecordType::kTxt, dns::Status::kTempError, "SERVFAIL");
       },
       ArcResult::kTemperror, "key lookup failed: SERVFAIL"},
      {"first key NXDOMAIN",
       [&](FakeResolver& r) {
         r.SetStatus(first_key, dns::RecordType::kTxt, dns::Status::kNxDomain);
       },
       ArcResult::kFail, "ARC-Seal i=1: no key"},
      {"first key revoked", [&](FakeResolver& r) { r.AddTxt(first_key, {"v=DKIM1; k=rsa; p="}); },
       ArcResult::kFail, "ARC-Seal i=1: key revoked"},
      {"list key unanswered",
       [&](FakeResolver& r) { r.SetUnanswered(list_key, dns::RecordType::kTxt); },
       ArcResult::kTemperror, "timeout"},
      // A definite failure wins over a key that did not answer.
      {"fail beats temperror",
       [&](FakeResolver& r) {
         r.SetStatus(list_key, dns::RecordType::kTxt, dns::Status::kTempError);
         r.SetStatus(first_key, dns::RecordType::kTxt, dns::Status::kNxDomain);
       },
       ArcResult::kFail, "no key"},
  };
  for (const Case& c : cases) {
    FakeResolver resolver;
    LoadZone(resolver, Generated("arc.example.test.zone"));
    c.setup(resolver);
    ChainOptions options;
    options.key_timeout = std::chrono::milliseconds(200);
    const ChainResult got = Verify("two_instances.eml", &resolver, 4096, options);
    EXPECT_EQ(got.result, c.want) << c.name << ": reason " << got.reason;
    EXPECT_NE(got.reason.find(c.reason), std::string::npos)
        << c.name << ": got '" << got.reason << "', want '" << c.reason << "'";
  }
}

TEST_F(ArcVectors, KeysLookedUpOnceInParallel) {
  resolver_.set_async(true);
  const ChainResult got = Verify("two_instances.eml", &resolver_);
  EXPECT_EQ(got.result, ArcResult::kPass) << got.reason;
  // AMS i=2 and AS i=2 share the list key: two distinct names, two lookups.
  EXPECT_EQ(resolver_.lookups(), 2);
  resolver_.set_async(false);
}

TEST_F(ArcVectors, NoResolverIsTemperror) {
  const ChainResult sealed = Verify("one_instance.eml", nullptr);
  EXPECT_EQ(sealed.result, ArcResult::kTemperror);
  EXPECT_EQ(sealed.reason, "no DNS resolver");
  // A structural failure needs no key.
  EXPECT_EQ(Verify("missing_ams.eml", nullptr).result, ArcResult::kFail);
  EXPECT_EQ(Verify("unsealed.eml", nullptr).result, ArcResult::kNone);
}

TEST(ArcReport, TemperrorHasNoAuthResults) {
  ChainResult result;
  result.result = ArcResult::kTemperror;
  result.reason = "ARC-Seal i=1: key lookup timeout";
  const CheckResult got = BuildCheckResult(result, ArcOptions{});
  EXPECT_EQ(got.status, CheckStatus::kTemperror);
  EXPECT_TRUE(got.auth_results.empty());
  ASSERT_EQ(got.symbols.size(), 1u);
  EXPECT_EQ(got.symbols[0].name, "ARC_TEMPERROR");
  // Reasons are cleaned for the comment.
  result.result = ArcResult::kFail;
  result.reason = "bad (x)\r\n";
  EXPECT_EQ(AuthResultsFragment(result),
            "arc=fail (bad \\(x\\)?"
            "?)");
}

}  // namespace
}  // namespace portcullis::arc
