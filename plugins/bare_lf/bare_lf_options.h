// The bare_lf check's options, read once per config Snapshot from the
// `checks.bare_lf` table, and the mapping from findings to the action the
// operator chose. Immutable after reading; shared read-only by all
// transactions of the Snapshot, so safe to use from any thread.
//
// Findings fall into three classes, each with its own action:
//   header     BARE_LF_HEADER, BARE_CR_HEADER, NUL_HEADER
//   body       BARE_LF_BODY, BARE_CR_BODY, NUL_BODY
//   smuggling  SMTP_SMUGGLING
// An action is "score" (only add the symbols; the policy sums scores),
// "reject", "tempfail" or "quarantine" (an ActionRequest at end of message).
#pragma once

#include <array>
#include <optional>
#include <string>

#include "line_end_scanner.h"
#include "portcullis/check_result.h"
#include "portcullis/config_value.h"

namespace portcullis::bare_lf {

enum class FindingClass : uint8_t { kHeader, kBody, kSmuggling };
inline constexpr size_t kFindingClassCount = 3;
FindingClass ClassOf(FindingKind kind);
std::string_view FindingClassName(FindingClass finding_class);  // "header", ...

enum class ClassAction : uint8_t { kScore, kReject, kTempfail, kQuarantine };
std::string_view ClassActionName(ClassAction action);
std::optional<ClassAction> ParseClassAction(std::string_view name);

struct ClassPolicy {
  ClassAction action = ClassAction::kScore;
  std::string text;  // SMTP reply text for reject/tempfail, reason text for quarantine
};

struct BareLfOptions {
  // Defaults, for a cautious operator:
  //   smuggling: reject. A hidden end-of-data followed by commands has no
  //     legitimate use; accepting it delivers a message whose envelope the
  //     client forged past the MTA (the Dec 2023 disclosures).
  //   header: reject. A broken fold injects a header for every reader that
  //     takes LF as a line end; a CR or NUL in a header has no legitimate use.
  //   body: score. Old or broken software still sends bare LFs in bodies;
  //     they are suspicious but not dangerous once the MTA normalised them.
  std::array<ClassPolicy, kFindingClassCount> classes = {{
      {ClassAction::kReject,
       "Message header contains bare CR, LF or NUL characters (RFC 5321 2.3.8)"},
      {ClassAction::kScore, "Message contains bare line feeds (RFC 5321 2.3.8)"},
      {ClassAction::kReject,
       "Message contains an SMTP smuggling attempt (non-standard end of data, RFC 5321 "
       "4.1.1.4)"},
  }};
  std::array<double, kFindingKindCount> scores = DefaultScores();

  const ClassPolicy& policy(FindingClass c) const { return classes[static_cast<size_t>(c)]; }
  double score(FindingKind kind) const { return scores[static_cast<size_t>(kind)]; }

  static std::array<double, kFindingKindCount> DefaultScores();
};

// Scores may be negative (an operator may want to reward nothing here, but
// the range keeps a typo such as 1e9 from swamping every other check).
inline constexpr double kMinScore = -100;
inline constexpr double kMaxScore = 100;

// Reads the options; problems are reported through `reader` with file:line
// and make it return nullopt. Unknown keys are reported when the readers are
// destroyed (the nested `scores` reader here, `reader` by its owner).
std::optional<BareLfOptions> ReadBareLfOptions(ConfigReader& reader);

// The request for `policy` (nullopt for "score"), with SMTP codes that fit:
// reject 550 5.7.1, tempfail 451 4.7.1, quarantine none. `reason` is the
// symbol that triggered it.
std::optional<ActionRequest> MakeActionRequest(const ClassPolicy& policy, std::string_view reason);

}  // namespace portcullis::bare_lf
