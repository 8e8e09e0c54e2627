// A configurable fake check for pipeline tests, registered as "probe".
// It records every call it receives in a process-wide journal (tests run
// single-threaded) and does what its options say:
//   checks = { probe = { stages = { "rcpt", "body" }, reject_rcpt = { "x@y" },
//                        tempfail_mail = false, finish_action = "quarantine",
//                        symbol = "PROBE", score = 1.5 } }
#pragma once

#include <string>
#include <vector>

#include "portcullis/deadline.h"

namespace portcullis::testing {

std::vector<std::string>& ProbeJournal();
// The deadline the last Finish() received.
Deadline& ProbeLastDeadline();

}  // namespace portcullis::testing
