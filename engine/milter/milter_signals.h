// Signals for the daemon, and a graceful stop that libmilter cannot do.
//
// libmilter takes SIGTERM/SIGHUP ("stop") and SIGINT ("abort") in its own
// sigwait thread. Debian builds it with the worker pool, whose workers and
// poll loop quit as soon as the stop flag is set, abandoning every open
// session: an in-flight message would get the MTA's milter_default_action.
// So we interpose sigwait(): when libmilter's thread receives SIGTERM or
// SIGHUP, our hook runs first (close the listener to new connections, wait,
// bounded, for messages in flight), and only then does libmilter see the
// signal and stop.
//
// BlockDaemonSignals() must run in main() before any thread exists, so that
// no thread can take SIGTERM with the default "terminate now" action.
// SetBeforeStopHook() is called once before smfi_main(); the hook runs on
// libmilter's signal thread.
#pragma once

#include <functional>

namespace portcullis {

void BlockDaemonSignals();
void SetBeforeStopHook(std::function<void(int signal_number)> hook);

}  // namespace portcullis
