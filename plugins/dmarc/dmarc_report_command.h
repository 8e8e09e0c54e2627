// `portcullis dmarc-report`: prints the RFC 7489 Appendix C aggregate report
// of one UTC day for one Domain Owner from the data the dmarc check recorded
// (dmarc_report_store.h). Sending it to the rua address is left to the
// operator (or a later step).
//
// Called from main()'s command dispatch, once, single-threaded; tests call
// RunDmarcReportCommand directly with their own streams.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace portcullis::dmarc {

// `args` excludes the program and the command name. `host_name` gives the
// default org_name and email. Exit codes per command_registry.h: 0 report
// printed (possibly without records), 1 state directory or config
// unreadable, 2 bad usage.
int RunDmarcReportCommand(const std::vector<std::string>& args, const std::string& host_name,
                          FILE* out, FILE* err);

}  // namespace portcullis::dmarc
