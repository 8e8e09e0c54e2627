// MilterError: the one exception type the milter test client throws.
//
// Transport failures (connect refused, timeout, peer closed) and protocol
// violations (malformed packet, unexpected reply) are all reported this way so
// a test or the load generator can catch one type and print what() verbatim.
// Plain value type; safe to copy between threads.
#ifndef PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_MILTER_ERROR_H_
#define PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_MILTER_ERROR_H_

#include <stdexcept>
#include <string>

namespace portcullis::milterclient {

class MilterError : public std::runtime_error {
 public:
  explicit MilterError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace portcullis::milterclient

#endif  // PORTCULLIS_TESTS_SUPPORT_MILTER_CLIENT_MILTER_ERROR_H_
