// The dkim Check end to end on a FakeResolver: the RFC 8463 Appendix A
// vectors, failure cases (altered body and headers, key problems, DNS
// errors, time limits), limits, symbols, Authentication-Results and the
// structured method results.
#include "dkim_check.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "dkim_message_file.h"
#include "dkim_test_signer.h"
#include "dkim_test_support.h"
#include "fake_resolver.h"

namespace portcullis::dkim {
namespace {

using portcullis::testing::FakeResolver;
using testing::LoadKeys;
using testing::RfcData;

constexpr int64_t kSignedAt = 1528637909;  // t= of the RFC 8463 signatures
const char* const kEdKeyName = "brisbane._domainkey.football.example.com";
const char* const kRsaKeyName = "test._domainkey.football.example.com";

// Runs a message through a DkimInstance stage by stage, the body in
// `chunk_size` pieces (0 = one piece).
CheckResult RunCheck(const StoredMessage& message, FakeResolver* resolver,
                     DkimOptions options = DefaultDkimOptions(), int64_t now = kSignedAt + 60,
                     size_t chunk_size = 0,
                     Deadline deadline = Deadline::After(std::chrono::seconds(5))) {
  DkimCheck check(std::make_shared<const DkimOptions>(options), resolver, [now] { return now; });
  EXPECT_EQ(check.stages(), kStageHeader | kStageEndOfHeaders | kStageBody);
  auto instance = check.NewInstance();
  ConnectionInfo connection;
  MessageInfo info_message;
  std::unordered_map<std::string, std::string> macros;
  TransactionInfo info{connection, info_message, macros};
  for (const HeaderField& field : message.headers)
    instance->OnHeader(info, field.name, field.value);
  instance->OnEndOfHeaders(info);
  if (chunk_size == 0) {
    instance->OnBody(info, message.body);
  } else {
    for (size_t i = 0; i < message.body.size(); i += chunk_size) {
      instance->OnBody(info, std::string_view(message.body).substr(i, chunk_size));
    }
  }
  return instance->Finish(info, deadline);
}

StoredMessage Rfc8463Message() {
  return ParseStoredMessage(testing::ReadFile(RfcData("rfc8463-message.eml")));
}

bool HasSymbol(const CheckResult& result, const std::string& name) {
  for (const Symbol& symbol : result.symbols) {
    if (symbol.name == name) return true;
  }
  return false;
}

TEST(DkimCheck, Rfc8463BothSignaturesPass) {
  FakeResolver resolver;
  LoadKeys(resolver, RfcData("rfc8463-keys.txt"));
  const StoredMessage message = Rfc8463Message();
  ASSERT_EQ(message.headers.size(), 7u);
  const CheckResult result = RunCheck(message, &resolver);
  EXPECT_EQ(result.status, CheckStatus::kPass);
  ASSERT_EQ(result.auth_results.size(), 2u);
  EXPECT_EQ(result.auth_results[0],
            "dkim=pass header.d=football.example.com header.i=@football.example.com "
            "header.s=brisbane header.a=ed25519-sha256 header.b=\"/gCrinpc\"");
  EXPECT_EQ(result.auth_results[1],
            "dkim=pass header.d=football.example.com header.i=@football.example.com "
            "header.s=test header.a=rsa-sha256 header.b=F45dVWDf");
  ASSERT_EQ(result.methods.size(), 2u);
  EXPECT_EQ(result.methods[1].method, "dkim");
  EXPECT_EQ(result.methods[1].result, "pass");
  EXPECT_EQ(result.methods[1].Property("header.d"), "football.example.com");
  EXPECT_EQ(result.methods[1].Property("header.s"), "test");
  EXPECT_EQ(result.methods[1].Property("header.i"), "@football.example.com");
  EXPECT_EQ(result.methods[1].Property("header.a"), "rsa-sha256");
  ASSERT_EQ(result.symbols.size(), 1u);
  EXPECT_EQ(result.symbols[0].name, "DKIM_PASS");
  EXPECT_EQ(result.symbols[0].score, -1);
  EXPECT_EQ(resolver.LookupsOf(kEdKeyName, dns::RecordType::kTxt), 1);
  EXPECT_EQ(resolver.LookupsOf(kRsaKeyName, dns::RecordType::kTxt), 1);
}

// RFC 6376 A.2: simple/simple, so the fields must be rebuilt byte for byte
// from the milter representation (leading space, folds as "\n").
TEST(DkimCheck, Rfc6376SimpleSimplePasses) {
  FakeResolver resolver;
  LoadKeys(resolver, RfcData("rfc6376-keys.txt"));
  StoredMessage message = ParseStoredMessage(testing::ReadFile(RfcData("rfc6376-message.eml")));
  CheckResult result = RunCheck(message, &resolver, DefaultDkimOptions(), kSignedAt, 3);
  EXPECT_EQ(result.status, CheckStatus::kPass);
  ASSERT_EQ(result.auth_results.size(), 1u);
  EXPECT_EQ(result.auth_results[0],
            "dkim=pass header.d=example.com header.i=joe@football.example.com header.s=brisbane "
            "header.a=rsa-sha256 header.b=AuUoFEfD");
  // Under simple, refolding a signed field (which relaxed forgives) breaks it.
  for (HeaderField& field : message.headers) {
    if (field.name == "Received") field.value.replace(field.value.find("\n"), 1, "\n ");
  }
  result = RunCheck(message, &resolver, DefaultDkimOptions(), kSignedAt);
  ASSERT_EQ(result.methods.size(), 1u);
  EXPECT_EQ(result.methods[0].result, "fail");
}

TEST(DkimCheck, Rfc8463PassesWhateverTheBodyChunks) {
  FakeResolver resolver;
  LoadKeys(resolver, RfcData("rfc8463-keys.txt"));
  resolver.set_async(true);
  const StoredMessage message = Rfc8463Message();
  for (size_t chunk = 1; chunk <= message.body.size(); ++chunk) {
    const CheckResult result = RunCheck(message, &resolver, DefaultDkimOptions(), kSignedAt, chunk);
    EXPECT_EQ(result.status, CheckStatus::kPass) << "chunk size " << chunk;
    EXPECT_EQ(result.methods.size(), 2u);
    for (const AuthMethodResult& method : result.methods) EXPECT_EQ(method.result, "pass");
  }
}

struct FailureCase {
  std::string name;
  std::function<void(StoredMessage&)> alter;  // the message
  std::function<void(FakeResolver&)> zone;    // after the RFC keys are loaded
  int64_t now = kSignedAt + 60;
  std::vector<std::string> want;  // "result (reason)" per signature, ed25519 first
  CheckStatus want_status;
};

std::string Short(const AuthMethodResult& method, const std::string& fragment) {
  const size_t open = fragment.find(" (");
  const size_t header = fragment.find(" header.");
  const size_t close = fragment.rfind(')', header);
  std::string reason = open == std::string::npos || close == std::string::npos
                           ? ""
                           : fragment.substr(open + 2, close - open - 2);
  return method.result + (reason.empty() ? "" : " (" + reason + ")");
}

void SetHeader(StoredMessage& message, const std::string& name, const std::string& value) {
  for (HeaderField& field : message.headers) {
    if (field.name == name) field.value = value;
  }
}

TEST(DkimCheck, FailureTable) {
  const std::string short_key = testing::ReadFile(testing::PluginData("rsa512-public.b64"));
  const std::vector<FailureCase> cases = {
      {"altered body",
       [](StoredMessage& m) { m.body.replace(m.body.find("hungry"), 6, "Hungry"); },
       nullptr,
       kSignedAt,
       {"fail (body hash mismatch)", "fail (body hash mismatch)"},
       CheckStatus::kFail},
      {"body whitespace relaxed forgives",
       [](StoredMessage& m) {
         m.body.replace(m.body.find("the game"), 3, "the  \t");
         m.body += "\r\n\r\n";
       },
       nullptr,
       kSignedAt,
       {"pass", "pass"},
       CheckStatus::kPass},
      {"altered signed header",
       [](StoredMessage& m) { SetHeader(m, "Subject", " Is lunch ready?"); },
       nullptr,
       kSignedAt,
       {"fail (signature mismatch)", "fail (signature mismatch)"},
       CheckStatus::kFail},
      {"refolded signed header",
       [](StoredMessage& m) { SetHeader(m, "Subject", " Is dinner\n\t ready?  "); },
       nullptr,
       kSignedAt,
       {"pass", "pass"},
       CheckStatus::kPass},
      {"unsigned header added",
       [](StoredMessage& m) {
         m.headers.push_back({"X-Extra", " yes"});
       },
       nullptr,
       kSignedAt,
       {"pass", "pass"},
       CheckStatus::kPass},
      // Over-signing (from listed twice, present once): a second From
      // added anywhere is caught.
      {"From added",
       [](StoredMessage& m) {
         m.headers.insert(m.headers.begin() + 2, {"From", " evil@example.org"});
       },
       nullptr,
       kSignedAt,
       {"fail (signature mismatch)", "fail (signature mismatch)"},
       CheckStatus::kFail},
      {"revoked keys",
       nullptr,
       [](FakeResolver& r) {
         r.AddTxt(kEdKeyName, {"v=DKIM1; k=ed25519; p="});
         r.AddTxt(kRsaKeyName, {"v=DKIM1; k=rsa; p="});
       },
       kSignedAt,
       {"permerror (key revoked)", "permerror (key revoked)"},
       CheckStatus::kPermerror},
      {"wrong key type",
       nullptr,
       [](FakeResolver& r) {
         r.AddTxt(kRsaKeyName,
                  {"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="});
       },
       kSignedAt,
       {"pass", "permerror (key type \\(k=\\) does not match a=)"},
       CheckStatus::kPass},
      {"rsa key given as k=rsa to ed25519",
       nullptr,
       [](FakeResolver& r) {
         r.AddTxt(kEdKeyName, {"v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQ"});
       },
       kSignedAt,
       {"permerror (key type \\(k=\\) does not match a=)", "pass"},
       CheckStatus::kPass},
      {"short RSA key",
       nullptr,
       [&](FakeResolver& r) { r.AddTxt(kRsaKeyName, {"v=DKIM1; k=rsa; p=" + short_key}); },
       kSignedAt,
       {"pass", "permerror (RSA key of 512 bits is shorter than 1024 \\(RFC 8301\\))"},
       CheckStatus::kPass},
      {"garbage RSA key",
       nullptr,
       [](FakeResolver& r) { r.AddTxt(kRsaKeyName, {"v=DKIM1; k=rsa; p=YWJjZGVm"}); },
       kSignedAt,
       {"pass", "permerror (key is not a valid RSA public key)"},
       CheckStatus::kPass},
      {"key syntax error",
       nullptr,
       [](FakeResolver& r) { r.AddTxt(kEdKeyName, {"v=DKIM1; k=ed25519; p=!!"}); },
       kSignedAt,
       {"permerror (key syntax error: invalid base64 in p=)", "pass"},
       CheckStatus::kPass},
      {"no key",
       nullptr,
       [](FakeResolver& r) {
         r.SetStatus(kEdKeyName, dns::RecordType::kTxt, dns::Status::kNxDomain);
         r.SetStatus(kRsaKeyName, dns::RecordType::kTxt, dns::Status::kNoData);
       },
       kSignedAt,
       {"permerror (no key for signature)", "permerror (no key for signature)"},
       CheckStatus::kPermerror},
      {"SERVFAIL",
       nullptr,
       [](FakeResolver& r) {
         r.SetStatus(kEdKeyName, dns::RecordType::kTxt, dns::Status::kTempError, "SERVFAIL");
       },
       kSignedAt,
       {"temperror (key lookup failed: SERVFAIL)", "pass"},
       CheckStatus::kPass},
      {"SERVFAIL and fail",
       [](StoredMessage& m) { m.body += "x"; },
       [](FakeResolver& r) {
         r.SetStatus(kEdKeyName, dns::RecordType::kTxt, dns::Status::kTempError, "SERVFAIL");
       },
       kSignedAt,
       {"temperror (key lookup failed: SERVFAIL)", "fail (body hash mismatch)"},
       CheckStatus::kFail},
      {"timestamp in the future",
       nullptr,
       nullptr,
       kSignedAt - kClockSkewSeconds - 1,
       {"permerror (signature timestamp in the future \\(t=\\))",
        "permerror (signature timestamp in the future \\(t=\\))"},
       CheckStatus::kPermerror},
      {"within clock skew",
       nullptr,
       nullptr,
       kSignedAt - kClockSkewSeconds,
       {"pass", "pass"},
       CheckStatus::kPass},
      {"malformed signature",
       [](StoredMessage& m) { m.headers[0].value += "; v=2"; },
       nullptr,
       kSignedAt,
       {"permerror (duplicate tag 'v')", "pass"},
       CheckStatus::kPass},
  };
  for (const FailureCase& c : cases) {
    FakeResolver resolver;
    LoadKeys(resolver, RfcData("rfc8463-keys.txt"));
    if (c.zone) c.zone(resolver);
    StoredMessage message = Rfc8463Message();
    if (c.alter) c.alter(message);
    const CheckResult result = RunCheck(message, &resolver, DefaultDkimOptions(), c.now);
    EXPECT_EQ(result.status, c.want_status) << c.name;
    ASSERT_EQ(result.methods.size(), c.want.size()) << c.name;
    for (size_t i = 0; i < c.want.size(); ++i) {
      EXPECT_EQ(Short(result.methods[i], result.auth_results[i]), c.want[i])
          << c.name << ": signature " << i << ", fragment " << result.auth_results[i];
    }
  }
}

TEST(DkimCheck, KeyLookupTimeoutIsTemperror) {
  FakeResolver resolver;
  LoadKeys(resolver, RfcData("rfc8463-keys.txt"));
  resolver.SetUnanswered(kRsaKeyName, dns::RecordType::kTxt);
  const auto started = std::chrono::steady_clock::now();
  const CheckResult result = RunCheck(Rfc8463Message(), &resolver, DefaultDkimOptions(), kSignedAt,
                                      0, Deadline::After(std::chrono::milliseconds(200)));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  ASSERT_EQ(result.methods.size(), 2u);
  EXPECT_EQ(result.methods[0].result, "pass");
  EXPECT_EQ(result.methods[1].result, "temperror");
  EXPECT_NE(result.auth_results[1].find("(key lookup timeout)"), std::string::npos)
      << result.auth_results[1];
  EXPECT_TRUE(HasSymbol(result, "DKIM_PASS"));
  EXPECT_TRUE(HasSymbol(result, "DKIM_TEMPERROR"));
}

TEST(DkimCheck, WithoutEndOfHeadersStageStillVerifies) {
  FakeResolver resolver;
  LoadKeys(resolver, RfcData("rfc8463-keys.txt"));
  DkimCheck check(std::make_shared<const DkimOptions>(DefaultDkimOptions()), &resolver,
                  [] { return kSignedAt; });
  const StoredMessage message = Rfc8463Message();
  ConnectionInfo connection;
  MessageInfo info_message;
  std::unordered_map<std::string, std::string> macros;
  TransactionInfo info{connection, info_message, macros};
  for (bool with_body : {true, false}) {
    auto instance = check.NewInstance();
    for (const HeaderField& field : message.headers)
      instance->OnHeader(info, field.name, field.value);
    if (with_body) instance->OnBody(info, message.body);
    const CheckResult result = instance->Finish(info, Deadline::After(std::chrono::seconds(5)));
    ASSERT_EQ(result.methods.size(), 2u);
    // Without any body the hashes are those of an empty body: a fail.
    EXPECT_EQ(result.methods[0].result, with_body ? "pass" : "fail");
  }
}

TEST(DkimCheck, NoSignatureIsNone) {
  FakeResolver resolver;
  StoredMessage message = Rfc8463Message();
  message.headers.erase(message.headers.begin(), message.headers.begin() + 2);
  const CheckResult result = RunCheck(message, &resolver);
  EXPECT_EQ(result.status, CheckStatus::kNone);
  ASSERT_EQ(result.symbols.size(), 1u);
  EXPECT_EQ(result.symbols[0].name, "DKIM_NONE");
  EXPECT_EQ(resolver.lookups(), 0);
}

TEST(DkimCheck, NoResolverIsTemperror) {
  const CheckResult result = RunCheck(Rfc8463Message(), nullptr);
  EXPECT_EQ(result.status, CheckStatus::kTemperror);
  EXPECT_TRUE(HasSymbol(result, "DKIM_TEMPERROR"));
}

// Signatures made by the test signer for tags the RFC vectors lack.
struct SignedCase {
  std::string name;
  std::string tags;
  bool ed25519 = false;
  std::string extra_body;  // appended after signing
  std::string key_record;  // "" = the RFC key for the selector
  std::string want;
};

TEST(DkimCheck, SignedVariants) {
  auto rsa = testing::LoadPrivateKey(RfcData("rfc8463-rsa-private.pem"));
  auto ed = testing::Rfc8463Ed25519Key();
  ASSERT_TRUE(rsa && ed);
  const std::string base = "v=1; d=football.example.com; s=test; h=from:to:subject";
  const std::string t = "; t=" + std::to_string(kSignedAt);
  const std::vector<SignedCase> cases = {
      {"simple/simple", base + "; a=rsa-sha256; c=simple/simple" + t, false, "", "", "pass"},
      {"relaxed header only", base + "; a=rsa-sha256; c=relaxed" + t, false, "", "", "pass"},
      {"simple body altered", base + "; a=rsa-sha256; c=simple/simple" + t, false, "\r\n\r\n", "",
       "pass"},  // trailing empty lines are ignored
      {"simple body space", base + "; a=rsa-sha256; c=simple/simple" + t, false, " ", "",
       "fail (body hash mismatch)"},
      {"l= covers the original body", base + "; a=rsa-sha256; c=relaxed/relaxed; l=54" + t, false,
       "appended by a list\r\n", "", "pass"},
      {"l= beyond the body", base + "; a=rsa-sha256; c=relaxed/relaxed; l=5000" + t, false, "", "",
       "fail (body shorter than l=)"},
      {"expired",
       base + "; a=rsa-sha256; c=relaxed/relaxed" + t + "; x=" + std::to_string(kSignedAt + 30),
       false, "", "", "permerror (signature expired \\(x=\\))"},
      {"rsa-sha1", base + "; a=rsa-sha1; c=relaxed/relaxed" + t, false, "", "",
       "permerror (rsa-sha1 not allowed \\(RFC 8301\\))"},
      {"ed25519 simple", "v=1; d=football.example.com; s=brisbane; h=from; a=ed25519-sha256" + t,
       true, "", "", "pass"},
      {"t=s with a subdomain i=",
       base + "; a=rsa-sha256; c=relaxed/relaxed; i=joe@sub.football.example.com" + t, false, "",
       "v=DKIM1; t=s; "
       "p="
       "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/"
       "J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/"
       "8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB",
       "permerror (i= is a subdomain of d= but the key has t=s)"},
      {"key h=sha1 only", base + "; a=rsa-sha256; c=relaxed/relaxed" + t, false, "",
       "v=DKIM1; h=sha1; "
       "p="
       "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/"
       "J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/"
       "8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB",
       "permerror (key does not allow sha256 \\(h=\\))"},
  };
  for (const SignedCase& c : cases) {
    FakeResolver resolver;
    LoadKeys(resolver, RfcData("rfc8463-keys.txt"));
    if (!c.key_record.empty()) resolver.AddTxt(kRsaKeyName, {c.key_record});
    StoredMessage message = Rfc8463Message();
    message.headers.erase(message.headers.begin(), message.headers.begin() + 2);
    const std::string value =
        testing::Sign(message.headers, message.body, c.tags, c.ed25519 ? ed.get() : rsa.get());
    message.headers.insert(message.headers.begin(), {"DKIM-Signature", value});
    message.body += c.extra_body;
    const CheckResult result = RunCheck(message, &resolver, DefaultDkimOptions(), kSignedAt + 60);
    ASSERT_EQ(result.methods.size(), 1u) << c.name;
    EXPECT_EQ(Short(result.methods[0], result.auth_results[0]), c.want)
        << c.name << ": " << result.auth_results[0];
  }
}

TEST(DkimCheck, TooManySignatures) {
  FakeResolver resolver;
  LoadKeys(resolver, RfcData("rfc8463-keys.txt"));
  StoredMessage message = Rfc8463Message();
  // Three copies of the ed25519 signature on top: 5 in all, 2 verified.
  for (int i = 0; i < 3; ++i) message.headers.insert(message.headers.begin(), message.headers[0]);
  DkimOptions options = DefaultDkimOptions();
  options.verifier.max_signatures = 2;
  options.too_many_signatures_score = 3;
  const CheckResult result = RunCheck(message, &resolver, options);
  EXPECT_EQ(result.auth_results.size(), 2u);
  EXPECT_EQ(result.methods.size(), 2u);
  EXPECT_TRUE(HasSymbol(result, "DKIM_TOO_MANY_SIGNATURES"));
  EXPECT_EQ(resolver.lookups(), 2);
}

ConfigValue Number(double value) {
  ConfigValue out;
  out.type = ConfigValue::Type::kNumber;
  out.number = value;
  return out;
}

TEST(DkimOptions, ReadsScoresAndLimits) {
  ConfigValue scores;
  scores.type = ConfigValue::Type::kTable;
  scores.fields["fail"] = Number(4);
  scores.fields["none"] = Number(0.5);
  scores.fields["too_many_signatures"] = Number(2);
  ConfigValue table;
  table.type = ConfigValue::Type::kTable;
  table.fields["scores"] = scores;
  table.fields["max_signatures"] = Number(3);
  ConfigErrors errors;
  std::shared_ptr<const DkimOptions> options;
  {
    ConfigReader reader(&table, "checks.dkim", "test.lua", &errors);
    options = ReadDkimOptions(reader);
  }
  ASSERT_TRUE(options);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(options->ScoreFor(DkimResult::kFail), 4);
  EXPECT_EQ(options->ScoreFor(DkimResult::kPass), -1);  // default kept
  EXPECT_EQ(options->none_score, 0.5);
  EXPECT_EQ(options->too_many_signatures_score, 2);
  EXPECT_EQ(options->verifier.max_signatures, 3u);
}

TEST(DkimOptions, UnknownScoreIsAnError) {
  ConfigValue scores;
  scores.type = ConfigValue::Type::kTable;
  scores.fields["great"] = Number(1);
  ConfigValue table;
  table.type = ConfigValue::Type::kTable;
  table.fields["scores"] = scores;
  ConfigErrors errors;
  {
    ConfigReader reader(&table, "checks.dkim", "test.lua", &errors);
    EXPECT_FALSE(ReadDkimOptions(reader));
  }
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors.all()[0].find("great"), std::string::npos) << errors.all()[0];
}

}  // namespace
}  // namespace portcullis::dkim
