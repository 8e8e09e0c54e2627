// Cross-implementation vectors (tests/data/dkim/generated, made with
// dkimpy; see tests/data/dkim/README.md): every message of the manifest
// through `portcullis dkim-verify --json`'s code path (MessageVerifier) and
// through the dkim Check, keys served by a FakeResolver loaded from the
// zone file. Skipped when the directory is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "dkim_check.h"
#include "dkim_command_args.h"
#include "dkim_json_reader.h"
#include "dkim_message_file.h"
#include "dkim_test_support.h"
#include "fake_resolver.h"

namespace portcullis::dkim {
namespace {

using portcullis::testing::FakeResolver;
using testing::Json;

// The README's window: after expired.eml's x= and before everyone else's.
constexpr int64_t kNow = 1800000000;

std::string Generated(const std::string& name) {
  return std::string(PORTCULLIS_DKIM_GENERATED_DATA) + "/" + name;
}

// Loads the TXT records of the RFC 1035 zone file ("label IN TXT "a" "b"",
// the character-strings concatenated as RFC 6376 3.6.2.2 says).
void LoadZone(FakeResolver& resolver, const std::string& path) {
  std::istringstream lines(testing::ReadFile(path));
  std::string line;
  std::string origin;
  while (std::getline(lines, line)) {
    if (line.rfind("$ORIGIN ", 0) == 0) {
      origin = line.substr(8);
      while (!origin.empty() && (origin.back() == '.' || origin.back() == ' ')) origin.pop_back();
      continue;
    }
    const size_t txt = line.find("IN TXT");
    if (txt == std::string::npos || line.empty() || line[0] == ';') continue;
    std::string label = line.substr(0, line.find_first_of(" \t"));
    std::string text;
    size_t pos = txt;
    for (;;) {
      const size_t open = line.find('"', pos);
      if (open == std::string::npos) break;
      const size_t close = line.find('"', open + 1);
      if (close == std::string::npos) break;
      text += line.substr(open + 1, close - open - 1);
      pos = close + 1;
    }
    resolver.AddTxt(label + "." + origin, {text});
  }
}

bool Contains(const Json& list, const std::string& word) {
  return std::any_of(list.items.begin(), list.items.end(),
                     [&](const Json& item) { return item.string == word; });
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

TEST(GeneratedVectors, ManifestThroughVerifierAndCheck) {
  if (!std::filesystem::exists(Generated("manifest.json"))) {
    GTEST_SKIP() << "no " << Generated("manifest.json");
  }
  Json manifest;
  ASSERT_TRUE(testing::JsonReader(testing::ReadFile(Generated("manifest.json"))).Read(&manifest));
  ASSERT_EQ(manifest.type, Json::Type::kArray);
  ASSERT_GT(manifest.items.size(), 10u);
  FakeResolver resolver;
  LoadZone(resolver, Generated("dkim.example.test.zone"));
  int checked = 0;
  for (const Json& entry : manifest.items) {
    const std::string file = entry["file"].string;
    SCOPED_TRACE(file + ": " + entry["purpose"].string);
    const StoredMessage message = ParseStoredMessage(testing::ReadFile(Generated(file)));
    const std::vector<SignatureResult> results = VerifyMessage(
        message.headers, message.body, &resolver, Deadline::After(std::chrono::seconds(5)), kNow);
    const Json& want = entry["signatures"];
    ASSERT_EQ(results.size(), want.items.size());
    for (size_t i = 0; i < results.size(); ++i) {
      const Json& sig = want.items[i];
      const std::string got(DkimResultName(results[i].result));
      EXPECT_TRUE(Contains(sig["acceptable"], got))
          << "signature " << i << ": got " << got << " (" << results[i].reason << "), want "
          << sig["result"].string;
      EXPECT_EQ(results[i].domain, sig["domain"].string);
      EXPECT_EQ(results[i].selector, sig["selector"].string);
      EXPECT_EQ(results[i].algorithm, sig["algorithm"].string);
      const std::string hint = sig["reason_contains"].string;
      if (!hint.empty()) {
        EXPECT_NE(Lower(results[i].reason).find(hint), std::string::npos)
            << "signature " << i << ": reason '" << results[i].reason << "' lacks '" << hint << "'";
      }
    }
    EXPECT_TRUE(Contains(entry["acceptable"], OverallResultName(results)))
        << "message: got " << OverallResultName(results) << ", want " << entry["result"].string;

    // The Check, body in 7-byte chunks, agrees with the one-shot path.
    DkimCheck check(std::make_shared<const DkimOptions>(DefaultDkimOptions()), &resolver,
                    [] { return kNow; });
    auto instance = check.NewInstance();
    ConnectionInfo connection;
    MessageInfo info_message;
    std::unordered_map<std::string, std::string> macros;
    TransactionInfo info{connection, info_message, macros};
    for (const HeaderField& field : message.headers)
      instance->OnHeader(info, field.name, field.value);
    instance->OnEndOfHeaders(info);
    for (size_t i = 0; i < message.body.size(); i += 7) {
      instance->OnBody(info, std::string_view(message.body).substr(i, 7));
    }
    const CheckResult result = instance->Finish(info, Deadline::After(std::chrono::seconds(5)));
    EXPECT_EQ(CheckStatusName(result.status), OverallResultName(results));
    if (!results.empty()) {
      ASSERT_EQ(result.methods.size(), results.size());
      for (size_t i = 0; i < results.size(); ++i) {
        EXPECT_EQ(result.methods[i].result, DkimResultName(results[i].result));
      }
    }
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(manifest.items.size()));
}

}  // namespace
}  // namespace portcullis::dkim
