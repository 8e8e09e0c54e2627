// Asks the local Postfix whether it still accepts bare newlines, so that the
// daemon can warn at start-up: Portcullis only sees what the MTA passes on,
// and SMTP smuggling is stopped at the MTA's SMTP server, not in a milter.
//
// Postfix gained smtpd_forbid_bare_newline in 3.5.23, 3.6.13, 3.7.9, 3.8.4
// and 3.9 (CVE-2023-51764, the Dec 2023 smuggling disclosures); the default
// stayed "no" before 3.9. The probe runs `postconf -h <parameter>` with a
// hard timeout and a bounded read, never through a shell.
//
// Called from Check::SelfTest at start-up, before the milter threads serve;
// the functions keep no state and may be called from any thread, but spawn a
// child process, so keep them off the data path.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace portcullis::bare_lf {

// postconf reads main.cf and answers at once; a hung NFS-mounted config
// directory must not delay the daemon's start beyond this.
inline constexpr std::chrono::milliseconds kPostconfTimeout{3000};
// The answer is one short line; anything beyond this is not a value.
inline constexpr size_t kMaxPostconfOutput = 4096;

struct PostconfAnswer {
  enum class Outcome {
    kValue,             // `value` holds the parameter's value
    kUnknownParameter,  // this Postfix does not know the parameter (too old)
    kFailed,            // could not run or did not finish; see `error`
  };
  Outcome outcome = Outcome::kFailed;
  std::string value;
  std::string error;
};

// The postconf program: found on PATH, else in /usr/sbin or /usr/local/sbin
// (PATH for a daemon often lacks sbin); nullopt when Postfix is not installed.
std::optional<std::string> FindPostconf();

// Runs `program -h parameter`, killing it after `timeout`.
PostconfAnswer QueryPostconf(const std::string& program, std::string_view parameter,
                             std::chrono::milliseconds timeout = kPostconfTimeout);

// What to tell the operator about smtpd_forbid_bare_newline's answer, or
// nullopt when the setting already protects against smuggling.
std::optional<std::string> BareNewlineAdvice(const PostconfAnswer& answer);

// FindPostconf + QueryPostconf + BareNewlineAdvice, logged as a warning.
// Does nothing when Postfix is not installed (Sendmail sites).
void WarnAboutPostfixBareNewline();

}  // namespace portcullis::bare_lf
