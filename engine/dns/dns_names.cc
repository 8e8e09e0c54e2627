// Names of the DNS enums and the reverse-lookup name of an address.
#include <cstdio>

#include "portcullis/dns.h"

namespace portcullis::dns {

std::string_view RecordTypeName(RecordType type) {
  switch (type) {
    case RecordType::kA: return "A";
    case RecordType::kNs: return "NS";
    case RecordType::kCname: return "CNAME";
    case RecordType::kPtr: return "PTR";
    case RecordType::kMx: return "MX";
    case RecordType::kTxt: return "TXT";
    case RecordType::kAaaa: return "AAAA";
  }
  return "?";
}

std::string_view StatusName(Status status) {
  switch (status) {
    case Status::kOk: return "ok";
    case Status::kNxDomain: return "nxdomain";
    case Status::kNoData: return "nodata";
    case Status::kTempError: return "temperror";
    case Status::kPermError: return "permerror";
  }
  return "?";
}

std::string ReverseName(const IpAddress& address) {
  std::string name;
  const uint8_t* bytes = address.bytes();
  if (address.is_v4()) {
    // RFC 5782 2.1: the octets in reverse order.
    for (int i = 3; i >= 0; --i) {
      name += std::to_string(bytes[i]);
      if (i) name += '.';
    }
    return name;
  }
  // RFC 5782 2.4 / RFC 3596 2.5: 32 nibbles, least significant first.
  static const char kHex[] = "0123456789abcdef";
  name.reserve(63);
  for (int i = 15; i >= 0; --i) {
    name += kHex[bytes[i] & 0xf];
    name += '.';
    name += kHex[bytes[i] >> 4];
    if (i) name += '.';
  }
  return name;
}

}  // namespace portcullis::dns
