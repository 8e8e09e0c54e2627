// Evaluations per second with a warm cache, for a record tree shaped like a
// large mail provider's: example.com -> include:_spf.provider.test ->
// include:_netblocks1/2/3.provider.test (15 ip4 + 5 ip6 each), the client
// matching the last ip4 of the last block (the worst case of that tree:
// every term is compared).
//
// Run (Release): portcullis_plugin_spf_bench
//   BM_WarmEvaluation/fake     FakeResolver inline mode as the warm resolver
//                              cache (what the brief measures)
//   BM_WarmEvaluation/static   prebuilt shared answers: the SPF machine alone
//   BM_ColdParse               parsing one netblock record (cache miss)
#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <utility>

#include "fake_resolver.h"
#include "spf_evaluator.h"
#include "spf_record.h"

namespace portcullis::spf {
namespace {

std::string Netblock(int block) {
  std::string record = "v=spf1";
  for (int i = 0; i < 15; ++i) {
    record += " ip4:" + std::to_string(10 + block) + "." + std::to_string(i * 16) + ".0.0/20";
  }
  for (int i = 0; i < 5; ++i) {
    record += " ip6:2001:db8:" + std::to_string(block) + ":" + std::to_string(i) + "::/64";
  }
  return record + " ~all";
}

std::map<std::string, std::string> Tree() {
  return {
      {"example.com", "v=spf1 include:_spf.provider.test ~all"},
      {"_spf.provider.test",
       "v=spf1 include:_netblocks1.provider.test include:_netblocks2.provider.test "
       "include:_netblocks3.provider.test ~all"},
      {"_netblocks1.provider.test", Netblock(1)},
      {"_netblocks2.provider.test", Netblock(2)},
      {"_netblocks3.provider.test", Netblock(3)},
  };
}

// The matching client: inside the 15th ip4 range of block 3.
const IpAddress kClient = *IpAddress::Parse("13.224.7.9");

// Answers from a prebuilt map, shared, inline: the cheapest possible cache.
class StaticResolver : public dns::Resolver {
 public:
  using Resolver::Lookup;
  void Add(const std::string& name, const std::string& text) {
    auto answer = std::make_shared<dns::Answer>();
    answer->status = dns::Status::kOk;
    answer->texts = {text};
    answers_[name] = std::move(answer);
  }
  void Lookup(std::string_view name, dns::RecordType, Deadline, dns::LookupCallback done) override {
    auto it = answers_.find(std::string(name));
    if (it != answers_.end()) {
      done(it->second);
      return;
    }
    auto missing = std::make_shared<dns::Answer>();
    missing->status = dns::Status::kNxDomain;
    done(missing);
  }

 private:
  std::map<std::string, dns::AnswerPtr, std::less<>> answers_;
};

void Evaluate(benchmark::State& state, dns::Resolver& resolver) {
  EvaluationOptions options;
  options.cache = std::make_shared<RecordCache>();
  options.deadline = Deadline::Never();
  const CheckHostRequest request = MailFromRequest(kClient, "user@example.com", "mail.example.com");
  // Warm the parse cache and check the answer once.
  auto first = StartCheckHost(resolver, request, options)->result()->WaitUntil(Deadline::Never());
  if (!first || first->result != SpfResult::kPass) {
    state.SkipWithError("the tree does not pass");
    return;
  }
  for (auto _ : state) {
    auto evaluation = StartCheckHost(resolver, request, options);
    auto outcome = evaluation->result()->WaitUntil(Deadline::Never());
    benchmark::DoNotOptimize(outcome);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_WarmEvaluation_Fake(benchmark::State& state) {
  portcullis::testing::FakeResolver resolver;
  for (const auto& [name, text] : Tree()) resolver.AddTxt(name, {text});
  Evaluate(state, resolver);
}
BENCHMARK(BM_WarmEvaluation_Fake)->Name("BM_WarmEvaluation/fake");

void BM_WarmEvaluation_Static(benchmark::State& state) {
  StaticResolver resolver;
  for (const auto& [name, text] : Tree()) resolver.Add(name, text);
  Evaluate(state, resolver);
}
BENCHMARK(BM_WarmEvaluation_Static)->Name("BM_WarmEvaluation/static");

void BM_ColdParse(benchmark::State& state) {
  const std::string record = Netblock(3);
  for (auto _ : state) {
    ParsedRecord parsed = ParseRecord(record);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ColdParse);

}  // namespace
}  // namespace portcullis::spf

BENCHMARK_MAIN();
