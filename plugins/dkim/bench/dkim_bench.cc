// DKIM verification cost, split the way the verifier spends it (issue:
// "verifications per second per algorithm and body bytes per second of
// canonicalization+hashing; DKIM adds no more than one signature check's
// cost per signature, no second pass over the body").
//
// Run (Release): portcullis_plugin_dkim_bench [--benchmark_repetitions=3 ...]
//   BM_Verify/rsa2048, BM_Verify/ed25519
//       the header-hash signature check alone (VerifyHeaderSignature), key
//       and signature parsed once, header hash input built once, from the
//       generated vectors matrix_relaxed_relaxed_{rsa2048,ed25519}.eml
//   BM_KeyDecode/rsa2048
//       d2i_PUBKEY of the 2048-bit key alone: the part of BM_Verify/rsa2048
//       that is key decoding (done per call), not RSA arithmetic
//   BM_BodyHash/{simple,relaxed}/{65536,4096}
//       BodyHasher (canonicalization + SHA-256) over a 64 KiB body shaped
//       like real mail (wrapped text with odd whitespace, then a base64
//       attachment), fed in 64 KiB or 4 KiB chunks
//   BM_Message/{rsa2048,ed25519}/{1,2}
//       MessageVerifier over a whole 64 KiB message with 1 or 2 signatures
//       sharing c= and a= (so one body hash), keys served inline by a
//       FakeResolver; the reporter prints the 2-minus-1 difference next to
//       BM_Verify: if the body were hashed twice, the difference would be a
//       BM_BodyHash more than one verification.
//
// Benchmark-only code; single-threaded.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "dkim_body_hash.h"
#include "dkim_crypto.h"
#include "dkim_header_canon.h"
#include "dkim_key.h"
#include "dkim_message_file.h"
#include "dkim_signature.h"
#include "dkim_tag_list.h"
#include "dkim_test_signer.h"
#include "dkim_test_support.h"
#include "dkim_verifier.h"
#include "fake_resolver.h"

namespace portcullis::dkim {
namespace {

using testing::ReadFile;

const std::string kGenerated = PORTCULLIS_DKIM_GENERATED_DATA;
const std::string kDomain = "dkim.example.test";
constexpr size_t kBodyBytes = 64 * 1024;
// The milter protocol carries body chunks of at most 65535 bytes
// (MILTER_CHUNK_SIZE); Postfix sends full chunks.
constexpr size_t kMilterChunk = 65535;

// "selector._domainkey.dkim.example.test" -> TXT text, from the generated
// zone (character-strings joined, RFC 6376 3.6.2.2).
std::map<std::string, std::string> ZoneKeys() {
  std::map<std::string, std::string> keys;
  const std::string zone = ReadFile(kGenerated + "/dkim.example.test.zone");
  const std::regex line(R"(^(\S+\._domainkey)\s+IN\s+TXT\s+(.*)$)");
  const std::regex quoted("\"([^\"]*)\"");
  size_t start = 0;
  while (start < zone.size()) {
    size_t end = zone.find('\n', start);
    if (end == std::string::npos) end = zone.size();
    const std::string text = zone.substr(start, end - start);
    start = end + 1;
    std::smatch match;
    if (!std::regex_match(text, match, line)) continue;
    std::string joined;
    const std::string strings = match[2];
    for (auto it = std::sregex_iterator(strings.begin(), strings.end(), quoted);
         it != std::sregex_iterator(); ++it) {
      joined += (*it)[1];
    }
    keys[match[1].str() + "." + kDomain] = joined;
  }
  return keys;
}

// What BM_Verify needs, prepared once: the decoded key, the b= value and
// the RFC 6376 3.7 header hash input.
struct VerifyInput {
  KeyType type = KeyType::kRsa;
  HashAlgorithm hash = HashAlgorithm::kSha256;
  std::string public_key;
  std::string header_data;
  std::string signature;
  std::string error;
};

VerifyInput PrepareVerify(const std::string& vector_file) {
  VerifyInput input;
  const StoredMessage message = ParseStoredMessage(ReadFile(kGenerated + "/" + vector_file));
  const HeaderField* field = nullptr;
  for (const HeaderField& header : message.headers) {
    if (ToLower(header.name) == "dkim-signature") field = &header;
  }
  if (field == nullptr) {
    input.error = vector_file + ": no DKIM-Signature";
    return input;
  }
  SignatureParseError parse_error;
  const auto signature = ParseSignature(field->value, &parse_error);
  const auto without_b = WithoutSignatureValue(field->value);
  if (!signature || !without_b) {
    input.error = vector_file + ": " + parse_error.reason;
    return input;
  }
  const auto keys = ZoneKeys();
  const auto key_text = keys.find(signature->selector + "._domainkey." + signature->domain);
  if (key_text == keys.end()) {
    input.error = vector_file + ": key not in the zone";
    return input;
  }
  std::string key_error;
  const auto key = ParseKeyRecord(key_text->second, &key_error);
  if (!key) {
    input.error = vector_file + ": " + key_error;
    return input;
  }
  input.type = signature->key_type;
  input.hash = signature->hash;
  input.public_key = key->public_key;
  input.signature = signature->signature;
  input.header_data =
      SelectAndCanonicalize(signature->header_canon, message.headers, signature->signed_headers);
  input.header_data += CanonicalizeHeader(signature->header_canon, field->name, *without_b);
  return input;
}

void BM_Verify(benchmark::State& state, const std::string& vector_file) {
  const VerifyInput input = PrepareVerify(vector_file);
  if (!input.error.empty()) {
    state.SkipWithError(input.error.c_str());
    return;
  }
  const CryptoResult first = VerifyHeaderSignature(input.type, input.hash, input.public_key,
                                                   input.header_data, input.signature);
  if (first.outcome != CryptoOutcome::kValid) {
    state.SkipWithError(("the vector does not verify: " + first.reason).c_str());
    return;
  }
  for (auto _ : state) {
    CryptoResult result = VerifyHeaderSignature(input.type, input.hash, input.public_key,
                                                input.header_data, input.signature);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Verify, rsa2048, std::string("matrix_relaxed_relaxed_rsa2048.eml"))
    ->Name("BM_Verify/rsa2048");
BENCHMARK_CAPTURE(BM_Verify, ed25519, std::string("matrix_relaxed_relaxed_ed25519.eml"))
    ->Name("BM_Verify/ed25519");

// Where an RSA verification's time goes: decoding the p= DER into an
// EVP_PKEY (d2i_PUBKEY, OpenSSL 3's decoder machinery), which
// VerifyHeaderSignature does on every call, against `openssl speed
// rsa2048`'s raw verify.
void BM_KeyDecode(benchmark::State& state) {
  const VerifyInput input = PrepareVerify("matrix_relaxed_relaxed_rsa2048.eml");
  if (!input.error.empty()) {
    state.SkipWithError(input.error.c_str());
    return;
  }
  for (auto _ : state) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(input.public_key.data());
    EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(input.public_key.size()));
    if (key == nullptr) {
      state.SkipWithError("the key does not decode");
      break;
    }
    EVP_PKEY_free(key);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KeyDecode)->Name("BM_KeyDecode/rsa2048");

// A deterministic body of `bytes` bytes (less up to one line) (CRLF lines) that looks
// like mail to both canonicalizations: about 40% wrapped prose with double
// spaces, tabs and trailing whitespace (work for relaxed), then base64
// lines of 76 characters (the attachment most large mail is), then two
// trailing empty lines (the deferred-CRLF path).
std::string RealisticBody(size_t bytes) {
  static const char* const kWords[] = {
      "account", "invoice", "meeting", "project", "update",  "quarterly", "review",
      "the",     "a",       "of",      "to",      "and",     "delivery",  "please",
      "thanks",  "regards", "budget",  "release", "version", "schedule",  "network"};
  uint32_t state = 12345;
  auto next = [&state]() {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  std::string body;
  body.reserve(bytes + 128);
  const size_t text_bytes = bytes * 2 / 5;
  std::string line;
  while (body.size() < text_bytes) {
    line.clear();
    while (line.size() < 64) {
      line += kWords[next() % (sizeof(kWords) / sizeof(kWords[0]))];
      const uint32_t gap = next() % 16;
      line += gap == 0 ? "  " : gap == 1 ? "\t" : " ";
    }
    if (next() % 8 == 0) line += "   ";  // trailing whitespace
    body += line;
    body += "\r\n";
    if (next() % 6 == 0) body += "\r\n";  // paragraph break
  }
  static const char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  body += "\r\n";
  while (body.size() + 78 + 4 <= bytes) {
    for (int i = 0; i < 76; ++i) body += kBase64[next() % 64];
    body += "\r\n";
  }
  body += "\r\n\r\n";
  return body;
}

void BM_BodyHash(benchmark::State& state, Canonicalization canon) {
  const std::string body = RealisticBody(kBodyBytes);
  const size_t chunk = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    BodyHasher hasher(canon, HashAlgorithm::kSha256, std::nullopt);
    for (size_t offset = 0; offset < body.size(); offset += chunk) {
      hasher.Update(std::string_view(body).substr(offset, chunk));
    }
    benchmark::DoNotOptimize(hasher.Finish());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK_CAPTURE(BM_BodyHash, simple, Canonicalization::kSimple)
    ->Name("BM_BodyHash/simple")
    ->Arg(65536)
    ->Arg(4096);
BENCHMARK_CAPTURE(BM_BodyHash, relaxed, Canonicalization::kRelaxed)
    ->Name("BM_BodyHash/relaxed")
    ->Arg(65536)
    ->Arg(4096);

// The headers of a typical message, in the HeaderField representation.
std::vector<HeaderField> MessageHeaders() {
  return {
      {"Received", " from relay1.example.com (relay1.example.com [198.51.100.7])\n"
                   "\tby mx1.example.net (Postfix) with ESMTPS id 4F3A2B1C0D\n"
                   "\tfor <bob@example.net>; Tue, 14 Nov 2023 22:13:20 +0000"},
      {"From", " Alice Example <alice@dkim.example.test>"},
      {"To", " Bob Example <bob@example.net>"},
      {"Subject", " Quarterly report and invoice for the project review"},
      {"Date", " Tue, 14 Nov 2023 22:13:20 +0000"},
      {"Message-ID", " <bench-64k@dkim.example.test>"},
      {"MIME-Version", " 1.0"},
      {"Content-Type", " text/plain; charset=utf-8"},
  };
}

testing::Pkey LoadKey(const std::string& selector) {
  if (selector == "ed25519") {
    std::string text = ReadFile(kGenerated + "/keys/ed25519.key");
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    const auto seed = DecodeBase64(text);
    if (!seed) return nullptr;
    return testing::Pkey(EVP_PKEY_new_raw_private_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed->data()),
        seed->size()));
  }
  return testing::LoadPrivateKey(kGenerated + "/keys/" + selector + ".pem");
}

// A 64 KiB message with `count` signatures by the same key, the same a= and
// c=relaxed/relaxed (distinct i= so the fields differ, as two signers'
// would): one BodyHasher serves both.
void BM_Message(benchmark::State& state, const std::string& selector) {
  const size_t count = static_cast<size_t>(state.range(0));
  const std::string algorithm = selector == "ed25519" ? "ed25519-sha256" : "rsa-sha256";
  const testing::Pkey key = LoadKey(selector);
  if (!key) {
    state.SkipWithError("cannot load the private key");
    return;
  }
  const std::string body = RealisticBody(kBodyBytes);
  std::vector<HeaderField> headers = MessageHeaders();
  for (size_t i = 0; i < count; ++i) {
    const std::string tags = "v=1; a=" + algorithm + "; c=relaxed/relaxed; d=" + kDomain +
                             "; s=" + selector + "; i=signer" + std::to_string(i) + "@" +
                             kDomain + "; h=from:to:subject:date:message-id:mime-version";
    // Each signer adds its field on top (RFC 6376 5.6).
    headers.insert(headers.begin(), {"DKIM-Signature", testing::Sign(headers, body, tags, key.get())});
  }
  portcullis::testing::FakeResolver resolver;
  for (const auto& [name, text] : ZoneKeys()) resolver.AddTxt(name, {text});

  auto verify = [&]() {
    MessageVerifier verifier;
    for (const HeaderField& field : headers) verifier.AddHeader(field.name, field.value);
    verifier.EndOfHeaders(&resolver, 1700000000);
    for (size_t offset = 0; offset < body.size(); offset += kMilterChunk) {
      verifier.AddBody(std::string_view(body).substr(offset, kMilterChunk));
    }
    return verifier.Finish(Deadline::Never());
  };
  const auto first = verify();
  if (first.size() != count) {
    state.SkipWithError("wrong number of results");
    return;
  }
  for (const SignatureResult& result : first) {
    if (result.result != DkimResult::kPass) {
      state.SkipWithError(("a signature does not pass: " + result.reason).c_str());
      return;
    }
  }
  for (auto _ : state) {
    auto results = verify();
    benchmark::DoNotOptimize(results);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK_CAPTURE(BM_Message, rsa2048, std::string("rsa2048"))
    ->Name("BM_Message/rsa2048")
    ->Arg(1)
    ->Arg(2);
BENCHMARK_CAPTURE(BM_Message, ed25519, std::string("ed25519"))
    ->Name("BM_Message/ed25519")
    ->Arg(1)
    ->Arg(2);

// The console output plus, at the end, per algorithm: the whole-message
// time with 2 signatures minus with 1, beside one BM_Verify and one 64 KiB
// relaxed BM_BodyHash (median aggregates when repetitions were asked for).
class DifferenceReporter : public benchmark::ConsoleReporter {
 public:
  // Colour only on a terminal: the output is saved to bench/results/.
  DifferenceReporter() : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_ColorTabular : OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const std::string name = run.run_name.str();
      const double ns = run.GetAdjustedCPUTime();  // default unit: ns
      if (run.run_type == Run::RT_Aggregate) {
        if (run.aggregate_name == "median") median_[name] = ns;
      } else {
        single_[name] = ns;
      }
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\n# 2 signatures minus 1 (CPU time, %s):\n",
                median_.empty() ? "single runs" : "medians");
    for (const char* algorithm : {"rsa2048", "ed25519"}) {
      const std::string base = std::string("BM_Message/") + algorithm;
      const double one = Get(base + "/1");
      const double two = Get(base + "/2");
      const double verify = Get(std::string("BM_Verify/") + algorithm);
      const double body = Get("BM_BodyHash/relaxed/65536");
      if (one <= 0 || two <= 0) continue;
      std::printf("#   %-8s 1 sig %8.1f us, 2 sigs %8.1f us, difference %7.1f us"
                  " (one BM_Verify %6.1f us, one 64 KiB relaxed body hash %6.1f us)\n",
                  algorithm, one / 1e3, two / 1e3, (two - one) / 1e3, verify / 1e3, body / 1e3);
    }
  }

 private:
  double Get(const std::string& name) const {
    auto it = median_.find(name);
    if (it != median_.end()) return it->second;
    it = single_.find(name);
    return it == single_.end() ? 0 : it->second;
  }
  std::map<std::string, double> median_;
  std::map<std::string, double> single_;
};

}  // namespace
}  // namespace portcullis::dkim

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  portcullis::dkim::DifferenceReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
