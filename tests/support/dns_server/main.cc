// portcullis_test_dns_server: a small authoritative DNS server for the
// resolver, SPF, DNSBL and end-to-end tests. See README.md for the CLI.
//
// Exit status: 0 after SIGTERM/SIGINT (or --help), 2 for bad arguments or zone files,
// 1 for a runtime (socket) error.

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "responder.h"
#include "server_loop.h"
#include "server_options.h"
#include "zone_store.h"

namespace dns = portcullis::testing::dns_server;

int main(int argc, char** argv) {
  dns::ServerOptions options;
  if (std::string err = dns::ParseServerOptions(argc, argv, &options); !err.empty()) {
    if (err == dns::ServerUsage()) {  // --help
      fputs(err.c_str(), stdout);
      return 0;
    }
    fprintf(stderr, "portcullis_test_dns_server: %s\n%s", err.c_str(), dns::ServerUsage());
    return 2;
  }
  dns::ZoneStore zones;
  for (const std::string& path : options.zone_files) {
    if (std::string err = zones.Load(path); !err.empty()) {
      fprintf(stderr, "portcullis_test_dns_server: zone %s\n", err.c_str());
      fflush(stderr);
      // _exit, not return: on a parse error ldns_zone_new_frm_fp_l frees the
      // zone without its SOA (ldns 1.8.3), and LeakSanitizer builds would turn
      // that library leak into exit status 1.
      _exit(2);
    }
  }
  FILE* query_log = nullptr;
  if (!options.query_log.empty()) {
    query_log = fopen(options.query_log.c_str(), "a");
    if (query_log == nullptr) {
      fprintf(stderr, "portcullis_test_dns_server: cannot open query log %s\n",
              options.query_log.c_str());
      return 2;
    }
  }
  // Delivered through a signalfd in the loop, so blocked from now on.
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigprocmask(SIG_BLOCK, &mask, nullptr);
  signal(SIGPIPE, SIG_IGN);

  const dns::Responder responder(zones, options.faults, options.udp_max);
  int status = 0;
  {
    dns::ServerLoop loop(responder, query_log);
    if (std::string err = loop.Bind(options); !err.empty()) {
      fprintf(stderr, "portcullis_test_dns_server: %s\n", err.c_str());
      status = 1;
    } else {
      if (options.family == AF_INET6) {
        printf("listening on [%s]:%u\n", options.host.c_str(), loop.port());
      } else {
        printf("listening on %s:%u\n", options.host.c_str(), loop.port());
      }
      fflush(stdout);
      if (std::string run_err = loop.Run(); !run_err.empty()) {
        fprintf(stderr, "portcullis_test_dns_server: %s\n", run_err.c_str());
        status = 1;
      }
    }
  }
  if (query_log != nullptr) fclose(query_log);
  return status;
}
