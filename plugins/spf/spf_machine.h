// The check_host() state machine behind spf_evaluator.h (internal to the
// plugin). spf_machine.cc holds the driver, record fetching and frames;
// spf_machine_terms.cc the mechanisms, %{p} and the explanation.
//
// Threading (see spf_evaluator.h): Drive() runs on one thread at a time,
// guarded by `running_` under `mutex_`; answers are stored under the mutex
// and whoever brings the last answer of a batch while nobody is driving
// becomes the driver. All other members are touched only by the driver.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "spf_evaluator.h"
#include "spf_macro.h"
#include "spf_record.h"

namespace portcullis::spf {

class Machine : public Evaluation, public std::enable_shared_from_this<Machine> {
 public:
  Machine(dns::Resolver& resolver, CheckHostRequest request, EvaluationOptions options);

  void Begin();  // issues the first lookup; called once by StartCheckHost
  AsyncResultPtr<SpfOutcome> result() const override { return result_; }
  void Cancel(std::string_view reason) override;

 private:
  // What the outstanding batch of answers is for.
  enum class Waiting {
    kNothing,
    kRecord,        // TXT of the current frame's domain
    kAddresses,     // A/AAAA of an "a" target
    kMx,            // MX of an "mx" target
    kMxAddresses,   // A/AAAA of each exchange
    kExists,        // A of an "exists" target
    kPtrNames,      // PTR of the client (5.5), for "ptr" or %{p}
    kPtrAddresses,  // A/AAAA of each PTR name
    kExplanation,   // TXT of the exp= target (6.2)
  };
  // Why the validated names (5.5) are being computed.
  enum class NamesFor {
    kTerm,         // a "ptr" mechanism: its own query, counted with the term
    kMacro,        // %{p} in a term's domain-spec: one more counted query
    kExplanation,  // %{p} in exp=: counted if the limit allows, else "unknown"
  };

  // One record being evaluated: the top-level one or an include target.
  // A redirect replaces the record of its frame (6.1: its result is the
  // frame's result).
  struct Frame {
    std::string domain;
    std::shared_ptr<const ParsedRecord> parsed;  // keeps `record` alive
    const Record* record = nullptr;
    size_t next = 0;          // next directive
    bool include = false;     // pushed by include: of the frame below
    bool redirected = false;  // reached through redirect=
  };
  struct Question {
    std::string name;
    dns::RecordType type;
  };

  void Drive();
  // One unit of work. Returns true when it issued lookups (then the driver
  // waits for them), false to go on.
  bool Step();
  bool Issue(std::vector<Question> questions, Waiting waiting);
  void Finish(SpfResult result, std::string reason, std::string explanation = "");

  // Frames and records (spf_machine.cc).
  enum class FrameKind { kTop, kInclude, kRedirect };
  bool StartFrame(std::string domain, FrameKind kind);
  bool OnRecord(const dns::AnswerPtr& answer);
  bool FrameResult(SpfResult result, std::string reason);
  bool Match(const Frame& frame, const Directive& directive);

  // Terms (spf_machine_terms.cc).
  bool Advance();
  bool OnAddresses(const dns::AnswerPtr& answer);
  bool OnMx(const dns::AnswerPtr& answer);
  bool OnMxAddresses();
  bool OnExists(const dns::AnswerPtr& answer);
  bool StartValidatedNames(NamesFor why);
  bool OnPtrNames(const dns::AnswerPtr& answer);
  bool OnPtrAddresses();
  bool AfterNames();
  bool StartExplanation();
  bool OnExplanation(const dns::AnswerPtr& answer);
  bool FinishExplanation();

  // Helpers.
  std::string ExpandFor(const MacroString& spec, const std::string& domain) const;
  std::string TargetOf(const Frame& frame, const Directive& directive) const;
  bool AddressMatches(const IpAddress& address, const Directive& directive) const;
  // Counts a void answer (4.6.4); false after finishing with permerror.
  bool CountVoid();
  void OnAnswer(uint64_t generation, size_t index, const dns::AnswerPtr& answer);
  std::string_view ValidatedNameFor(const std::string& domain) const;
  bool NeedsNames(const MacroString& spec) const {
    return spec.uses_validated_name() && !names_ready_;
  }
  dns::RecordType AddressType() const { return v4_ ? dns::RecordType::kA : dns::RecordType::kAaaa; }
  std::string DnsError(const Question& question, const dns::Answer& answer) const;

  dns::Resolver& resolver_;
  const EvaluationOptions options_;
  const AsyncResultPtr<SpfOutcome> result_ = MakeAsyncResult<SpfOutcome>();

  // Inputs, fixed at start.
  IpAddress ip_;
  bool v4_ = true;
  std::string domain_;  // the request's <domain>
  std::string sender_;
  std::string local_part_;
  std::string sender_domain_;
  std::string helo_;
  std::string receiver_;
  int64_t now_ = 0;

  // Synchronisation with callbacks.
  std::mutex mutex_;
  bool running_ = false;
  uint64_t generation_ = 0;
  size_t outstanding_ = 0;
  std::vector<dns::AnswerPtr> answers_;
  std::atomic<bool> cancelled_{false};

  // Driver-only state.
  bool finished_ = false;
  Waiting waiting_ = Waiting::kNothing;
  std::vector<Question> questions_;  // of the outstanding batch
  std::vector<Frame> frames_;
  int dns_terms_ = 0;
  int void_lookups_ = 0;
  const Directive* current_ = nullptr;  // the directive awaiting answers
  std::string target_;                  // its target-name
  // 5.5 validated names of the client, computed at most once.
  bool names_ready_ = false;
  NamesFor names_for_ = NamesFor::kTerm;
  dns::Status ptr_status_ = dns::Status::kOk;
  std::vector<std::string> ptr_names_;
  std::vector<std::string> validated_names_;
  // 6.2 explanation in progress.
  std::optional<MacroString> explain_;
  std::string fail_reason_;
};

}  // namespace portcullis::spf
