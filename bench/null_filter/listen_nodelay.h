// SetNoDelayOnListeningSockets: TCP_NODELAY on the sockets libmilter opened.
//
// libmilter never sets TCP_NODELAY, so a filter that answers end of message
// with two packets (a header change, then accept) waits for the MTA's
// delayed ACK (~40 ms) before the second leaves: ~23 msgs/s per connection.
// On Linux an accepted socket inherits TCP_NODELAY from the listener, so
// setting it once on the listening fd fixes every connection. libmilter does
// not expose that fd; we find it by scanning /proc/self/fd for sockets with
// SO_ACCEPTCONN. Call after smfi_opensocket(), before smfi_main(), from the
// main thread.
#ifndef PORTCULLIS_BENCH_NULL_FILTER_LISTEN_NODELAY_H_
#define PORTCULLIS_BENCH_NULL_FILTER_LISTEN_NODELAY_H_

namespace portcullis::bench {

// Returns how many TCP listening sockets got TCP_NODELAY (unix sockets are
// skipped: Nagle does not apply to them).
int SetNoDelayOnListeningSockets();

}  // namespace portcullis::bench

#endif  // PORTCULLIS_BENCH_NULL_FILTER_LISTEN_NODELAY_H_
