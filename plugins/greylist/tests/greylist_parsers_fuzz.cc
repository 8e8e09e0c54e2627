// libFuzzer target for the greylist check's parsers of untrusted input:
// sender/recipient normalisation (SMTP envelope) and the store key and
// value decoders (a shared Redis may hold anything). Checks the invariants
// the check relies on: no crash, a key round-trips, the null sender stays.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "greylist_keys.h"
#include "greylist_triplet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  portcullis::greylist::SenderOptions options;
  const std::string sender = portcullis::greylist::NormaliseSender(input, options);
  if (input.empty() && sender != portcullis::greylist::kNullSender) std::abort();
  const std::string rcpt = portcullis::greylist::NormaliseRecipient(input, true, "+");

  portcullis::greylist::Triplet triplet{"192.0.2.0/24", sender, rcpt};
  const std::string key = portcullis::greylist::TripletKey(triplet);
  auto parsed = portcullis::greylist::ParseTripletKey(key);
  if (!parsed) std::abort();
  // Sender and recipient come back as stored (cut to kMaxAddressInKey).
  if (parsed->sender != sender.substr(0, portcullis::greylist::kMaxAddressInKey)) std::abort();

  portcullis::greylist::ParseTripletKey(input);
  portcullis::greylist::DecodeTriplet(input);
  portcullis::greylist::DecodeAllow(input);
  std::string error;
  portcullis::greylist::OperatorNetwork(input, 24, 64, &error);
  return 0;
}
