// Registers `portcullis spf` (command_registry.h) on the real resolver.
#include "portcullis/command_registry.h"
#include "portcullis/dns.h"
#include "spf_command_args.h"

namespace portcullis::spf {
namespace {

int RunWithSystemResolver(const std::vector<std::string>& args) {
  return RunSpfCommand(
      args,
      [](const dns::ResolverOptions& options, std::string* error) {
        return dns::MakeResolver(options, nullptr, error);
      },
      stdout, stderr);
}

}  // namespace
}  // namespace portcullis::spf

PORTCULLIS_REGISTER_COMMAND(spf, "evaluate SPF (RFC 7208) for --ip, --helo and --sender",
                            portcullis::spf::RunWithSystemResolver);
