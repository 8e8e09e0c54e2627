#include "dns/dns_response_reader.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "dns/dns_name_syntax.h"
#include "dns/dns_query_packet.h"

namespace portcullis::dns {
namespace {

// RFC 2181 8: a TTL with the most significant bit set is treated as zero.
uint32_t SaneTtl(uint32_t ttl) { return ttl > 0x7fffffffu ? 0 : ttl; }

bool OwnerIs(const ldns_rr* rr, const std::vector<uint8_t>& wire) {
  const ldns_rdf* owner = ldns_rr_owner(rr);
  return owner &&
         WireNamesEqual(ldns_rdf_data(owner), ldns_rdf_size(owner), wire.data(), wire.size());
}

const ldns_rdf* DnameField(const ldns_rr* rr, size_t index) {
  if (ldns_rr_rd_count(rr) <= index) return nullptr;
  const ldns_rdf* rdf = ldns_rr_rdf(rr, index);
  return rdf && ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_DNAME ? rdf : nullptr;
}

std::string DnameText(const ldns_rdf* rdf) {
  return WireToName(ldns_rdf_data(rdf), ldns_rdf_size(rdf));
}

// Adds one record of the asked type to the answer. False when its rdata is
// not what the type needs (ldns parsed it, but the lengths are off).
bool AddRecord(const ldns_rr* rr, RecordType type, Answer* answer) {
  switch (type) {
    case RecordType::kA:
    case RecordType::kAaaa: {
      size_t want = type == RecordType::kA ? 4 : 16;
      const ldns_rdf* rdf = ldns_rr_rd_count(rr) == 1 ? ldns_rr_rdf(rr, 0) : nullptr;
      if (!rdf || ldns_rdf_size(rdf) != want) return false;
      if (type == RecordType::kA) {
        std::array<uint8_t, 4> bytes;
        std::memcpy(bytes.data(), ldns_rdf_data(rdf), bytes.size());
        answer->addresses.push_back(IpAddress::FromV4(bytes));
      } else {
        std::array<uint8_t, 16> bytes;
        std::memcpy(bytes.data(), ldns_rdf_data(rdf), bytes.size());
        answer->addresses.push_back(IpAddress::FromV6(bytes));
      }
      return true;
    }
    case RecordType::kNs:
    case RecordType::kCname:
    case RecordType::kPtr: {
      const ldns_rdf* rdf = DnameField(rr, 0);
      if (!rdf) return false;
      answer->names.push_back(DnameText(rdf));
      return true;
    }
    case RecordType::kMx: {
      const ldns_rdf* preference = ldns_rr_rd_count(rr) == 2 ? ldns_rr_rdf(rr, 0) : nullptr;
      const ldns_rdf* exchange = DnameField(rr, 1);
      if (!preference || ldns_rdf_size(preference) != 2 || !exchange) return false;
      // RFC 7505: a null MX is preference 0 and exchange "." -> "".
      answer->mx.push_back({ldns_rdf2native_int16(preference), DnameText(exchange)});
      return true;
    }
    case RecordType::kTxt: {
      // RFC 1035 3.3.14 / RFC 7208 3.3: the character-strings of one record
      // are joined with nothing in between. ldns keeps each one with its
      // length octet in front.
      std::string text;
      for (size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
        const ldns_rdf* rdf = ldns_rr_rdf(rr, i);
        if (!rdf || ldns_rdf_size(rdf) < 1) return false;
        const uint8_t* data = ldns_rdf_data(rdf);
        if (static_cast<size_t>(data[0]) + 1 != ldns_rdf_size(rdf)) return false;
        text.append(reinterpret_cast<const char*>(data + 1), data[0]);
      }
      answer->texts.push_back(std::move(text));
      return true;
    }
  }
  return false;
}

const ldns_rr* FindCname(const ldns_rr_list* records, const std::vector<uint8_t>& owner) {
  for (size_t i = 0; i < ldns_rr_list_rr_count(records); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(records, i);
    if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME && ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN &&
        OwnerIs(rr, owner)) {
      return rr;
    }
  }
  return nullptr;
}

const ldns_rr* FindSoa(const ldns_rr_list* records) {
  for (size_t i = 0; i < ldns_rr_list_rr_count(records); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(records, i);
    if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA && ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN &&
        ldns_rr_rd_count(rr) == 7 && ldns_rdf_size(ldns_rr_rdf(rr, 6)) == 4) {
      return rr;
    }
  }
  return nullptr;
}

void Final(ResponseReading* reading, Status status, std::string error = {}) {
  reading->next = ResponseReading::Next::kAnswer;
  reading->answer.status = status;
  reading->answer.error = std::move(error);
}

void NextServer(ResponseReading* reading, std::string error) {
  reading->next = ResponseReading::Next::kNextServer;
  reading->error = std::move(error);
}

void Negative(const ldns_pkt* packet, Status status, ResponseReading* reading) {
  Final(reading, status);
  // RFC 2308 5: the negative TTL is the lower of the SOA's own TTL and its
  // MINIMUM field; RFC 2308 5 also says not to cache without an SOA.
  if (const ldns_rr* soa = FindSoa(ldns_pkt_authority(packet))) {
    uint32_t minimum = SaneTtl(ldns_rdf2native_int32(ldns_rr_rdf(soa, 6)));
    reading->answer.ttl = std::min({SaneTtl(ldns_rr_ttl(soa)), minimum, reading->chain.ttl});
    reading->cacheable = true;
  }
}

}  // namespace

ResponseReading ReadResponse(const ldns_pkt* packet, std::string_view qname, RecordType type,
                             const CnameChain& chain) {
  ResponseReading reading;
  reading.chain = chain;
  if (reading.chain.names.empty()) reading.chain.names.emplace_back(qname);
  int rcode = ldns_pkt_get_rcode(packet);
  if (rcode != LDNS_RCODE_NOERROR && rcode != LDNS_RCODE_NXDOMAIN) {
    NextServer(&reading, RcodeName(rcode));
    return reading;
  }
  const ldns_rr_list* records = ldns_pkt_answer(packet);
  std::string current(qname);
  std::vector<uint8_t> current_wire = NameToWire(current);
  bool followed = false;
  for (;;) {
    bool found = false;
    uint32_t rrset_ttl = UINT32_MAX;
    for (size_t i = 0; i < ldns_rr_list_rr_count(records); ++i) {
      const ldns_rr* rr = ldns_rr_list_rr(records, i);
      if (ldns_rr_get_type(rr) != static_cast<ldns_rr_type>(type) ||
          ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN || !OwnerIs(rr, current_wire)) {
        continue;
      }
      if (!AddRecord(rr, type, &reading.answer)) {
        NextServer(&reading, "malformed answer");
        return reading;
      }
      found = true;
      rrset_ttl = std::min(rrset_ttl, SaneTtl(ldns_rr_ttl(rr)));
    }
    if (found) {
      // Data for a name the server also calls nonexistent: not a usable answer.
      if (rcode == LDNS_RCODE_NXDOMAIN) {
        reading.answer = Answer{};
        NextServer(&reading, "malformed answer");
        return reading;
      }
      Final(&reading, Status::kOk);
      reading.answer.ttl = std::min(rrset_ttl, reading.chain.ttl);
      reading.cacheable = true;
      return reading;
    }
    if (type == RecordType::kCname) break;  // the CNAME itself was asked
    const ldns_rr* cname = FindCname(records, current_wire);
    if (!cname) break;
    const ldns_rdf* target = DnameField(cname, 0);
    if (!target) {
      NextServer(&reading, "malformed answer");
      return reading;
    }
    current = DnameText(target);
    std::vector<std::string>& names = reading.chain.names;
    if (std::find(names.begin(), names.end(), current) != names.end()) {
      Final(&reading, Status::kTempError, "CNAME loop");
      return reading;
    }
    if (++reading.chain.hops > kMaxCnameHops) {
      Final(&reading, Status::kTempError, "CNAME chain too long");
      return reading;
    }
    names.push_back(current);
    reading.chain.ttl = std::min(reading.chain.ttl, SaneTtl(ldns_rr_ttl(cname)));
    current_wire = NameToWire(current);
    followed = true;
  }
  if (rcode == LDNS_RCODE_NXDOMAIN) {
    Negative(packet, Status::kNxDomain, &reading);
    return reading;
  }
  // The chain stopped short of data with no SOA to say the end has none: the
  // server was not authoritative for the target, so ask for it ourselves.
  if (followed && !FindSoa(ldns_pkt_authority(packet))) {
    reading.next = ResponseReading::Next::kRequery;
    reading.requery_name = current;
    return reading;
  }
  Negative(packet, Status::kNoData, &reading);
  return reading;
}

}  // namespace portcullis::dns
