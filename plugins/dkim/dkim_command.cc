// Registers `portcullis dkim-verify` (command_registry.h) on the real
// resolver. The name has a dash, so RegisterCommand is called directly
// rather than through PORTCULLIS_REGISTER_COMMAND (which needs an
// identifier).
#include "dkim_check.h"
#include "dkim_command_args.h"
#include "portcullis/command_registry.h"
#include "portcullis/dns.h"

namespace portcullis::dkim {
namespace {

int RunWithSystemResolver(const std::vector<std::string>& args) {
  return RunDkimVerifyCommand(
      args,
      [](const dns::ResolverOptions& options, std::string* error) {
        return dns::MakeResolver(options, nullptr, error);
      },
      SystemNow(), stdout, stderr);
}

const bool registered_dkim_verify = ::portcullis::RegisterCommand(
    "dkim-verify",
    ::portcullis::Command{"verify the DKIM signatures of a stored message (RFC 6376)",
                          RunWithSystemResolver});

}  // namespace
}  // namespace portcullis::dkim
